"""What a paper page looks up about other pages (generator/site/related.py), read from the
real docs/ on disk, as `mkdocs serve --dirty` does for pages it did not read in the build."""

from __future__ import annotations

from datetime import date

import frontmatter

from generator.site.related import PaperIndex, digest_day

from .conftest import ROOT


def test_facts_and_neighbours_come_from_the_pages_on_disk() -> None:
    index = PaperIndex(ROOT / "docs")
    wina = "wina-weight-informed-neuron-activation-for-accelerating"
    facts = index.facts(wina)
    assert facts is not None and facts.title.startswith("WINA:") and facts.day == date(2025, 5, 25)
    page = frontmatter.load(ROOT / "docs/papers" / f"{wina}.md")
    tags = page["tags"]
    assert isinstance(tags, list) and facts.tags == tuple(tags) and tags and not facts.listed  # its own topics
    before, after, position, count = index.neighbours("2025-11-20", wina) or (None, None, 0, 0)
    assert (position, count) == (8, 104)
    assert before == "dpm-ot-a-new-diffusion-probabilistic-model-based-on-optimal"
    assert after == "better-neural-pde-solvers-through-data-free-mesh-movers"
    first = index.neighbours("2025-11-20", "h-calibration-rethinking-classifier-recalibration-with")
    assert first is not None and first[0] is None and first[2] == 1


def test_unknown_or_malformed_values_give_nothing() -> None:
    index = PaperIndex(ROOT / "docs")
    assert index.facts("../../etc/passwd") is None and index.facts(42) is None and index.facts("no-such-paper") is None
    assert index.neighbours("2025-11-20", "no-such-paper") is None
    assert index.neighbours("../x", "a") is None and index.neighbours("2031-01-01", "a") is None
    assert digest_day("2025-02-30") is None and digest_day("2025-03-14-2") == (date(2025, 3, 14), 2)


def test_a_paper_without_a_published_date_is_dated_by_its_first_digest() -> None:
    index = PaperIndex(ROOT / "docs")
    index.read("papers/x.md", {"title": "X", "digests": ["2025-11-20", "2025-03-14"], "tags": ["A", 3]})
    assert index.facts("x") == index.facts("x") and index.facts("x").listed  # type: ignore[union-attr]
    found = index.facts("x")
    assert found is not None and found.day == date(2025, 3, 14) and found.tags == ("A",)

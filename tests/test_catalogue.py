"""Duplicates become one paper with the richest metadata; slugs are safe, unique and stable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.catalogue import catalogue
from generator.catalogue.slugs import RESERVED, assign_slugs, base_slug
from generator.model import Digest, Listing
from generator.read import read_digests
from generator.settings import load_settings

from .conftest import ROOT

A = "An abstract."


def digest(day: int, *listings: Listing) -> Digest:
    when = date(2025, 1, day)
    return Digest(id=f"d{day}", path=Path(f"d{day}.txt"), date=when, date_source="test", listings=listings)


def test_real_digests_hold_512_unique_papers() -> None:
    found = catalogue(read_digests(ROOT / "digests", load_settings(ROOT / "site.yml")))
    assert (found.listings, len(found.papers)) == (556, 512)
    assert len({p.slug.lower() for p in found.papers}) == 512
    assert found.same_title == ()
    tutorial = [p for p in found.papers if p.title == "A Tutorial on Bayesian Optimization"]
    assert len(tutorial) == 1 and len(tutorial[0].digest_ids) == 2


LONG = ("We study how far a model trained on one distribution carries over to another, and we find "
        "that a simple reweighting of the training data closes most of the gap on four benchmarks. "
        "The reweighting needs no labels from the target distribution and costs one extra pass.")
OTHER = ("An unrelated method for colouring planar graphs in linear time, with a proof that it is optimal "
         "and an implementation that colours a million vertices in a second on a laptop, which we release "
         "together with a benchmark of road networks.")


def test_same_title_with_a_different_abstract_is_a_second_paper_with_its_own_page() -> None:
    found = catalogue([digest(1, Listing("Attention Is All You Need", LONG, 1)),
                       digest(2, Listing("Attention is all you need", OTHER, 1))])
    first, second = found.papers
    assert (first.abstract, second.abstract) == (LONG, OTHER)  # no abstract dropped
    assert first.slug == "attention-is-all-you-need"
    assert second.slug.startswith("attention-is-all-you-need-") and second.key != first.key
    assert found.same_title == (("Attention Is All You Need", (first.slug, second.slug)),)


def test_second_papers_key_depends_on_its_own_abstract_not_on_the_other_papers() -> None:
    alone = catalogue([digest(1, Listing("T", LONG, 1)), digest(2, Listing("T", OTHER, 1))]).papers[1]
    more = catalogue([digest(1, Listing("T", LONG, 1)), digest(2, Listing("T", OTHER, 1), Listing("U", A, 2)),
                      digest(3, Listing("T", LONG + " Revised.", 1))]).papers[1]
    assert alone.key == more.key and alone.slug == more.slug


def test_a_cut_copy_a_revision_or_a_short_abstract_is_the_same_paper() -> None:
    cut = LONG[:220] + "…"
    revised = LONG.replace("closes most of the gap on four", "closes nearly all of the gap on five").replace(
        "costs one extra pass", "adds a single pass over the data, which we analyse")
    found = catalogue([digest(1, Listing("T", LONG, 1)), digest(2, Listing("T", cut, 1)),
                       digest(3, Listing("T", revised, 1)), digest(4, Listing("T", "Too short to tell.", 1))])
    (paper,) = found.papers
    assert paper.abstract == revised  # the longest is kept; the quality page lists the difference
    assert paper.digest_ids == ("d1", "d2", "d3", "d4") and found.same_title == ()


def test_same_title_after_normalisation_is_one_paper_with_richest_metadata() -> None:
    found = catalogue([
        digest(1, Listing("Scaling Laws — Revisited", A, 1)),
        digest(2, Listing("scaling  laws - revisited", A + " Longer.", 1, author_count=4,
                          published=date(2024, 5, 1), published_year_inferred=True, upvotes=3)),
        digest(3, Listing("SCALING LAWS – REVISITED", A, 1, published=date(2024, 5, 1), upvotes=9)),
    ])
    (paper,) = found.papers
    assert paper.title == "Scaling Laws — Revisited"  # the first spelling keeps the URL
    assert paper.abstract == A + " Longer."
    assert (paper.author_count, paper.upvotes, paper.published) == (4, 9, date(2024, 5, 1))
    assert paper.published_year_inferred is False  # a printed year beats an inferred one
    assert paper.digest_ids == ("d1", "d2", "d3")
    assert [a.upvotes for a in paper.appearances] == [None, 3, 9]


def test_punctuation_that_changes_meaning_keeps_papers_apart() -> None:
    found = catalogue([digest(1, Listing("[Re] Attention", A, 1), Listing("Re: Attention", A, 5))])
    assert len(found.papers) == 2
    assert sorted(p.slug for p in found.papers)[0] == "re-attention"
    assert found.papers[1].slug.startswith("re-attention-") and len(found.papers[1].slug) == len("re-attention-") + 6


def test_slugs_are_ascii_short_safe_and_never_reserved() -> None:
    titles = ["中文标题" * 250, "../../etc/passwd", "CON", "Index", "README", "!!!", "", "x" * 300]
    slugs = assign_slugs((f"key{i}", t) for i, t in enumerate(titles)).values()
    for slug in slugs:
        assert slug.isascii() and slug and len(slug) <= 60
        assert "/" not in slug and not slug.startswith(".")
        assert slug.lower() not in RESERVED
        assert len((slug + ".md").encode()) < 255
    assert len(set(slugs)) == len(titles)


def test_a_slug_does_not_change_when_other_papers_arrive() -> None:
    alone = assign_slugs([("k1", "Deep Learning")])
    crowded = assign_slugs([("k1", "Deep Learning"), ("k2", "Deep learning!"), ("k3", "Other")])
    assert alone["k1"] == crowded["k1"] == base_slug("Deep Learning") == "deep-learning"
    assert crowded["k2"] != "deep-learning"

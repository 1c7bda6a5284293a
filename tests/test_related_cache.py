"""Related papers above the exact limit: a run that reuses the last run's candidate search
(related_cache.py) gives exactly what a search from scratch gives, on real arXiv papers.

The limits are lowered (`EXACT_LIMIT`, `EPOCH` to 300 papers) so that ~800 papers take the
path a 30,000-paper site takes, in seconds.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bench.corpus import arxiv_papers
from generator.curate import neighbours, related
from generator.curate.neighbours import add_related
from generator.curate.related_cache import RelatedCache
from generator.model import Appearance, Paper

LIMIT = 300


@pytest.fixture(scope="module")
def corpus() -> list[Paper]:
    """850 real papers in digests of 50, the last two of the same day, with topics that make some
    pairs share one."""
    papers = []
    for n, record in enumerate(arxiv_papers()[:850]):
        seen = (Appearance(f"d{n // 50:03d}", date(2025, 1, 1 + min(n // 50, 15)), n % 50 + 1, None),)
        slug = re.sub(r"[^a-z0-9]+", "-", record.title.lower()).strip("-")[:60] + f"-{n}"
        topics = (("llm", "agents")[n % 2],) if n % 3 else ()
        papers.append(Paper(key=slug, slug=slug, title=record.title, abstract=record.abstract,
                            appearances=seen, topics=topics))
    return papers


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(related, "EXACT_LIMIT", LIMIT)
    monkeypatch.setattr(related, "EPOCH", LIMIT)


def embeddings(papers: list[Paper]) -> dict[str, np.ndarray]:
    """Fixed pseudo-embeddings per slug (the real ones are a separate, cached stage)."""
    out = {}
    for p in papers:
        seed = int.from_bytes(p.slug.encode()[-8:].rjust(8, b"\0"), "little") % (2**32)
        vector = np.random.default_rng(seed).normal(size=16).astype(np.float32)
        out[p.slug] = vector / np.linalg.norm(vector)
    return out


def run(papers: list[Paper], cache: Path | None) -> tuple[dict[str, tuple[str, ...]], dict[str, dict[str, str]]]:
    updated, why = add_related(tuple(papers), embeddings(papers), {"llm": "LLMs", "agents": "Agents"}, cache)
    return {p.slug: p.related for p in updated}, why


def test_a_new_digest_is_merged_into_the_cached_search_exactly(
    corpus: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "related-cache.npz"
    run(corpus[:800], cache)  # the last run: 800 papers, reference = the oldest 600
    assert cache.exists()
    cached = RelatedCache(cache, {"llm": "LLMs", "agents": "Agents"})
    assert len(cached.cached.slugs) == 800 and cached.cached.reasons
    # A new digest of 50 papers, one older paper retitled and one gone.
    retitled = replace(corpus[700], title=corpus[700].title + " (revised)")
    now = [*corpus[:650], *corpus[651:700], retitled, *corpus[701:850]]
    searched: list[int] = []

    def spy(search: related.Search, rows: np.ndarray) -> list[related.Wide]:
        searched.append(len(rows))
        return related.search_wide(search, rows)

    monkeypatch.setattr("generator.curate.neighbours.search_wide", spy)
    merged = run(now, cache)
    # The 50 new papers and the retitled one, and the lists whose 50 widest candidates held either
    # paper that left (the retitled one is also a new text): 174 of 849 here.
    assert 51 <= searched[0] < 0.25 * len(now)
    scratch = run(now, None)
    assert merged == scratch
    assert sum(1 for r in merged[0].values() if r) > 0.4 * len(now)
    # Only the new papers and the lists that lost a candidate were searched again.
    again = RelatedCache(cache, {"llm": "LLMs", "agents": "Agents"})
    kept, new = again.reuse(again.cached.reference, again.cached.slugs, again.cached.keys)
    assert len(kept) == len(now) and new == []


def test_a_new_digest_moves_no_unrelated_list(corpus: list[Paper], tmp_path: Path) -> None:
    """Above the limit a paper's vector depends on the reference only: a list changes when a
    new paper enters it (or the hub cap moves it), not because every IDF shifted."""
    before, _ = run(corpus[:800], None)
    after, _ = run(corpus[:850], None)
    new = {p.slug for p in corpus[800:850]}
    changed = [s for s in before if before[s] != after[s]]
    entered = [s for s in changed if set(after[s]) & new]
    assert len(changed) - len(entered) <= 0.01 * len(before)


def test_a_damaged_or_foreign_cache_is_ignored(corpus: list[Paper], tmp_path: Path) -> None:
    cache = tmp_path / "related-cache.npz"
    run(corpus[:800], cache)
    data = bytearray(cache.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cache.write_bytes(bytes(data))
    assert run(corpus[:850], cache) == run(corpus[:850], None)
    cache.write_bytes(b"not a cache")
    assert run(corpus[:850], cache) == run(corpus[:850], None)


def test_a_changed_reference_searches_everything_again(corpus: list[Paper], tmp_path: Path) -> None:
    cache = tmp_path / "related-cache.npz"
    run(corpus[:850], cache)  # reference: the oldest 600
    grown = [*corpus[:850], *(replace(p, slug=p.slug + "-b", key=p.key + "-b") for p in corpus[:60])]
    merged = run(grown, cache)  # 910 papers: the reference is the oldest 900 now
    assert merged == run(grown, None)
    assert neighbours.hub_cap(related.reference_rows(sorted(grown, key=lambda p: p.slug)).sum()) == 9

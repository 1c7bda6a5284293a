"""What issue 13's curation costs at N real papers: embeddings (first run and cached), topics,
related papers with their reasons; time and peak memory of each step, in one process.

`python -m bench.curation_cost --papers 30000 [--corpus ../shared/corpus/arxiv-2025.jsonl.xz]`
takes the first N papers of the real arXiv corpus (distinct real abstracts, unlike
bench/corpus.py's copies of the digests), so related papers and the embedding cache see
realistic text. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from generator.catalogue.slugs import base_slug
from generator.model import Appearance, Paper

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def corpus_papers(path: Path, n: int) -> tuple[Paper, ...]:
    seen = (Appearance("bench", date(2025, 6, 1), 1, None),)
    papers, slugs = [], set()
    with lzma.open(path, "rt", encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            slug = base_slug(row["title"]) or row["id"]
            if slug in slugs:
                slug = f"{slug}-{row['id'].replace('.', '-')}"
            slugs.add(slug)
            papers.append(
                Paper(key=row["id"], slug=slug, title=row["title"], abstract=row["abstract"], appearances=seen)
            )
            if len(papers) == n:
                break
    return tuple(papers)


def measure(papers: tuple[Paper, ...]) -> dict[str, Any]:
    from generator.curate.embed import EmbeddingCache, paper_text
    from generator.curate.neighbours import reasons, related_lists
    from generator.curate.related import lexical
    from generator.curate.related_cache import RelatedCache
    from generator.curate.taxonomy import load_taxonomy
    from generator.curate.topics import assign_topics

    out: dict[str, Any] = {"papers": len(papers)}
    taxonomy = load_taxonomy(ROOT / "topics.yml")
    texts = [paper_text(p.title, p.abstract) for p in papers]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "embeddings.npz"
        start = time.perf_counter()
        first = EmbeddingCache(cache)
        vectors = first.vectors(texts)
        first.save()
        out["embed_first_s"] = round(time.perf_counter() - start, 2)
        out["cache_mb"] = round(cache.stat().st_size / 2**20, 1)
        start = time.perf_counter()
        again = EmbeddingCache(cache)
        again.vectors(texts)
        out["embed_cached_s"] = round(time.perf_counter() - start, 2)
        out["embed_cached_computed"] = again.computed
    out["peak_mb_after_embed"] = peak_mb()
    start = time.perf_counter()
    papers = assign_topics(papers, taxonomy, vectors)
    out["topics_s"] = round(time.perf_counter() - start, 2)
    out["peak_mb_after_topics"] = peak_mb()
    start = time.perf_counter()
    by_slug = {p.slug: vectors[i] for i, p in enumerate(papers)}
    found = lexical(papers)
    lists = related_lists(found, by_slug, RelatedCache(None, {}))  # no cache: the first run's search
    out["related_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    names = {t.slug: t.name for t in taxonomy}
    reasons(papers, {s: tuple(r for r, _ in best) for s, best in lists.items()}, names, found)
    out["why_s"] = round(time.perf_counter() - start, 2)
    out["peak_mb_after_related"] = peak_mb()
    listed = [s for found in lists.values() for s, _ in found]
    counts: dict[str, int] = {}
    for s in listed:
        counts[s] = counts.get(s, 0) + 1
    out["papers_with_related"] = sum(1 for found in lists.values() if found)
    out["related_listed"] = len(listed)
    out["most_lists_one_paper_is_in"] = max(counts.values(), default=0)
    other = sum(1 for p in papers if p.topics[:1] == ("other",))
    out["other_share"] = round(other / len(papers), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.curation_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=30_000)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "arxiv-2025.jsonl.xz")
    args = parser.parse_args(argv)
    print(json.dumps(measure(corpus_papers(args.corpus, args.papers))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

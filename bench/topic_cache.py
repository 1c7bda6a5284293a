"""The topics stage with and without its cache (generator/curate/topic_cache.py), on real papers.

    python -m bench.topic_cache --papers 10000

Writes N real papers (../shared/corpus, bench/corpus.py) as digests of 50, reads and
catalogues them as a build does, embeds them (not timed), then times the topics stage as
curate() runs it (cache read, ranking of the papers it does not know, cache written):

- `cold`: N papers, no cache file (what every run paid before the cache);
- `warm_plus_digest`: the next digest added (N + 50 papers, the cache from the cold run);
- `warm_nothing_new`: the same papers again (a run that changed something else, e.g. a page);
- `uncached_plus_digest`: N + 50 papers ranked without a cache, the reference the warm run's
  topics are compared with (`identical`: every paper's topics equal).

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import PER_DIGEST, arxiv_papers, write_real_corpus
from generator.catalogue import catalogue
from generator.curate.embed import EmbeddingCache, paper_text
from generator.curate.taxonomy import load_taxonomy
from generator.curate.topic_cache import TopicCache
from generator.curate.topics import assign_topics
from generator.memory import release_memory
from generator.model import Paper, Topic
from generator.read import read_digests
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def topics_stage(papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...], vectors: Any, cache: Path | None) -> Any:
    """(seconds, the papers with topics, papers ranked): as curate() runs the stage."""
    start = time.perf_counter()
    ranked = TopicCache(cache, taxonomy)
    found = assign_topics(papers, taxonomy, vectors, ranked)
    ranked.save()
    release_memory()
    return round(time.perf_counter() - start, 2), found, ranked.computed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    args = parser.parse_args()
    settings = load_settings(ROOT / "site.yml")
    taxonomy = load_taxonomy(ROOT / "topics.yml")
    corpus = arxiv_papers()
    result: dict[str, Any] = {"papers": args.papers, "load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        digests = Path(tmp) / "digests"
        write_real_corpus(digests, corpus, args.papers)
        before = catalogue(read_digests(digests, settings)).papers
        write_real_corpus(digests, corpus, PER_DIGEST, first_paper=args.papers, first_digest=args.papers // PER_DIGEST)
        after = catalogue(read_digests(digests, settings)).papers
        embeddings = EmbeddingCache(None)
        vectors = embeddings.vectors([paper_text(p.title, p.abstract) for p in after])
        by_slug = {p.slug: vectors[i] for i, p in enumerate(after)}
        import numpy as np

        old = np.stack([by_slug[p.slug] for p in before])
        cache = Path(tmp) / "topics-cache.json"
        result["cold"], _, result["cold_ranked"] = topics_stage(before, taxonomy, old, cache)
        result["cache_bytes"] = cache.stat().st_size
        result["warm_plus_digest"], warm, result["warm_ranked"] = topics_stage(after, taxonomy, vectors, cache)
        result["warm_nothing_new"], again, result["again_ranked"] = topics_stage(after, taxonomy, vectors, cache)
        result["uncached_plus_digest"], reference, _ = topics_stage(after, taxonomy, vectors, None)
        result["papers_after"] = len(after)
        result["identical"] = [p.topics for p in warm] == [p.topics for p in reference] == [p.topics for p in again]
    result["load_after"] = os.getloadavg()[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()

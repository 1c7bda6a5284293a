"""Time `related_slugs` on synthetic papers: `python bench/related_30k.py [N] [--recall M]`.

Synthetic abstracts are topical, like real ones: each paper draws from one of 300 topics'
own vocabularies (Zipf-distributed) mixed with a shared vocabulary of common words, so related
papers share topic words. Prints the time for N papers (default 30,000) and peak memory; with
`--recall M`, how many of the exact top-5 lists of M papers the candidate search reproduces.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date

import numpy as np

from generator.curate.related import related_slugs
from generator.model import Appearance, Paper

TOPICS = 300


def synthetic(n: int, seed: int = 0) -> tuple[Paper, ...]:
    rng = np.random.default_rng(seed)
    common = np.array([f"c{i}x" for i in range(20_000)])
    topical = np.array([f"t{i}x" for i in range(TOPICS * 400)])
    seen = (Appearance("d", date(2025, 1, 1), 1, None),)
    papers = []
    for i in range(n):
        topic = int(rng.integers(TOPICS))
        words = np.where(
            rng.random(170) < 0.6,
            common[np.minimum(rng.zipf(1.3, 170), len(common)) - 1],
            topical[topic * 400 + np.minimum(rng.zipf(1.5, 170), 400) - 1],
        )
        title, abstract = " ".join(words[:10]), " ".join(words[10:])
        papers.append(Paper(key=f"p{i}", slug=f"paper-{i:06d}", title=title, abstract=abstract, appearances=seen))
    return tuple(papers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=30_000)
    parser.add_argument("--recall", type=int, metavar="M")
    args = parser.parse_args()
    if args.recall:
        papers = synthetic(args.recall)
        exact, rough = related_slugs(papers, exact=True), related_slugs(papers, exact=False)
        same = sum(exact[s] == rough[s] for s in exact)
        found = sum(len(set(exact[s]) & set(rough[s])) for s in exact) / max(1, sum(len(v) for v in exact.values()))
        print(
            f"candidate search on {args.recall} papers: {same} of {len(exact)} lists identical, "
            f"{found:.1%} of related papers found"
        )
        return
    papers = synthetic(args.n)
    start = time.perf_counter()
    related = related_slugs(papers)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    listed = sum(len(v) for v in related.values()) / args.n
    print(f"related_slugs: {args.n} papers in {seconds:.1f} s, {listed:.2f} related per paper, peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()

"""Time `related_slugs` on synthetic papers (default 30,000): `python bench/related_30k.py [N]`.

Abstracts of ~150 words drawn from a Zipf-distributed vocabulary of 30,000 made-up words,
so the sparse products are about as dense as real abstracts make them. Prints seconds and
the peak resident memory.
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import date

import numpy as np

from generator.model import Appearance, Paper
from generator.related import related_slugs


def synthetic(n: int, seed: int = 0) -> tuple[Paper, ...]:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}x" for i in range(30_000)])
    ranks = np.minimum(rng.zipf(1.2, size=(n, 160)), len(vocab)) - 1
    seen = (Appearance("d", date(2025, 1, 1), 1, None),)
    return tuple(
        Paper(
            key=f"p{i}",
            slug=f"paper-{i:06d}",
            title=" ".join(vocab[r[:10]]),
            abstract=" ".join(vocab[r[10:]]),
            appearances=seen,
        )
        for i, r in enumerate(ranks)
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    papers = synthetic(n)
    start = time.perf_counter()
    related = related_slugs(papers)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    listed = sum(len(v) for v in related.values()) / n
    print(f"related_slugs: {n} papers in {seconds:.1f} s, {listed:.2f} related per paper, peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()

"""Related papers: for each paper, up to `TOP_K` papers most similar to it.

TF-IDF over title and abstract (word 1-2-grams, sublinear tf, English stop words, L2
normalised rows, as scikit-learn computes it), cosine similarity, a floor below which a
paper is never shown, ties broken by slug. Computed at build time, so the static site
needs no server.

Memory and speed: never the full n x n matrix. Rows are compared a block at a time
(`BLOCK` rows against all papers: one sparse product, a `BLOCK x n` dense block), so memory
is linear in n for a fixed block; time is dominated by the sparse products.

Stability: scores are rounded to 6 decimals before ranking, so the lists do not depend on
floating-point noise. The IDF is fitted on each run's papers, so a new paper changes every
term's IDF a little; a paper's list changes only when a new paper is more similar than its
current fifth, or when two candidates were nearly tied. tests/test_related.py checks that
adding papers that share no words with the existing ones leaves every existing list unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.model import Paper

TOP_K = 5
FLOOR = 0.04  # cosine; about the 99th percentile of unrelated pairs on the real digests
BLOCK = 512
DECIMALS = 6


def related_slugs(papers: Sequence[Paper], k: int = TOP_K, floor: float = FLOOR) -> dict[str, tuple[str, ...]]:
    """{slug: up to k slugs of the most similar other papers, most similar first}."""
    ordered = sorted(papers, key=lambda p: p.slug)  # index order == slug order: ties by slug
    slugs = [p.slug for p in ordered]
    if len(ordered) < 2:
        return {s: () for s in slugs}
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", dtype=np.float64)
    matrix = vectorizer.fit_transform([f"{p.title} {p.abstract}" for p in ordered]).tocsr()
    transposed = matrix.T.tocsr()  # CSR @ CSR: scipy's native product, no per-block conversion
    result: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ordered), BLOCK):
        block = (matrix[start : start + BLOCK] @ transposed).toarray()
        block = np.round(block, DECIMALS)
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = -1.0  # never related to itself
            result[slugs[i]] = tuple(slugs[j] for j in top_k(row, k, floor))
    return result


def top_k(row: np.ndarray, k: int, floor: float) -> list[int]:
    """Indices of the k highest scores at or above `floor`; equal scores by lower index."""
    if k <= 0:
        return []
    kth = np.partition(row, -k)[-k] if len(row) >= k else row.min()
    candidates = np.flatnonzero(row >= max(kth, floor))
    ranked = sorted(candidates.tolist(), key=lambda j: (-row[j], j))
    return ranked[:k]


def add_related(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    related = related_slugs(papers)
    return tuple(replace(p, related=related[p.slug]) for p in papers)

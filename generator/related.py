"""Related papers: for each paper, up to `TOP_K` papers most similar to it.

TF-IDF over title and abstract (word 1-2-grams, sublinear tf, English stop words, L2
normalised rows, as scikit-learn computes it), cosine similarity, a floor below which a
paper is never shown, ties broken by slug. Computed at build time, so the static site
needs no server.

Memory and speed: never the full n x n matrix. Rows are compared a block at a time
(`BLOCK` rows against all papers: one sparse product, a `BLOCK x n` dense block), so memory
is linear in n for a fixed block. Up to `EXACT_LIMIT` papers every pair is scored. Above
it, the product is dominated by common terms (a term in d papers costs d^2 multiplications
yet adds about the same to every pair), so candidates are found with the common terms left
out (`COMMON_SHARE`), and the best `CANDIDATES` of them are then scored exactly: the scores
shown are exact cosines, but a true top-5 paper missed by the candidate search is possible
(bench/related_30k.py measures how often).

Stability: scores are rounded to 6 decimals before ranking, so the lists do not depend on
floating-point noise. The IDF is fitted on each run's papers, so a new paper changes every
term's IDF a little: a paper that shares no word with a list's papers never enters it, but
near-ties and papers near the floor can swap. tests/test_related.py measures this on the
real digests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.model import Paper

TOP_K = 5
FLOOR = 0.04  # cosine; about the 99th percentile of unrelated pairs on the real digests
BLOCK = 512
DECIMALS = 6
COMMON_SHARE = 0.01  # candidates are found without terms in more than 1% of papers ...
COMMON_MIN = 20  # ... or in more than 20, whichever is more
CANDIDATES = 50  # candidates per paper, then scored exactly
EXACT_LIMIT = 5_000  # up to this many papers every pair is scored


def vectors(papers: Sequence[Paper]) -> sparse.csr_matrix:
    """TF-IDF rows (L2-normalised) of title and abstract: word 1-2-grams, sublinear tf.

    A real vocabulary, not hashed terms: hashing is about twice as fast, but at 30,000
    papers (millions of bigrams) colliding terms would make unrelated papers look related.
    """
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", dtype=np.float64)
    weighted: sparse.csr_matrix = vectorizer.fit_transform([f"{p.title} {p.abstract}" for p in papers]).tocsr()
    return weighted


def related_slugs(
    papers: Sequence[Paper], k: int = TOP_K, floor: float = FLOOR, exact: bool | None = None
) -> dict[str, tuple[str, ...]]:
    """{slug: up to k slugs of the most similar other papers, most similar first}.

    Exact (every pair) up to `EXACT_LIMIT` papers; above, or with `exact=False`, candidates
    are found without common terms and then scored exactly (see the module docstring).
    """
    ordered = sorted(papers, key=lambda p: p.slug)  # index order == slug order: ties by slug
    slugs = [p.slug for p in ordered]
    if len(ordered) < 2:
        return {s: () for s in slugs}
    matrix = vectors(ordered)
    if exact is None:
        exact = len(ordered) <= EXACT_LIMIT
    query = matrix if exact else _without_common_terms(matrix)
    transposed = matrix.T.tocsr()  # CSR @ CSR: scipy's native product, no per-block conversion
    result: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ordered), BLOCK):
        rows = np.arange(start, min(start + BLOCK, len(ordered)))
        rough = (query[rows] @ transposed).toarray()
        rough[np.arange(len(rows)), rows] = -1.0  # never related to itself
        if exact:
            scores = np.round(rough, DECIMALS)
        else:
            width = min(CANDIDATES, len(ordered) - 1)
            candidates = np.argpartition(-rough, width - 1, axis=1)[:, :width]
            scores = np.full(rough.shape, -1.0)
            np.put_along_axis(scores, candidates, _exact_scores(matrix, rows, candidates), axis=1)
        for r, i in enumerate(rows):
            scores[r, i] = -1.0  # never related to itself
            result[slugs[i]] = tuple(slugs[j] for j in top_k(scores[r], k, floor))
    return result


def _without_common_terms(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """The rows without terms found in many papers: those make the product slow (a term in
    d papers costs d^2 multiplications) while adding about the same to every pair."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    common = df > max(COMMON_MIN, COMMON_SHARE * matrix.shape[0])
    pruned = matrix.copy()
    pruned.data[common[pruned.indices]] = 0.0
    pruned.eliminate_zeros()
    return pruned


def _exact_scores(matrix: sparse.csr_matrix, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Cosine of each row with each of its candidates, rounded: (len(rows), width)."""
    left = matrix[np.repeat(rows, candidates.shape[1])]
    right = matrix[candidates.ravel()]
    dots = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    return np.round(dots, DECIMALS).reshape(candidates.shape)


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

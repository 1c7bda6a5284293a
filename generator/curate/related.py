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
(bench/related_30k.py measures how often). From `PARALLEL_FROM` papers the blocks are
computed by forked worker processes (generator/parallel.py; two cores: 14-16 s -> 11-12 s
at 30,000 papers on a shared machine); blocks are independent and come back in order.

Stability: scores are rounded to 6 decimals before ranking, so the lists do not depend on
floating-point noise. The IDF is fitted on each run's papers, so a new paper changes every
term's IDF a little: a paper that shares no word with a list's papers never enters it, but
near-ties and papers near the floor can swap. tests/test_related.py measures this on the
real digests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse

from generator.curate.tfidf import tfidf
from generator.model import Paper
from generator.parallel import run_parts

TOP_K = 5
FLOOR = 0.04  # cosine; about the 99th percentile of unrelated pairs on the real digests
BLOCK = 512
DECIMALS = 6
COMMON_SHARE = 0.01  # candidates are found without terms in more than 1% of papers ...
COMMON_MIN = 20  # ... or in more than 20, whichever is more
CANDIDATES = 50  # candidates per paper, then scored exactly
EXACT_LIMIT = 5_000  # up to this many papers every pair is scored
PARALLEL_FROM = 2_000  # from this many papers, blocks are computed on every core (a dense block each)


def vectors(papers: Sequence[Paper]) -> sparse.csr_matrix:
    """TF-IDF rows (L2-normalised) of title and abstract: word 1-2-grams, sublinear tf.

    A real vocabulary, not hashed terms: hashing is about twice as fast, but at 30,000
    papers (millions of bigrams) colliding terms would make unrelated papers look related.
    """
    # scikit-learn's TfidfVectorizer of "title abstract", counted faster (generator/curate/tfidf.py).
    return tfidf([(p.title, p.abstract) for p in papers])


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
    rare, common = (matrix, None) if exact else _split_common_terms(matrix)
    transposed = matrix.T.tocsr()  # CSR @ CSR: scipy's native product, no per-block conversion
    shared = _Blocks(rare, common, transposed, k, floor)
    del matrix, rare, common  # held by `shared` only as far as the blocks need them
    # Blocks are independent: forked workers (generator/parallel.py) share the matrices
    # without copying them and return the blocks in order: the same lists as in one process.
    parts = [partial(shared.block, start) for start in range(0, len(ordered), BLOCK)]
    blocks = run_parts(parts, parallel=len(ordered) >= PARALLEL_FROM)
    ranked = [best for found in blocks for best in found]
    return {slugs[i]: tuple(slugs[j] for j in best) for i, best in enumerate(ranked)}


@dataclass(frozen=True)
class _Blocks:
    """What every block of rows is compared with (see `related_slugs`)."""

    rare: sparse.csr_matrix
    common: sparse.csr_matrix | None
    transposed: sparse.csr_matrix
    k: int
    floor: float

    def block(self, start: int) -> list[list[int]]:
        """The ranked related indices of rows start .. start + BLOCK - 1."""
        n = self.transposed.shape[1]
        rows = np.arange(start, min(start + BLOCK, n))
        rough = (self.rare[rows] @ self.transposed).toarray()
        rough[np.arange(len(rows)), rows] = -1.0  # never related to itself
        if self.common is None:
            return [top_k(np.round(row, DECIMALS), self.k, self.floor) for row in rough]
        width = min(CANDIDATES, n - 1)
        # Row by row, as argpartition along axis 1 does it: no second and third BLOCK x n
        # array (the negated scores and every index), ~250 MB per worker at 30,000 papers.
        candidates = np.array([np.argpartition(-row, width - 1)[:width] for row in rough]).reshape(len(rows), width)
        scores = np.take_along_axis(rough, candidates, axis=1) + _pair_dots(self.common, rows, candidates)
        return [_best(c, np.round(sc, DECIMALS), self.k, self.floor) for c, sc in zip(candidates, scores, strict=True)]


    def scored_block(self, start: int) -> list[list[tuple[int, float]]]:
        """`block`, each related index with its (rounded, exact) cosine."""
        n = self.transposed.shape[1]
        rows = np.arange(start, min(start + BLOCK, n))
        rough = (self.rare[rows] @ self.transposed).toarray()
        rough[np.arange(len(rows)), rows] = -1.0
        if self.common is None:
            rounded = np.round(rough, DECIMALS)
            return [[(j, float(row[j])) for j in top_k(row, self.k, self.floor)] for row in rounded]
        width = min(CANDIDATES, n - 1)
        candidates = np.array([np.argpartition(-row, width - 1)[:width] for row in rough]).reshape(len(rows), width)
        scores = np.take_along_axis(rough, candidates, axis=1) + _pair_dots(self.common, rows, candidates)
        scores = np.round(scores, DECIMALS)
        found = []
        for c, sc in zip(candidates, scores, strict=True):
            best = _best(c, sc, self.k, self.floor)
            at = {int(j): float(v) for j, v in zip(c, sc, strict=True)}
            found.append([(j, at[j]) for j in best])
        return found


def _split_common_terms(matrix: sparse.csr_matrix) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(rows without common terms, rows with only them). A term in d papers costs d^2
    multiplications in the product yet adds about the same to every pair, so candidates are
    found without common terms; their contribution is added back for the candidates only,
    which makes the candidates' scores exact cosines."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    is_common = (df > max(COMMON_MIN, COMMON_SHARE * matrix.shape[0]))[matrix.indices]
    return _entries(matrix, ~is_common), _entries(matrix, is_common)


def _entries(matrix: sparse.csr_matrix, keep: np.ndarray) -> sparse.csr_matrix:
    """The matrix with only the stored entries where `keep` is true (each row in its order),
    built from those entries alone rather than from a full copy."""
    kept_before = np.zeros(matrix.nnz + 1, dtype=matrix.indptr.dtype)  # kept among the first i entries
    np.cumsum(keep, out=kept_before[1:])
    indptr = kept_before[matrix.indptr]
    return sparse.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)


def _pair_dots(matrix: sparse.csr_matrix, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Dot product of each row with each of its candidates: (len(rows), width)."""
    left = matrix[np.repeat(rows, candidates.shape[1])]
    right = matrix[candidates.ravel()]
    return np.asarray(left.multiply(right).sum(axis=1)).reshape(candidates.shape)


def _best(candidates: np.ndarray, scores: np.ndarray, k: int, floor: float) -> list[int]:
    """The k best candidates at or above the floor: highest score first, then lowest index."""
    keep = scores >= floor
    order = np.lexsort((candidates[keep], -scores[keep]))
    return [int(j) for j in candidates[keep][order][:k]]


def top_k(row: np.ndarray, k: int, floor: float) -> list[int]:
    """Indices of the k highest scores at or above `floor`; equal scores by lower index."""
    if k <= 0:
        return []
    kth = np.partition(row, -k)[-k] if len(row) >= k else row.min()
    candidates = np.flatnonzero(row >= max(kth, floor))
    ranked = sorted(candidates.tolist(), key=lambda j: (-row[j], j))
    return ranked[:k]


def candidates(papers: Sequence[Paper], k: int, floor: float) -> tuple[list[Paper], list[list[tuple[int, float]]]]:
    """(papers in slug order, each one's k most TF-IDF-similar papers at or above `floor`, as
    (index into that order, cosine) pairs): the lexical candidates `curate/neighbours.py` re-ranks."""
    ordered = sorted(papers, key=lambda p: p.slug)
    if len(ordered) < 2:
        return ordered, [[] for _ in ordered]
    matrix = vectors(ordered)
    exact = len(ordered) <= EXACT_LIMIT
    rare, common = (matrix, None) if exact else _split_common_terms(matrix)
    shared = _Blocks(rare, common, matrix.T.tocsr(), k, floor)
    del matrix, rare, common
    parts = [partial(shared.scored_block, start) for start in range(0, len(ordered), BLOCK)]
    blocks = run_parts(parts, parallel=len(ordered) >= PARALLEL_FROM)
    return ordered, [best for found in blocks for best in found]

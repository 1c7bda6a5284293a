"""Related papers' lexical part: for each paper, the papers whose words are most like its own.

TF-IDF over title and abstract (word 1-2-grams, sublinear tf, English stop words, L2
normalised rows, as scikit-learn computes them), cosine similarity, a floor below which a
paper is never shown, ties broken by slug. Computed at build time, so the static site
needs no server.

Memory and speed: never the full n x n matrix. Rows are compared a block at a time
(`BLOCK` rows against all papers: one sparse product, a `BLOCK x n` dense block), so memory
is linear in n for a fixed block. Up to `EXACT_LIMIT` papers every pair is scored. Above
it, the product is dominated by common terms (a term in d papers costs d^2 multiplications
yet adds about the same to every pair), so a paper's `CANDIDATES` widest candidates are
found with the common terms left out (`COMMON_SHARE`; ranked by that rough score, ties by
slug), and scored exactly: the scores shown are exact cosines, but a true top-5 paper
missed by the candidate search is possible (bench/related_30k.py measures how often). From
`PARALLEL_FROM` papers the blocks are computed by forked worker processes
(generator/parallel.py); blocks are independent and come back in order.

The reference (`reference_rows`): the IDF and the common terms are fitted on every paper up
to `EPOCH` papers, and above it on the first papers listed in whole multiples of `EPOCH` (by
their first listing). So above `EPOCH` papers a new digest changes no older paper's
vector, and each row is stored in one canonical order (by feature), so a pair's score is the
same floating-point sum in any run that has both papers: a new digest's papers are scored
against the others and merged into the lists they enter (`update`, with related_cache.py),
and the result is the one a search of every paper from scratch gives (tests/test_related_cache.py).
Once per `EPOCH` papers, when the reference grows, everything is searched again.

Stability: scores are rounded to 6 decimals before ranking, so the lists do not depend on
floating-point noise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

import numpy as np
from scipy import sparse

from generator.curate.tfidf import Vocabulary, count_matrix, reference_df, weigh, words
from generator.model import Paper
from generator.parallel import run_parts

TOP_K = 5
FLOOR = 0.04  # cosine; about the 99th percentile of unrelated pairs on the real digests
BLOCK = 512
DECIMALS = 6
COMMON_SHARE = 0.01  # candidates are found without terms in more than 1% of the reference's papers ...
COMMON_MIN = 20  # ... or in more than 20, whichever is more
CANDIDATES = 50  # candidates per paper, then scored exactly
EXACT_LIMIT = 5_000  # up to this many papers every pair is scored
EPOCH = 5_000  # above this many papers, the reference grows in steps of this many (module docstring)
PARALLEL_FROM = 2_000  # from this many papers, blocks are computed on every core (a dense block each)


def reference_rows(ordered: Sequence[Paper]) -> np.ndarray:
    """Which papers the IDF and the common terms are fitted on (a mask over `ordered`): every
    paper up to `EPOCH`, else the first `n // EPOCH * EPOCH` listed (by their first listing:
    digest date, digest, position; then slug), so that a new digest, even one of the same day,
    comes after the papers listed before it."""
    n = len(ordered)
    mask = np.ones(n, dtype=bool)
    if n <= EPOCH:
        return mask

    def first_listing(i: int) -> tuple[date, str, int, str]:
        seen = min((a.digest_date, a.digest_id, a.position) for a in ordered[i].appearances)
        return (*seen, ordered[i].slug)

    by_age = sorted(range(n), key=first_listing)
    mask[by_age[n // EPOCH * EPOCH :]] = False
    return mask


def text_key(paper: Paper) -> str:
    """A hash of what the lexical search reads of a paper: its title and abstract."""
    data = json.dumps([paper.title, paper.abstract], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def reference_key(ordered: Sequence[Paper], reference: np.ndarray, keys: Sequence[str]) -> str:
    """A hash of the reference's papers (slug and text): what every vector depends on."""
    digest = hashlib.sha256(b"reference\0")
    for i in np.flatnonzero(reference).tolist():
        digest.update(f"{ordered[i].slug}\0{keys[i]}\0".encode())
    return digest.hexdigest()


@dataclass
class Lexical:
    """The TF-IDF rows of papers in slug order, what the candidate search compares, and the
    reference's document frequencies (for the reasons' rarest shared phrase)."""

    ordered: list[Paper]
    matrix: sparse.csr_matrix
    vocabulary: Vocabulary
    reference: np.ndarray
    df: np.ndarray
    n_reference: int
    exact: bool

    def phrase_df(self, phrase: str) -> int:
        """How many of the reference's papers use a word or bigram (0 for one none uses)."""
        column = self.vocabulary.column(phrase, words().ids)
        return 0 if column is None else int(self.df[column])


def lexical(papers: Sequence[Paper], exact: bool | None = None) -> Lexical:
    """The papers' TF-IDF rows (see the module docstring: reference IDF, canonical order)."""
    ordered = sorted(papers, key=lambda p: p.slug)  # index order == slug order: ties by slug
    reference = reference_rows(ordered)
    tokens = words()
    matrix, vocabulary = count_matrix(tokens.documents([(p.title, p.abstract) for p in ordered]), tokens.words)
    matrix.sort_indices()  # one order per row whatever the other papers: the same sums in every run
    df, n_reference = reference_df(matrix, reference)
    matrix = weigh(matrix, reference)
    if exact is None:
        exact = len(ordered) <= EXACT_LIMIT
    return Lexical(ordered, matrix, vocabulary, reference, df, n_reference, exact)


@dataclass(frozen=True)
class Wide:
    """A paper's widest candidates (indices into the slug order), by rough score then index,
    with their rough and exact scores (the rough one without the common terms)."""

    index: np.ndarray
    rough: np.ndarray
    exact: np.ndarray

    def best(self, k: int, floor: float) -> list[tuple[int, float]]:
        """The k best candidates at or above the floor, (index, rounded exact score)."""
        scores = np.round(self.exact, DECIMALS)
        return [(int(j), float(s)) for j, s in zip(*_ranked(self.index, scores, k, floor), strict=True)]


@dataclass(frozen=True)
class Search:
    """What every block of rows is compared with."""

    rare: sparse.csr_matrix
    common: sparse.csr_matrix | None
    transposed: sparse.csr_matrix

    @classmethod
    def of(cls, found: Lexical) -> Search:
        if found.exact:
            return cls(found.matrix, None, found.matrix.T.tocsr())
        limit = max(COMMON_MIN, COMMON_SHARE * found.n_reference)
        is_common = (found.df > limit)[found.matrix.indices]
        # CSR @ CSR: scipy's native product, no per-block conversion
        return cls(_entries(found.matrix, ~is_common), _entries(found.matrix, is_common), found.matrix.T.tocsr())

    def exact_block(self, rows: np.ndarray, k: int, floor: float) -> list[list[tuple[int, float]]]:
        """Every pair scored: each row's k best (index, rounded cosine) at or above the floor."""
        rough = np.round((self.rare[rows] @ self.transposed).toarray(), DECIMALS)
        rough[np.arange(len(rows)), rows] = -1.0  # never related to itself
        return [[(j, float(row[j])) for j in top_k(row, k, floor)] for row in rough]

    def wide_block(self, rows: np.ndarray) -> list[Wide]:
        """Each row's `CANDIDATES` widest candidates, found without common terms, scored exactly.
        Row by row, as argpartition along axis 1 would: no second BLOCK x n array."""
        n = self.transposed.shape[1]
        rough = (self.rare[rows] @ self.transposed).toarray()
        rough[np.arange(len(rows)), rows] = -1.0
        width = min(CANDIDATES, n - 1)
        chosen = np.array([_widest(row, width) for row in rough]).reshape(len(rows), width)
        scores = np.take_along_axis(rough, chosen, axis=1)
        return [Wide(c, r, e) for c, r, e in zip(chosen, scores, scores + self.pair_dots(rows, chosen), strict=True)]

    def pair_dots(self, rows: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """The common terms' part of each row's score with each of its candidates."""
        assert self.common is not None
        return _pair_dots(self.common, rows, candidates)


def _block_rows(rows: np.ndarray) -> list[np.ndarray]:
    return [rows[at : at + BLOCK] for at in range(0, len(rows), BLOCK)]


def search_wide(search: Search, rows: np.ndarray) -> list[Wide]:
    """`Search.wide_block` for any rows, a block at a time (on every core for many rows)."""
    parts = [partial(search.wide_block, block) for block in _block_rows(rows)]
    return [w for found in run_parts(parts, parallel=len(rows) >= PARALLEL_FROM) for w in found]


def related_slugs(
    papers: Sequence[Paper], k: int = TOP_K, floor: float = FLOOR, exact: bool | None = None
) -> dict[str, tuple[str, ...]]:
    """{slug: up to k slugs of the most similar other papers, most similar first}.

    Exact (every pair) up to `EXACT_LIMIT` papers; above, or with `exact=False`, candidates
    are found without common terms and then scored exactly (see the module docstring).
    """
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    found = lexical(papers, exact)
    slugs = [p.slug for p in found.ordered]
    return {slugs[i]: tuple(slugs[j] for j, _ in best) for i, best in enumerate(scored(found, k, floor))}


def scored(found: Lexical, k: int, floor: float, wide: list[Wide] | None = None) -> list[list[tuple[int, float]]]:
    """Each paper's k best (index, rounded cosine) at or above the floor; `wide`: the widest
    candidates already found (search path only)."""
    n = len(found.ordered)
    if n < 2:
        return [[] for _ in range(n)]
    search = Search.of(found)
    if found.exact:
        parts = [partial(search.exact_block, block, k, floor) for block in _block_rows(np.arange(n))]
        return [best for part in run_parts(parts, parallel=n >= PARALLEL_FROM) for best in part]
    return [w.best(k, floor) for w in (wide if wide is not None else search_wide(search, np.arange(n)))]


def update(search: Search, kept: np.ndarray, cached: Sequence[Wide], new: np.ndarray) -> list[Wide]:
    """The widest candidates of the `kept` rows, from `cached` (theirs before the `new` rows
    existed, in this run's indices) and the new rows: a new row enters where a full search
    would put it, since its rough score with each kept row is the same sum a full search makes."""
    if not len(new) or not len(kept):
        return list(cached)
    width = len(cached[0].index) if cached else 0
    merged: list[Wide] = []
    wanted: list[tuple[int, int, int]] = []  # (row in `merged`, slot, new index) still to score exactly
    new_columns = search.transposed[:, new]  # once: a column slice of a CSR matrix reads all of it
    for at_rows in range(0, len(kept), BLOCK):
        rows = kept[at_rows : at_rows + BLOCK]
        rough_new = (search.rare[rows] @ new_columns).toarray()
        lowest = np.array([cached[at_rows + o].rough[-1] if width else np.inf for o in range(len(rows))])
        for offset, row_new in enumerate(rough_new):
            old = cached[at_rows + offset]
            if not width or row_new.max() < lowest[offset]:  # no new paper reaches this row's widest
                merged.append(old)
                continue
            index = np.concatenate((old.index, new))
            rough = np.concatenate((old.rough, row_new))
            order = np.lexsort((index, -rough))[:width]
            exact = np.concatenate((old.exact, np.full(len(new), np.nan)))[order]
            slot = len(merged)
            merged.append(Wide(index[order], rough[order], exact))
            wanted += [(slot, s, int(index[order][s])) for s in np.flatnonzero(order >= len(old.index)).tolist()]
    if wanted:
        slots = np.array(wanted)
        rows = kept[slots[:, 0]]
        dots = search.pair_dots(rows, slots[:, 2:3])[:, 0]
        for (slot, s, _), dot in zip(wanted, dots.tolist(), strict=True):
            merged[slot].exact[s] = merged[slot].rough[s] + dot
    return merged


def _widest(row: np.ndarray, width: int) -> np.ndarray:
    """The indices of the `width` highest scores, highest first, equal scores by lower index:
    the same set whatever else the row holds, which argpartition alone does not promise."""
    threshold = -np.partition(-row, width - 1)[width - 1]  # partitioning near the end is ~50x slower
    above = np.flatnonzero(row > threshold)
    chosen = np.concatenate((above, np.flatnonzero(row == threshold)[: width - len(above)]))
    return chosen[np.lexsort((chosen, -row[chosen]))]


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


def _ranked(candidates: np.ndarray, scores: np.ndarray, k: int, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """The k best candidates at or above the floor, and their scores: highest first, then lowest index."""
    keep = scores >= floor
    order = np.lexsort((candidates[keep], -scores[keep]))[:k]
    return candidates[keep][order], scores[keep][order]


def top_k(row: np.ndarray, k: int, floor: float) -> list[int]:
    """Indices of the k highest scores at or above `floor`; equal scores by lower index."""
    if k <= 0:
        return []
    kth = np.partition(row, -k)[-k] if len(row) >= k else row.min()
    candidates = np.flatnonzero(row >= max(kth, floor))
    ranked = sorted(candidates.tolist(), key=lambda j: (-row[j], j))
    return ranked[:k]

"""TF-IDF rows exactly as scikit-learn's `TfidfVectorizer` computes them, without scikit-learn.

Topics and related papers both use `TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
stop_words="english")`. Its analysis and counting loop over every word and bigram in Python
(about 20 s for the two fits at 30,000 papers), and importing scikit-learn alone takes
1.5-2.5 s, more than the rest of a run over the real digests. Here each text is tokenised
once, with scikit-learn's preprocessing (lowercase), token pattern and English stop words
(`english_stop_words.txt`, its list), into word ids (a title used twice, or by both fits, is
tokenised once: `Words` keeps the last call's texts); bigrams, the vocabulary and the counts
are then computed with numpy, and weighed as its `TfidfTransformer` weighs them (`weigh`).
The result is the same matrix, value for value and in the same stored order
(tests/test_ranking_exact.py compares them with scikit-learn's, which the tests install), because:

- a document is its parts joined by spaces ("title title abstract"). For ASCII parts,
  `lower()` and the token pattern (`\\b\\w\\w+\\b`) never reach across a space, so the
  document's tokens are its parts' tokens one after the other; any other document is
  tokenised whole. Stop words go first, then bigrams join neighbours, as scikit-learn does.
- scikit-learn numbers features alphabetically. A bigram is "w1 w2" and a space sorts
  before every word character, so that order is the order of (w1, w2) with a word
  before its own bigrams: sortable integer keys, no bigram string is ever built.
- each row's entries are stored in the order its features were first seen in the whole
  corpus (unigrams of a document, then its bigrams), which is what scikit-learn's counting
  and its vocabulary sorting leave, and what the L2 normalisation sums in.
- the weights are the same floating-point operations in the same order: 1 + log(tf), times
  log((n + 1) / (df + 1)) + 1, each row divided by the square root of its sum of squares
  summed left to right (`np.bincount` adds in order, as scikit-learn's loop does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import filterfalse
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.text import ascii_words

SETTINGS = {"ngram_range": (1, 2), "sublinear_tf": True, "stop_words": "english"}


STOP_WORDS = frozenset((Path(__file__).parent / "english_stop_words.txt").read_text(encoding="utf-8").split())
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


class Words:
    """Stop-word-filtered scikit-learn tokens of texts, as ids into one growing word list."""

    def __init__(self) -> None:
        self._stop = STOP_WORDS
        # What a lowercase ASCII text's words lose: stop words and one-character words.
        self._drop = self._stop | set("abcdefghijklmnopqrstuvwxyz0123456789_")
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self._cache: dict[str, np.ndarray] = {}

    def tokens(self, text: str) -> list[str]:
        """scikit-learn's tokens of the text, without stop words, in order.

        On ASCII text its token pattern (`\\b\\w\\w+\\b`) finds the runs of two or more word
        characters, which `ascii_words` finds about 2.5 times faster.
        """
        low = text.lower()  # scikit-learn's preprocessor: lowercase, no accent stripping
        if low.isascii():
            return list(filterfalse(self._drop.__contains__, ascii_words(low)))
        return list(filterfalse(self._stop.__contains__, TOKEN.findall(low)))

    def ids_of(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The word ids of each text's tokens (new words get the next ids, in order of first
        appearance). One text at a time: holding every token string of 30,000 abstracts at
        once cost ~1 GB."""
        ids, words, result = self.ids, self.words, []
        for text in texts:
            tokens = self.tokens(text)
            for word in dict.fromkeys(tokens):
                if word not in ids:
                    ids[word] = len(words)
                    words.append(word)
            result.append(np.fromiter(map(ids.__getitem__, tokens), dtype=np.int64, count=len(tokens)))
        return result

    def documents(self, docs: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The word ids of the tokens of each `" ".join(parts)`, each ASCII part tokenised once.

        The texts are kept for the next call only: the next fit usually reads the same texts.
        """
        plain = [all(part.isascii() for part in doc) for doc in docs]
        parts = dict.fromkeys(part for doc, ok in zip(docs, plain, strict=True) if ok for part in doc)
        new = [part for part in parts if part not in self._cache]
        cache = {part: self._cache[part] for part in parts if part in self._cache}
        cache.update(zip(new, self.ids_of(new), strict=True))
        self._cache = cache
        whole = iter(self.ids_of([" ".join(doc) for doc, ok in zip(docs, plain, strict=True) if not ok]))
        return [
            np.concatenate([cache[part] for part in doc]) if ok else next(whole)
            for doc, ok in zip(docs, plain, strict=True)
        ]


_WORDS: list[Words] = []


def words() -> Words:
    """The process's `Words` (created on first use, so importing this module stays cheap)."""
    if not _WORDS:
        _WORDS.append(Words())
    return _WORDS[0]


CHUNK = 2_000  # documents counted at a time: memory stays bounded by a chunk, not the corpus


@dataclass(frozen=True)
class Vocabulary:
    """The columns of a `count_matrix`: each feature's sortable key (see `_keys`), in column order."""

    keys: np.ndarray
    rank: np.ndarray  # word id -> the word's alphabetical rank among the words counted

    def column(self, phrase: str, ids: Mapping[str, int]) -> int | None:
        """The column of a word or "word word" bigram (`ids`: word -> id), None if not a feature."""
        parts = phrase.split(" ")
        if len(parts) > 2 or any(w not in ids or ids[w] >= len(self.rank) for w in parts):
            return None
        width = len(self.rank) + 1
        key = int(self.rank[ids[parts[0]]]) * width + (int(self.rank[ids[parts[1]]]) + 1 if len(parts) == 2 else 0)
        at = int(np.searchsorted(self.keys, key))
        return at if at < len(self.keys) and int(self.keys[at]) == key else None


def counts(docs: Sequence[np.ndarray], words: Sequence[str]) -> sparse.csr_matrix:
    """The word 1-2-gram count matrix of `TfidfVectorizer` for documents given as word ids."""
    return count_matrix(docs, words)[0]


def count_matrix(docs: Sequence[np.ndarray], words: Sequence[str]) -> tuple[sparse.csr_matrix, Vocabulary]:
    """The word 1-2-gram count matrix of `TfidfVectorizer` for documents given as word ids,
    and its columns' features.

    Features are numbered alphabetically, and each row stores its entries in the order the
    features were first seen in the corpus. Both need the whole corpus, but not at once: a
    first pass over chunks of `CHUNK` documents collects each chunk's features and where each
    first occurs, a second pass counts each chunk's (document, feature) pairs. At 30,000
    papers the unchunked arrays (~10 million occurrences) peaked at ~600 MB.
    """
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    rank = np.empty(len(words), dtype=np.int64)
    rank[sorted(range(len(words)), key=words.__getitem__)] = np.arange(len(words))
    sizes = np.where(lengths > 0, 2 * lengths - 1, 0)  # words, then bigrams
    offsets = np.cumsum(sizes) - sizes  # where each document's features start in the corpus
    chunks = [range(start, min(start + CHUNK, len(docs))) for start in range(0, len(docs), CHUNK)]
    # The vocabulary so far (sorted keys) and where each feature first occurs: a chunk adds
    # the features no earlier chunk had, and an earlier chunk's occurrence is the first. Only
    # the vocabulary is held, and per chunk its distinct keys and which of them each occurrence
    # is (~55 MB at 30,000 papers), so the second pass looks up ~3 million sorted keys instead
    # of ~8 million in corpus order (1 s less at 30,000 papers).
    features, first = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    distinct: list[tuple[np.ndarray, np.ndarray]] = []  # per chunk: its sorted keys, each occurrence's
    for chunk in chunks:
        keys, where, inverse = _features(_keys(docs, chunk, rank), offsets[chunk.start])
        distinct.append((keys, inverse))
        at = np.searchsorted(features, keys)
        known = at < len(features)
        known[known] = features[at[known]] == keys[known]
        new = ~known  # np.insert keeps equal positions in the given (sorted) order
        features, first = np.insert(features, at[new], keys[new]), np.insert(first, at[new], where[new])
        del keys, where, at, known, new
    if not len(features):
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    count = len(features)
    seen = np.empty(count, dtype=np.int64)  # feature -> rank of its first occurrence
    seen[np.argsort(first, kind="stable")] = np.arange(count)
    by_seen = np.empty(count, dtype=np.int64)  # rank of first occurrence -> feature
    by_seen[seen] = np.arange(count)
    row_sizes, columns, values = [], [], []
    for chunk in chunks:
        keys, inverse = distinct.pop(0)  # each chunk's arrays freed once counted
        owner = np.repeat(np.arange(chunk.start, chunk.stop), sizes[chunk.start : chunk.stop])  # as _keys lays them
        cells = owner * count + seen[np.searchsorted(features, keys)][inverse]
        del keys, inverse, owner
        entries, chunk_values = np.unique(cells, return_counts=True)  # by document, then first seen
        row_sizes.append(np.bincount(entries // count - chunk.start, minlength=len(chunk)))
        columns.append(by_seen[entries % count])
        values.append(chunk_values.astype(np.int32))  # counts: float64 only once, joined
    indptr = np.concatenate(([0], np.cumsum(np.concatenate(row_sizes))))
    # int32 indices, as scikit-learn's, unless a feature number or the entry count needs more
    index = np.int32 if max(count, int(indptr[-1])) < np.iinfo(np.int32).max // 2 else np.int64
    columns = [part.astype(index) for part in columns]
    indptr = indptr.astype(index)
    data = np.concatenate(values).astype(np.float64)
    del values  # each part is freed before the next array is joined: ~120 MB less at 30,000 papers
    matrix = sparse.csr_matrix((data, np.concatenate(columns), indptr), shape=(len(docs), count))
    return matrix, Vocabulary(features, rank)


def _features(keys: np.ndarray, offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A chunk's distinct feature keys, where each first occurs in the corpus, and which of them
    each of its keys is."""
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return unique, first + offset, inverse.astype(np.int32)


def _keys(docs: Sequence[np.ndarray], chunk: range, rank: np.ndarray) -> np.ndarray:
    """Feature keys of the documents in `chunk`, in order: each document's words, then its
    bigrams (scikit-learn's order). A word's key is rank * width, a bigram's
    rank1 * width + rank2 + 1, so sorting keys sorts features as scikit-learn names them."""
    width = len(rank) + 1
    parts = [docs[i] for i in chunk]
    lengths = np.fromiter((len(d) for d in parts), dtype=np.int64, count=len(parts))
    ranks = rank[np.concatenate(parts)] if parts and lengths.sum() else np.zeros(0, dtype=np.int64)
    doc = np.repeat(np.arange(len(parts)), lengths)
    local = np.arange(len(ranks)) - (np.cumsum(lengths) - lengths)[doc]
    sizes = np.where(lengths > 0, 2 * lengths - 1, 0)
    begins = np.cumsum(sizes) - sizes
    keys = np.empty(int(sizes.sum()), dtype=np.int64)
    keys[begins[doc] + local] = ranks * width
    pairs = np.flatnonzero(local[1:] > 0) if len(ranks) else np.zeros(0, dtype=np.int64)
    at = begins[doc[pairs]] + lengths[doc[pairs]] + local[pairs]
    keys[at] = ranks[pairs] * width + ranks[pairs + 1] + 1
    return keys


def tfidf(docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """`TfidfVectorizer(**SETTINGS).fit_transform([" ".join(parts) for parts in docs])`."""
    tokens = words()
    return weigh(counts(tokens.documents(docs), tokens.words))


def weigh(matrix: sparse.csr_matrix, reference: np.ndarray | None = None) -> sparse.csr_matrix:
    """`TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=True).fit_transform`, in place;
    with `reference` (a row mask), the IDF is fitted on those rows only (`reference_df`)."""
    df, n = reference_df(matrix, reference)
    df += 1.0
    idf = np.full_like(df, fill_value=n + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    return normalize_rows(matrix)


def reference_df(matrix: sparse.csr_matrix, reference: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """(each column's document frequency, the number of documents), over the rows `reference`
    marks (None: every row)."""
    if reference is None:
        return np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64), matrix.shape[0]
    rows = np.repeat(reference, np.diff(matrix.indptr))
    return np.bincount(matrix.indices[rows], minlength=matrix.shape[1]).astype(np.float64), int(reference.sum())


def normalize_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row divided by its L2 norm, in place, as scikit-learn's `normalize` does it: the
    squares summed in stored order, rows of zeros left alone."""
    sizes = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), sizes)
    norms = np.sqrt(np.bincount(rows, weights=np.square(matrix.data), minlength=matrix.shape[0]))
    del rows
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, sizes)
    return matrix


def split_rows(matrix: sparse.csr_matrix, n: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(the first n rows, the rest): the first as views of the matrix's arrays, not a copy
    (which at 30,000 papers is ~90 MB); changing them changes the matrix."""
    end = matrix.indptr[n]
    head = sparse.csr_matrix(
        (matrix.data[:end], matrix.indices[:end], matrix.indptr[: n + 1]), shape=(n, matrix.shape[1])
    )
    return head, matrix[n:]


def cosine(left: sparse.csr_matrix, right: sparse.csr_matrix) -> np.ndarray:
    """scikit-learn's `cosine_similarity(left, right)` (a dense array): both normalised again
    (in place: callers pass matrices of their own, and 30,000 rows are ~90 MB), then multiplied."""
    product = normalize_rows(left) @ normalize_rows(right).T
    return np.asarray(product.toarray())


def transform(docs: Sequence[Sequence[str]], features: Sequence[str], idf: np.ndarray) -> sparse.csr_matrix:
    """`TfidfVectorizer(**SETTINGS).transform([" ".join(parts) for parts in docs])` of a vectorizer
    fitted elsewhere, whose `get_feature_names_out()` is `features` (words and "word word"
    bigrams) and whose `idf_` is `idf`: the topic model's text classifier (topic_model.py).
    Features outside the vocabulary are dropped before each row is normalised, as there.
    Equal to scikit-learn's (tests/test_topics.py); `CHUNK` documents at a time."""
    tokens = words()
    docs_ids = tokens.documents(docs)
    pairs = [f.split(" ") for f in features]
    for pair in pairs:
        for word in pair:
            if word not in tokens.ids:  # a vocabulary word no text has used yet in this process
                tokens.ids[word] = len(tokens.words)
                tokens.words.append(word)
    # A word's key is its id times WIDTH, a bigram's id1 * WIDTH + id2 + 1: one sortable integer.
    first = np.array([tokens.ids[p[0]] for p in pairs], dtype=np.int64)
    second = np.array([tokens.ids[p[1]] + 1 if len(p) > 1 else 0 for p in pairs], dtype=np.int64)
    keys = first * _WIDTH + second
    order = np.argsort(keys, kind="stable")
    parts = [
        _transform_chunk(docs_ids[start : start + CHUNK], keys[order], order, idf)
        for start in range(0, len(docs_ids), CHUNK)
    ]
    if not parts:
        return sparse.csr_matrix((0, len(features)))
    return normalize_rows(sparse.vstack(parts, format="csr"))


_WIDTH = np.int64(1) << 31


def _transform_chunk(
    docs_ids: Sequence[np.ndarray], sorted_keys: np.ndarray, order: np.ndarray, idf: np.ndarray
) -> sparse.csr_matrix:
    """Unnormalised sublinear TF-IDF rows of some documents over a fixed vocabulary."""
    count_features = len(sorted_keys)
    lengths = np.fromiter((len(d) for d in docs_ids), dtype=np.int64, count=len(docs_ids))
    ids = np.concatenate(docs_ids) if lengths.sum() else np.zeros(0, dtype=np.int64)
    doc = np.repeat(np.arange(len(docs_ids), dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    follows = np.flatnonzero(np.arange(len(ids)) - starts[doc] < lengths[doc] - 1)  # has a next word
    all_keys = np.concatenate((ids * _WIDTH, ids[follows] * _WIDTH + ids[follows + 1] + 1))
    owner = np.concatenate((doc, doc[follows]))
    del ids, doc, follows
    at = np.minimum(np.searchsorted(sorted_keys, all_keys), max(count_features - 1, 0))
    known = sorted_keys[at] == all_keys if count_features else np.zeros(len(all_keys), dtype=bool)
    entries, count = np.unique(owner[known] * count_features + order[at[known]], return_counts=True)
    values = (np.log(count.astype(np.float64)) + 1.0) * idf[entries % count_features]
    return sparse.csr_matrix(
        (values, (entries // count_features, entries % count_features)), shape=(len(docs_ids), count_features)
    )

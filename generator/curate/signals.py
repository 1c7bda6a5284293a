"""The per-(paper, topic) signals the topic model weighs (generator/curate/topics.py).

Each signal is a number for every paper and topic; the model is one logistic regression over
them with the same weights for every topic, so a topic with three labelled papers is served
as well as one with forty (per-topic weights would need far more labels than there are).

- `title`, `abstract`: the curators' term points in the title and the abstract (terms.py),
  each capped, as in the original rules (a title term 3 points, an abstract term 1 per
  occurrence up to 3).
- `profile_tfidf`: TF-IDF cosine of the paper to the topic's profile (name, description,
  terms), divided by the paper's best such cosine. The vocabulary (the profiles' word
  1-2-grams) and its IDF are fixed: fitted once by training on the labelled train papers and
  the profiles, and shipped with the model (topic_model.py), not fitted on the site's papers,
  so that a paper's topics do not move when other papers arrive.
- `profile_emb`: embedding cosine to the profile (embed.py: meaning, not exact words).
- `centroid`: embedding cosine to the mean of the topic's labelled example papers.
- `nearest`: the highest embedding cosine to one labelled example of the topic.
- `text_model`: the score of the topic's linear SVM over TF-IDF word 1-2-grams, trained on
  the labelled papers (topic_model.py): what the labelled papers' words say, topic by topic.

Every signal is also given relative to the paper's best topic on it (`gap_*`), since what
matters is which topic stands out, not how wordy the abstract is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from generator.curate.terms import Matches

NAMES = ("title", "abstract", "profile_tfidf", "profile_emb", "centroid", "nearest", "text_model")
BLOCK = 2_000  # papers compared with the examples at a time: memory grows with the block, not the site
TITLE_POINTS = 3
ABSTRACT_CAP = 3
POINTS_CAP = 9


def term_points(found: Sequence[Sequence[Matches]]) -> tuple[np.ndarray, np.ndarray]:
    """(title points, abstract points): papers x topics, each capped at `POINTS_CAP`."""
    title = np.zeros((len(found), len(found[0]) if found else 0))
    abstract = np.zeros_like(title)
    for i, row in enumerate(found):
        for j, matches in enumerate(row):
            for _, where, n in matches:
                if where == "title":
                    title[i, j] += TITLE_POINTS
                else:
                    abstract[i, j] += min(n, ABSTRACT_CAP)
    return np.minimum(title, POINTS_CAP), np.minimum(abstract, POINTS_CAP)


def profile_similarity(papers: Any, profiles: Any) -> np.ndarray:
    """`profile_tfidf`, papers x topics: the cosine of each paper's TF-IDF row to each topic
    profile's (both rows over the shipped profile vocabulary and IDF: tfidf.transform),
    divided by the paper's best. Only the paper's words that are in some profile count: the
    paper's norm over its other words would cancel in that division."""
    from generator.curate.tfidf import cosine

    found = cosine(papers, profiles)
    found /= np.maximum(found.max(axis=1, keepdims=True), 1e-9) if found.size else 1.0
    return found


def example_similarity(
    vectors: np.ndarray, examples: np.ndarray, labels: np.ndarray, topics: int, exclude: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(cosine to each topic's centroid of examples, highest cosine to one example of the
    topic): papers x topics. `exclude[i]` is the example index that paper i itself is (its own
    label must not count, as in leave-one-out), or -1. Computed `BLOCK` papers at a time."""
    if len(vectors) > BLOCK:
        parts = [
            _example_similarity(vectors[i : i + BLOCK], examples, labels, topics,
                                None if exclude is None else exclude[i : i + BLOCK])
            for i in range(0, len(vectors), BLOCK)
        ]  # fmt: skip
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    return _example_similarity(vectors, examples, labels, topics, exclude)


def _example_similarity(
    vectors: np.ndarray, examples: np.ndarray, labels: np.ndarray, topics: int, exclude: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    sims = vectors @ examples.T  # papers x examples
    if exclude is not None:
        own = np.flatnonzero(exclude >= 0)
        sims[own, exclude[own]] = -np.inf
    nearest = np.full((len(vectors), topics), -1.0)
    sums = np.zeros((len(vectors), topics))
    counts = np.zeros((len(vectors), topics))
    finite = np.isfinite(sims)
    for j in range(topics):
        cols = np.flatnonzero(labels == j)
        if len(cols):
            block = sims[:, cols]
            nearest[:, j] = np.max(np.where(finite[:, cols], block, -1.0), axis=1)
            sums[:, j] = np.where(finite[:, cols], block, 0.0).sum(axis=1)
            counts[:, j] = finite[:, cols].sum(axis=1)
    # The centroid's cosine: the mean of the example vectors, normalised. mean(x . e) over
    # examples is x . mean(e); divided by |mean(e)|, computed from the examples' Gram matrix.
    centroid = np.zeros_like(sums)
    gram = examples @ examples.T
    for j in range(topics):
        cols = np.flatnonzero(labels == j)
        if not len(cols):
            continue
        total = gram[np.ix_(cols, cols)].sum()
        norm_all = np.sqrt(max(total, 1e-12)) / len(cols)
        centroid[:, j] = sums[:, j] / np.maximum(counts[:, j], 1) / norm_all
        if exclude is not None:  # a paper that is one of these examples: the centroid without it
            for i in np.flatnonzero(np.isin(exclude, cols)):
                k = exclude[i]
                rest = len(cols) - 1
                if rest == 0:
                    centroid[i, j] = 0.0
                    continue
                total_wo = total - 2 * gram[k, cols].sum() + gram[k, k]
                centroid[i, j] = sums[i, j] / rest / (np.sqrt(max(total_wo, 1e-12)) / rest)
    return centroid, nearest


def features(raw: dict[str, np.ndarray]) -> np.ndarray:
    """papers x topics x features: each signal, and its gap to the paper's best topic on it."""
    layers = []
    for name in NAMES:
        value = raw[name]
        layers.append(value)
        layers.append(value - value.max(axis=1, keepdims=True))
    return np.stack(layers, axis=2)

"""The candidate topic classifiers compared by `curation.evaluate` (scores: rows x topics)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from curation.baseline import choose, score_topics
from curation.evaluate import Fit, as_papers, taxonomy
from curation.labels import Labelled
from generator.curate.embed import embed, paper_text


def slugs() -> list[str]:
    return [t.slug for t in taxonomy()]


def terms(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
    """The curators' terms and TF-IDF similarity to the topic profile (topics.py), untrained."""
    index = {s: j for j, s in enumerate(slugs())}
    out = np.full((len(rows), len(index)), -np.inf)
    for i, row in enumerate(score_topics(as_papers(rows), taxonomy())):
        chosen = choose(row)
        for rank, slug in enumerate(chosen):
            out[i, index[slug]] = -rank
    return out


@cache
def _vectors(key: tuple[str, ...]) -> np.ndarray:
    return embed(list(key)).astype(np.float16).astype(np.float32)  # as cached at build time


def vectors(rows: Sequence[Labelled]) -> np.ndarray:
    return _vectors(tuple(paper_text(r.title, r.abstract) for r in rows))


def profiles() -> list[str]:
    return [t.profile for t in taxonomy()]


def _training(train: Sequence[Labelled]) -> tuple[list[str], list[int]]:
    """Texts and class indices: the train rows and each topic's profile (so every topic has an example)."""
    index = {s: j for j, s in enumerate(slugs())}
    texts = [paper_text(r.title, r.abstract) for r in train] + profiles()
    labels = [index[r.primary] for r in train] + list(range(len(index)))
    return texts, labels


def _full(model: object, proba: np.ndarray) -> np.ndarray:
    out = np.full((proba.shape[0], len(slugs())), 1e-9)
    out[:, model.classes_] = proba  # type: ignore[attr-defined]
    logs: np.ndarray = np.log(out)
    return logs


def tfidf_lr(c: float = 10.0) -> Fit:
    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts, labels = _training(train)
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=1)
        x = vec.fit_transform(texts)
        model = LogisticRegression(C=c, max_iter=3000).fit(x, labels)
        return _full(model, model.predict_proba(vec.transform([paper_text(r.title, r.abstract) for r in rows])))

    return fit


def emb_lr(c: float = 10.0) -> Fit:
    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression

        texts, labels = _training(train)
        x = _vectors(tuple(texts))
        model = LogisticRegression(C=c, max_iter=3000).fit(x, labels)
        return _full(model, model.predict_proba(vectors(rows)))

    return fit


def emb_zero_shot(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
    """Cosine of the paper to each topic's profile (name, description, terms): no training."""
    found: np.ndarray = vectors(rows) @ _vectors(tuple(profiles())).T
    return found


def emb_centroid(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
    """Cosine to each topic's centroid of train papers and profile."""
    texts, labels = _training(train)
    x = _vectors(tuple(texts))
    centroids = np.zeros((len(slugs()), x.shape[1]))
    np.add.at(centroids, labels, x)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    found: np.ndarray = vectors(rows) @ centroids.T
    return found


CANDIDATES = {
    "terms (baseline)": terms,
    "tfidf+LR C=10": tfidf_lr(10.0),
    "tfidf+LR C=100": tfidf_lr(100.0),
    "emb zero-shot": emb_zero_shot,
    "emb centroid": emb_centroid,
    "emb+LR C=10": emb_lr(10.0),
    "emb+LR C=100": emb_lr(100.0),
}


def raw_signals(rows: Sequence[Labelled], examples: Sequence[Labelled]) -> dict[str, np.ndarray]:
    """Every signal of signals.py for `rows`, with `examples` as the labelled papers (a row
    that is itself an example is compared without itself: leave-one-out)."""
    from generator.curate.signals import example_similarity, term_points
    from generator.curate.terms import all_term_matches
    from generator.curate.tfidf import cosine, split_rows, tfidf

    tax = taxonomy()
    papers = as_papers(rows)
    title, abstract = term_points(all_term_matches(papers, tax))
    matrix = tfidf([(p.title, p.title, p.abstract) for p in papers] + [(t.profile,) for t in tax])
    profile = cosine(*split_rows(matrix, len(papers)))
    profile = profile / np.maximum(profile.max(axis=1, keepdims=True), 1e-9)
    vec = vectors(rows)
    profile_emb = vec @ _vectors(tuple(profiles())).T
    index = {s: j for j, s in enumerate(slugs())}
    ex_vec = vectors(examples)
    labels = np.array([index[e.primary] for e in examples])
    position = {e.key: k for k, e in enumerate(examples)}
    exclude = np.array([position.get(r.key, -1) for r in rows])
    centroid, nearest = example_similarity(vec, ex_vec, labels, len(index), exclude)
    return {"title": title, "abstract": abstract, "profile_tfidf": profile, "profile_emb": profile_emb,
            "centroid": centroid, "nearest": nearest}  # fmt: skip


@cache
def _train_signals(keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    from curation.labels import train_rows

    rows = [r for r in train_rows() if r.key in set(keys)]
    return raw_signals(rows, train_rows())


def stacked(c: float = 1.0, acceptable_weight: float = 0.0, use: tuple[str, ...] | None = None) -> Fit:
    """One logistic regression over (paper, topic) signals, the same weights for every topic."""

    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression

        from curation.labels import train_rows
        from generator.curate.signals import NAMES, features

        everything = train_rows()
        names = use or NAMES
        pick = [2 * NAMES.index(n) + k for n in names for k in (0, 1)]
        full = features(_train_signals(tuple(r.key for r in everything)))[:, :, pick]
        at = {r.key: i for i, r in enumerate(everything)}
        index = {s: j for j, s in enumerate(slugs())}
        x = full[[at[r.key] for r in train]]
        y = np.zeros(x.shape[:2])
        w = np.ones(x.shape[:2])
        for i, r in enumerate(train):
            y[i, index[r.primary]] = 1
            for a in r.acceptable:
                y[i, index[a]] = 1 if acceptable_weight > 0 else 0
                w[i, index[a]] = acceptable_weight if acceptable_weight > 0 else 1
        model = LogisticRegression(C=c, max_iter=5000).fit(
            x.reshape(-1, x.shape[2]), y.ravel(), sample_weight=w.ravel()
        )
        if all(r.key in at for r in rows):
            xr = full[[at[r.key] for r in rows]]
        else:
            xr = features(raw_signals(rows, everything))[:, :, pick]
        found: np.ndarray = np.asarray(model.decision_function(xr.reshape(-1, xr.shape[2]))).reshape(xr.shape[:2])
        return found

    return fit


CANDIDATES = {
    "terms (baseline)": terms,
    "tfidf+LR C=100": tfidf_lr(100.0),
    "emb centroid": emb_centroid,
    "emb+LR C=10": emb_lr(10.0),
    "stacked terms only": stacked(1.0, use=("title", "abstract", "profile_tfidf")),
    "stacked emb only": stacked(1.0, use=("profile_emb", "centroid", "nearest")),
    "stacked all C=1": stacked(1.0),
    "stacked all C=1 acc=0.3": stacked(1.0, 0.3),
}

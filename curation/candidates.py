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


def _full(classes: Sequence[int], scores: np.ndarray) -> np.ndarray:
    out = np.full((scores.shape[0], len(slugs())), -np.inf)
    out[:, list(classes)] = scores
    return out


def tfidf_svm(acceptable: float) -> Fit:
    """A linear SVM per topic over TF-IDF word 1-2-grams (title twice, sublinear tf, min_df 2,
    C=1), acceptable topics as positives of weight `acceptable`: with 0.5, the text classifier
    the shipped model uses as a signal (curation/train.py)."""

    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from curation.train import fit_text, text_scores

        return text_scores(*fit_text(train, acceptable), rows, slugs())

    return fit


def tfidf_lr(c: float) -> Fit:
    """Logistic regression per topic (one against the rest) over the same TF-IDF rows."""

    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        from curation.train import document

        index = {s: j for j, s in enumerate(slugs())}
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=2)
        x = vec.fit_transform([document(r) for r in train])
        model = OneVsRestClassifier(LogisticRegression(C=c, solver="liblinear")).fit(
            x, [index[r.primary] for r in train]
        )
        return _full(model.classes_, model.decision_function(vec.transform([document(r) for r in rows])))

    return fit


def emb_lr(c: float) -> Fit:
    """Multinomial logistic regression over the WordLlama vectors."""

    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression

        index = {s: j for j, s in enumerate(slugs())}
        model = LogisticRegression(C=c, max_iter=5000).fit(vectors(train), [index[r.primary] for r in train])
        return _full(model.classes_, model.decision_function(vectors(rows)))

    return fit


def concatenated(scale: float) -> Fit:
    """A linear SVM per topic over the TF-IDF row and the embedding (times `scale`) side by side."""

    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        from curation.train import document

        index = {s: j for j, s in enumerate(slugs())}
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=2)
        x = sparse.hstack([vec.fit_transform([document(r) for r in train]), scale * vectors(train)]).tocsr()
        model = LinearSVC(C=1.0, random_state=0, max_iter=10_000).fit(x, [index[r.primary] for r in train])
        xr = sparse.hstack([vec.transform([document(r) for r in rows]), scale * vectors(rows)]).tocsr()
        return _full(model.classes_, model.decision_function(xr))

    return fit


def emb_knn(k: int) -> Fit:
    """The k most similar train papers (embedding cosine) vote for their topic, by similarity."""

    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        index = {s: j for j, s in enumerate(slugs())}
        labels = np.array([index[r.primary] for r in train])
        sims = vectors(rows) @ vectors(train).T
        out = np.zeros((len(rows), len(index)))
        for i, row in enumerate(sims):
            near = np.argsort(-row, kind="stable")[:k]
            np.add.at(out[i], labels[near], row[near])
        return out

    return fit


def emb_centroid(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
    """Cosine to each topic's centroid of train papers."""
    index = {s: j for j, s in enumerate(slugs())}
    x = vectors(train)
    centroids = np.zeros((len(index), x.shape[1]))
    np.add.at(centroids, [index[r.primary] for r in train], x)
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
    found: np.ndarray = vectors(rows) @ centroids.T
    return found


def profile_vocabulary(examples: Sequence[Labelled]) -> tuple[list[str], np.ndarray]:
    """(features, IDF) of the `profile_tfidf` signal: the word 1-2-grams of the topics'
    profiles, with the IDF of scikit-learn's TfidfVectorizer (generator/curate/tfidf.py's
    settings) fitted on the examples' texts ("title title abstract") and the profiles. Fixed
    data, so a paper's profile similarity depends on that paper alone (the shipped model's
    files `profile_vocabulary.txt`, `profile_idf.npy`)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from curation.train import document
    from generator.curate.tfidf import SETTINGS

    fitted = TfidfVectorizer(**SETTINGS).fit([document(r) for r in examples] + profiles())
    features = sorted(TfidfVectorizer(**SETTINGS).fit(profiles()).vocabulary_)
    return features, np.array([fitted.idf_[fitted.vocabulary_[f]] for f in features], dtype=np.float64)


def raw_signals(rows: Sequence[Labelled], examples: Sequence[Labelled]) -> dict[str, np.ndarray]:
    """Every signal of signals.py for `rows`, with `examples` as the labelled papers (a row
    that is itself an example is compared without itself: leave-one-out; the profile
    signal's IDF is fitted on the examples and the profiles)."""
    from generator.curate.signals import example_similarity, profile_similarity, term_points
    from generator.curate.terms import all_term_matches
    from generator.curate.tfidf import transform

    tax = taxonomy()
    papers = as_papers(rows)
    title, abstract = term_points(all_term_matches(papers, tax))
    words, idf = profile_vocabulary(examples)
    profile = profile_similarity(transform([(p.title, p.title, p.abstract) for p in papers], words, idf),
                                 transform([(t.profile,) for t in tax], words, idf))  # fmt: skip
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


def stacked(
    c: float, text: bool, original_weight: float = 1.0, prior_shift: float = 0.0, text_acceptable: float = 0.5
) -> Fit:
    """The shared-weight model over the signals of signals.py, fitted on `train` (its examples
    are the train papers); with `text`, also the text classifier's score (out of fold on
    `train`, by a 5-fold split of it) and a bias per topic: the shipped model (curation/train.py).

    Prior shift (the extras were chosen by keyword, so their topics are not the site's):
    `original_weight` weighs the original files' papers that much more in the fit;
    `prior_shift` adds that times log(site prior / train prior) to each topic's score, the
    site's priors estimated from the original train papers (add-one smoothed).
    `text_acceptable`: the text classifier's weight of acceptable topics (tfidf_svm)."""

    def fit(train: Sequence[Labelled], rows: Sequence[Labelled]) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression

        from curation import train as training
        from generator.curate.signals import NAMES

        names = NAMES if text else tuple(n for n in NAMES if n != "text_model")
        ours, theirs = raw_signals(train, train), raw_signals(rows, train)
        if text:
            ours["text_model"] = training.out_of_fold_text(train, slugs(), text_acceptable)
            theirs["text_model"] = tfidf_svm(text_acceptable)(train, rows)
        x, xr = _features(ours, names), _features(theirs, names)
        y, w = training.targets(train, slugs(), 0.0)
        w *= np.array([original_weight if r.original else 1.0 for r in train])[:, None]
        if text:
            coef, bias = training.fit(x, y, w, c)
            found: np.ndarray = training.with_topics(xr) @ coef + bias
            if prior_shift:
                index = {s: j for j, s in enumerate(slugs())}
                site = np.bincount([index[r.primary] for r in train if r.original], minlength=len(index)) + 1.0
                every = np.bincount([index[r.primary] for r in train], minlength=len(index)) + 1.0
                found += prior_shift * (np.log(site / site.sum()) - np.log(every / every.sum()))
            return found
        model = LogisticRegression(C=c, max_iter=10_000).fit(x.reshape(-1, x.shape[2]), y.ravel())
        return np.asarray(model.decision_function(xr.reshape(-1, xr.shape[2]))).reshape(xr.shape[:2])

    return fit


def _features(raw: dict[str, np.ndarray], names: Sequence[str]) -> np.ndarray:
    return np.stack([v for n in names for v in (raw[n], raw[n] - raw[n].max(axis=1, keepdims=True))], axis=2)


CANDIDATES = {
    "terms and TF-IDF profile, hand-set rules (the old classifier)": terms,
    "TF-IDF + logistic regression per topic (C=10)": tfidf_lr(10.0),
    "TF-IDF + linear SVM per topic (C=1)": tfidf_svm(0.0),
    "TF-IDF + linear SVM per topic, acceptable topics positives at 0.5": tfidf_svm(0.5),
    "embeddings + logistic regression (C=10)": emb_lr(10.0),
    "embeddings, nearest centroid": emb_centroid,
    "embeddings, k nearest neighbours (k=20)": emb_knn(20),
    "TF-IDF and embeddings (x0.5) concatenated, linear SVM (C=1)": concatenated(0.5),
    "shared-weight model, the six signals, re-fitted (C=1)": stacked(1.0, False),
    "shared-weight model + TF-IDF SVM score + topic bias (C=1)": stacked(1.0, True, text_acceptable=0.0),
    "  the same, original papers weighted x3": stacked(1.0, True, original_weight=3.0, text_acceptable=0.0),
    "  the same, priors corrected to the original papers' (x0.5)": stacked(
        1.0, True, prior_shift=0.5, text_acceptable=0.0
    ),
    "shared-weight model + TF-IDF SVM score (acceptable at 0.5) + topic bias (C=1)": stacked(1.0, True),
}

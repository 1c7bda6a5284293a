"""Train the topic model the generator ships (generator/curate/model/), from the train split only.

`python -m curation.train` (deterministic: the same labels give the same files, byte for byte):

1. the train rows: the original files' train split (305) and the extra labels (2,110);
2. the text classifier (a linear SVM per topic over TF-IDF word 1-2-grams, title twice; a
   paper is a positive example of its primary topic, and of its acceptable topics at weight
   `TEXT_ACCEPTABLE`):
   5-fold out-of-fold scores for every train paper (folds by group and topic, evaluate.py),
   then the one shipped, fitted on all of them;
3. the signals (generator/curate/signals.py) of every train paper, with the train papers as
   the labelled examples (each paper compared without itself) and the out-of-fold text score;
4. 5-fold cross-validation on train chooses C and the weight of acceptable topics of the
   shared-weight model (by the original papers' figures first: they resemble the site's), then
   the thresholds for secondary topics and for "other";
5. the model is fitted on all train papers and written with the train papers' vectors and
   the profile signal's vocabulary and IDF (fitted on the train papers and the profiles:
   candidates.profile_vocabulary; the generator applies them, never fitting on its papers);
6. only then is the frozen test split scored, once, and its figures are stored with the model
   (the topics overview page prints them; tests/test_curation.py recomputes them).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from curation import candidates
from curation.evaluate import FOLDS, folds, score
from curation.labels import Labelled, test_rows, train_rows
from generator.curate.signals import NAMES, features
from generator.curate.topic_model import (
    EXAMPLES,
    FOLDER,
    IDF,
    MODEL,
    PROFILE_IDF,
    PROFILE_VOCABULARY,
    TEXT_WEIGHTS,
    VOCABULARY,
    TopicModel,
)

GRID_C = (0.3, 1.0)
GRID_ACCEPTABLE = (0.0, 0.3)
GRID_SHARE = (0.5, 0.6, 0.7, 0.8, 0.9)
OTHER_LIMIT = 0.02  # at most this share of papers in "other"
TEXT_C = 1.0  # the text classifier's C (curation/candidates.py compares others)
TEXT_MIN_DF = 2  # a word or bigram in at least two train papers
TEXT_ACCEPTABLE = 0.5  # a paper is a positive example of its acceptable topics, weighted this much


@dataclass(frozen=True)
class TextClassifier:
    """A linear SVM per topic over TF-IDF rows: what the generator's topic_model.py applies."""

    vocabulary: list[str]
    idf: np.ndarray
    weights: np.ndarray  # features x topics
    intercepts: np.ndarray
    topics: list[str]


def document(r: Labelled) -> str:
    return f"{r.title} {r.title} {r.abstract}"  # the title counts twice, as for the profiles


def fit_text(rows: Sequence[Labelled], acceptable: float = TEXT_ACCEPTABLE) -> tuple[Any, TextClassifier]:
    """(the fitted vectorizer, the classifier) on `rows`: per topic (in taxonomy order, those
    that are some row's primary topic), a linear SVM of that topic against the rest, where a
    row whose acceptable topics include it is a positive of weight `acceptable` (0: a negative,
    as in scikit-learn's one-against-the-rest LinearSVC)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=TEXT_MIN_DF)
    x = vectorizer.fit_transform([document(r) for r in rows])
    topics = [s for s in candidates.slugs() if any(r.primary == s for r in rows)]
    weights, intercepts = [], []
    for topic in topics:
        also = [acceptable > 0 and topic in r.acceptable and r.primary != topic for r in rows]
        y = np.array([r.primary == topic or a for r, a in zip(rows, also, strict=True)], dtype=np.int64)
        w = np.array([acceptable if a else 1.0 for a in also])
        svm = LinearSVC(C=TEXT_C, random_state=0, max_iter=10_000).fit(x, y, sample_weight=w)
        weights.append(svm.coef_[0])
        intercepts.append(float(svm.intercept_[0]))
    classifier = TextClassifier(
        list(vectorizer.get_feature_names_out()),
        vectorizer.idf_,
        np.stack(weights, axis=1),
        np.array(intercepts),
        topics,
    )
    return vectorizer, classifier


def text_scores(
    vectorizer: Any, classifier: TextClassifier, rows: Sequence[Labelled], slugs: Sequence[str]
) -> np.ndarray:
    found = np.asarray(vectorizer.transform([document(r) for r in rows]) @ classifier.weights) + classifier.intercepts
    column = {s: j for j, s in enumerate(classifier.topics)}
    low = found.min(axis=1)
    return np.stack([found[:, column[s]] if s in column else low for s in slugs], axis=1)


def out_of_fold_text(rows: Sequence[Labelled], slugs: Sequence[str], acceptable: float = TEXT_ACCEPTABLE) -> np.ndarray:
    """Every row's text-classifier scores from a classifier that did not see it."""
    fold = np.array(folds(rows))
    out = np.zeros((len(rows), len(slugs)))
    for f in range(FOLDS):
        train = [r for r, k in zip(rows, fold, strict=True) if k != f]
        held = [r for r, k in zip(rows, fold, strict=True) if k == f]
        out[fold == f] = text_scores(*fit_text(train, acceptable), held, slugs)
    return out


def targets(rows: Sequence[Labelled], slugs: Sequence[str], acceptable: float) -> tuple[np.ndarray, np.ndarray]:
    index = {s: j for j, s in enumerate(slugs)}
    y = np.zeros((len(rows), len(slugs)))
    w = np.ones_like(y)
    for i, r in enumerate(rows):
        y[i, index[r.primary]] = 1
        if acceptable > 0:
            for a in r.acceptable:
                y[i, index[a]], w[i, index[a]] = 1, acceptable
    return y, w


def with_topics(x: np.ndarray) -> np.ndarray:
    """The signals and a one-hot column per topic (whose weight is that topic's bias)."""
    eye = np.broadcast_to(np.eye(x.shape[1]), (x.shape[0], x.shape[1], x.shape[1]))
    return np.concatenate((x, eye), axis=2)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    x = with_topics(x)
    model = LogisticRegression(C=c, max_iter=10_000, tol=1e-8).fit(
        x.reshape(-1, x.shape[2]), y.ravel(), sample_weight=w.ravel()
    )
    return model.coef_[0], float(model.intercept_[0])


def out_of_fold(x: np.ndarray, rows: Sequence[Labelled], slugs: Sequence[str], c: float, acc: float) -> np.ndarray:
    fold = np.array(folds(rows))
    y, w = targets(rows, slugs, acc)
    out = np.zeros(x.shape[:2])
    for f in range(FOLDS):
        coef, bias = fit(x[fold != f], y[fold != f], w[fold != f], c)
        out[fold == f] = with_topics(x[fold == f]) @ coef + bias
    return 1 / (1 + np.exp(-out))


def original(rows: Sequence[Labelled], proba: np.ndarray) -> tuple[list[Labelled], np.ndarray]:
    keep = np.array([r.original for r in rows])
    return [r for r in rows if r.original], proba[keep]


Profile = tuple[list[str], np.ndarray]  # the profile signal's features and their IDF


def train() -> tuple[dict[str, Any], np.ndarray, list[str], TextClassifier, Profile]:
    """(the model's settings and weights, the examples' vectors, their labels, the text
    classifier, the profile signal's vocabulary and IDF): train rows only."""
    rows = train_rows()
    slugs = candidates.slugs()
    raw = candidates.raw_signals(rows, rows)
    raw["text_model"] = out_of_fold_text(rows, slugs)
    x = features(raw)
    results = {}
    for c in GRID_C:
        for acc in GRID_ACCEPTABLE:
            proba = out_of_fold(x, rows, slugs, c, acc)
            everything = score(rows, [slugs[j] for j in proba.argmax(axis=1)])
            group, group_proba = original(rows, proba)
            first = score(group, [slugs[j] for j in group_proba.argmax(axis=1)])
            results[(c, acc)] = (first.primary, first.right, everything.primary, everything.right, proba)
    (c, acc), chosen = max(results.items(), key=lambda kv: (kv[1][:4], -kv[0][0], -kv[0][1]))
    proba = chosen[4]
    other = _other_threshold(*original(rows, proba), slugs)
    share = _secondary_share(rows, slugs, proba)
    y, w = targets(rows, slugs, acc)
    coef, bias = fit(x, y, w, c)
    _, text = fit_text(rows)
    settings = {
        "signals": [f"{kind}{name}" for name in NAMES for kind in ("", "gap_")],
        "weights": [round(float(v), 6) for v in coef[: x.shape[2]]],
        "intercept": round(bias, 6),
        "topic_bias": {s: round(float(v), 6) for s, v in zip(slugs, coef[x.shape[2] :], strict=True)},
        "C": c,
        "acceptable_weight": acc,
        "other_below": other,
        "secondary_share": share,
        "cross_validation": {
            f"C={k[0]} acceptable={k[1]}": {
                "original": [round(v[0], 4), round(v[1], 4)],
                "all": [round(v[2], 4), round(v[3], 4)],
            }
            for k, v in results.items()
        },
        "train_papers": len(rows),
        "train_original_papers": sum(r.original for r in rows),
        "text_C": TEXT_C,
        "text_min_df": TEXT_MIN_DF,
        "text_acceptable_weight": TEXT_ACCEPTABLE,
        "text_topics": text.topics,
        "text_intercepts": [round(float(v), 6) for v in text.intercepts],
    }
    return settings, candidates.vectors(rows), [r.primary for r in rows], text, candidates.profile_vocabulary(rows)


def _other_threshold(rows: Sequence[Labelled], proba: np.ndarray, slugs: Sequence[str]) -> float:
    """The probability below which the primary topic is "other": the one that is right most
    often on cross-validation, with at most `OTHER_LIMIT` of papers there (measured on the
    original papers: the extras were chosen to be about some topic)."""
    best = np.round(proba.max(axis=1), 6)
    picked = [slugs[j] for j in proba.argmax(axis=1)]
    options = []
    for threshold in sorted({0.0, *(float(b) for b in best)}):
        predicted = [("other" if b < threshold else p) for b, p in zip(best, picked, strict=True)]
        if sum(p == "other" for p in predicted) <= OTHER_LIMIT * len(rows):
            found = score(rows, predicted)
            options.append((found.right, found.primary, -threshold, threshold))
    return max(options)[3]


def _secondary_share(rows: Sequence[Labelled], slugs: Sequence[str], proba: np.ndarray) -> float:
    """A secondary topic needs this share of the primary's probability: the share whose
    secondary topics are right (the label's primary or acceptable) most often, F1 over the
    labels' acceptable topics."""
    options = []
    for share in GRID_SHARE:
        right = given = 0
        for r, p in zip(rows, proba, strict=True):
            order = np.argsort(-p, kind="stable")
            extra = [slugs[j] for j in order[1:3] if p[j] >= share * p[order[0]]]
            given += len(extra)
            right += sum(s in r.right for s in extra)
        wanted = sum(len(r.acceptable) for r in rows)
        precision = right / given if given else 0.0
        recall = right / wanted if wanted else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        options.append((f1, share))
    return max(options)[1]


def write(
    settings: dict[str, Any],
    vectors: np.ndarray,
    labels: list[str],
    text: TextClassifier,
    profile: Profile,
    folder: Path = FOLDER,
    test: dict[str, Any] | None = None,
) -> None:
    """The model's files in `folder`; `test`: the frozen test split's figures, stored with it."""
    folder.mkdir(parents=True, exist_ok=True)
    stored = {**settings, "examples": labels, **({"test": test} if test is not None else {})}
    (folder / MODEL.name).write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")
    np.save(folder / EXAMPLES.name, vectors.astype(np.float16))
    (folder / VOCABULARY.name).write_text("".join(f"{f}\n" for f in text.vocabulary), encoding="utf-8")
    np.save(folder / IDF.name, text.idf.astype(np.float64))
    np.save(folder / TEXT_WEIGHTS.name, text.weights.astype(np.float16))
    (folder / PROFILE_VOCABULARY.name).write_text("".join(f"{f}\n" for f in profile[0]), encoding="utf-8")
    np.save(folder / PROFILE_IDF.name, profile[1].astype(np.float64))


def main(argv: list[str]) -> int:
    settings, vectors, labels, text, profile = train()
    write(settings, vectors, labels, text, profile)
    # The frozen test split, scored once with the model as shipped (nothing above saw it).
    from curation.evaluate import evaluate_model

    report = evaluate_model(TopicModel.load(), test_rows())
    write(settings, vectors, labels, text, profile, test=report)
    print(json.dumps({k: settings[k] for k in ("C", "acceptable_weight", "other_below", "secondary_share")}))
    print(json.dumps(settings["cross_validation"]))
    print(f"test: {report['primary']:.1%} primary, {report['right']:.1%} right-or-acceptable, "
          f"{report['none']:.1%} none/other (n={report['n']})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

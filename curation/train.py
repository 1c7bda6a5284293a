"""Train the topic model the generator ships (generator/curate/model/), from the train split only.

`python -m curation.train` (deterministic: the same labels give the same files, byte for byte):

1. signals (generator/curate/signals.py) of every train paper, with the train papers as the
   labelled examples (each paper compared without itself);
2. 5-fold cross-validation on train chooses C and the weight of acceptable topics, then the
   thresholds for secondary topics and for "other";
3. the model is fitted on all train papers and written with the train papers' vectors;
4. only then is the frozen test split scored, once, and its figures are stored with the model
   (the topics overview page prints them; tests/test_curation.py recomputes them).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from curation import candidates
from curation.evaluate import FOLDS, folds, score
from curation.labels import Labelled, test_rows, train_rows
from generator.curate.signals import NAMES, features
from generator.curate.topic_model import EXAMPLES, MODEL, TopicModel

GRID_C = (0.1, 0.3, 1.0, 3.0)
GRID_ACCEPTABLE = (0.0, 0.3, 0.6)
GRID_SHARE = (0.5, 0.6, 0.7, 0.8, 0.9)
OTHER_LIMIT = 0.02  # at most this share of papers in "other"


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


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

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
        out[fold == f] = x[fold == f] @ coef + bias
    return 1 / (1 + np.exp(-out))


def train() -> tuple[dict[str, Any], np.ndarray, list[str]]:
    """(the model's settings and weights, the examples' vectors, their labels): train rows only."""
    rows = train_rows()
    slugs = candidates.slugs()
    x = features(candidates.raw_signals(rows, rows))
    results = {}
    for c in GRID_C:
        for acc in GRID_ACCEPTABLE:
            proba = out_of_fold(x, rows, slugs, c, acc)
            found = score(rows, [slugs[j] for j in proba.argmax(axis=1)])
            results[(c, acc)] = (found.primary, found.right, proba)
    (c, acc), (_, _, proba) = max(results.items(), key=lambda kv: (kv[1][0], kv[1][1], -kv[0][0]))
    other = _other_threshold(rows, slugs, proba)
    share = _secondary_share(rows, slugs, proba)
    y, w = targets(rows, slugs, acc)
    coef, bias = fit(x, y, w, c)
    settings = {
        "signals": [f"{kind}{name}" for name in NAMES for kind in ("", "gap_")],
        "weights": [round(float(v), 6) for v in coef],
        "intercept": round(bias, 6),
        "C": c,
        "acceptable_weight": acc,
        "other_below": other,
        "secondary_share": share,
        "cross_validation": {f"C={k[0]} acceptable={k[1]}": [round(v[0], 4), round(v[1], 4)]
                             for k, v in results.items()},
        "train_papers": len(rows),
    }
    return settings, candidates.vectors(rows), [r.primary for r in rows]


def _other_threshold(rows: Sequence[Labelled], slugs: Sequence[str], proba: np.ndarray) -> float:
    """The probability below which the primary topic is "other": the one that is right most
    often on cross-validation, with at most `OTHER_LIMIT` of papers there."""
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


def main(argv: list[str]) -> int:
    settings, vectors, labels = train()
    settings["examples"] = labels
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    MODEL.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    np.save(EXAMPLES, vectors.astype(np.float16))
    # The frozen test split, scored once with the model as shipped (nothing above saw it).
    from curation.evaluate import evaluate_model

    report = evaluate_model(TopicModel.load(), test_rows())
    settings["test"] = report
    MODEL.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: settings[k] for k in ("C", "acceptable_weight", "other_below", "secondary_share")}))
    print(f"test: {report['primary']:.1%} primary, {report['right']:.1%} right-or-acceptable, "
          f"{report['none']:.1%} none/other (n={report['n']})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Compare topic classifiers by 5-fold cross-validation on the train split only.

`python -m curation.evaluate [NAME PART ...]` prints, for each candidate (or those whose name
holds a given part), primary-topic accuracy, right-or-acceptable (the predicted primary is the
label's primary or one of its acceptable topics) and the share with no topic or "other", on
train-CV (the original papers as a group, and all train papers). Model selection (which
candidate, its C and weights) looks only at these figures. The frozen test split is scored
once, for the shipped model only (`evaluate_model`, called by `python -m curation.train` and
tests/test_curation.py), never for a candidate.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from curation.labels import ROOT, Labelled, train_rows
from generator.curate.taxonomy import load_taxonomy
from generator.model import Appearance, Paper, Topic

FOLDS = 5


def taxonomy() -> tuple[Topic, ...]:
    return load_taxonomy(ROOT / "topics.yml")


def as_papers(rows: Sequence[Labelled]) -> tuple[Paper, ...]:
    seen = (Appearance("labels", date(2025, 1, 1), 1, None),)
    return tuple(
        Paper(key=r.key, slug=f"p{i:04d}", title=r.title, abstract=r.abstract, appearances=seen)
        for i, r in enumerate(rows)
    )


def folds(rows: Sequence[Labelled]) -> list[int]:
    """A fold per row: within each group (original files, extras) and primary topic, by SHA-256
    of the key, round robin. So every fold holds a fifth of the original papers, which are then
    also scored as a group (they resemble the site's papers; the extras were keyword-chosen)."""
    fold = [0] * len(rows)
    by_topic: dict[tuple[bool, str], list[int]] = {}
    for i, r in enumerate(rows):
        by_topic.setdefault((r.original, r.primary), []).append(i)
    for members in by_topic.values():
        ranked = sorted(members, key=lambda i: hashlib.sha256(rows[i].key.encode()).hexdigest())
        for n, i in enumerate(ranked):
            fold[i] = n % FOLDS
    return fold


@dataclass(frozen=True)
class Scores:
    primary: float
    right: float
    none: float
    n: int
    confusion: tuple[tuple[str, str, int], ...]

    def line(self) -> str:
        return (
            f"primary {self.primary:6.1%}  right-or-acceptable {self.right:6.1%}  "
            f"none/other {self.none:5.1%}  (n={self.n})"
        )


def score(rows: Sequence[Labelled], predicted: Sequence[str | None]) -> Scores:
    hits = sum(p == r.primary for r, p in zip(rows, predicted, strict=True))
    right = sum(p in r.right for r, p in zip(rows, predicted, strict=True))
    none = sum(p in (None, "other") for p in predicted)
    confusion = Counter((r.primary, p or "(none)") for r, p in zip(rows, predicted, strict=True) if p != r.primary)
    n = len(rows)
    return Scores(hits / n, right / n, none / n, n, tuple((a, b, c) for (a, b), c in confusion.most_common()))


# A candidate: fit on (train rows) and predict a score matrix (rows x topics) for other rows.
Fit = Callable[[Sequence[Labelled], Sequence[Labelled]], np.ndarray]


def argmax_topics(matrix: np.ndarray, slugs: Sequence[str]) -> list[str | None]:
    out: list[str | None] = []
    for row in matrix:
        j = int(np.argmax(row))
        out.append(slugs[j] if row[j] > -np.inf else None)
    return out


def cross_validate(rows: Sequence[Labelled], fit: Fit) -> np.ndarray:
    """Out-of-fold score matrix for every train row."""
    fold = folds(rows)
    out: np.ndarray | None = None
    for f in range(FOLDS):
        train = [r for r, k in zip(rows, fold, strict=True) if k != f]
        held = [i for i, k in enumerate(fold) if k == f]
        pred = fit(train, [rows[i] for i in held])
        if out is None:
            out = np.zeros((len(rows), pred.shape[1]))
        out[held] = pred
    assert out is not None
    return out


def main(argv: list[str]) -> int:
    from curation import candidates

    train = train_rows()
    slugs = [t.slug for t in taxonomy()]
    chosen = [name for name in candidates.CANDIDATES if not argv or any(a in name for a in argv)]
    cv = {}
    for name in chosen:  # every candidate's cross-validation first: the choice is made on these
        found = argmax_topics(cross_validate(train, candidates.CANDIDATES[name]), slugs)
        group = [(r, p) for r, p in zip(train, found, strict=True) if r.original]
        cv[name] = (score([r for r, _ in group], [p for _, p in group]), score(train, found))
        print(f"{name}\n  CV, original papers  {cv[name][0].line()}\n  CV, all train papers {cv[name][1].line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def evaluate_model(model: object, rows: Sequence[Labelled]) -> dict[str, object]:
    """The shipped model's figures on `rows`, through the generator's own code path."""
    from curation.candidates import vectors
    from generator.curate.topics import assign_topics

    tax = taxonomy()
    papers = assign_topics(as_papers(rows), tax, vectors(rows))
    found = score(rows, [p.topics[0] if p.topics else None for p in papers])
    secondary = [(s, r) for p, r in zip(papers, rows, strict=True) for s in p.topics[1:]]
    return {
        "n": found.n,
        "primary": round(found.primary, 4),
        "right": round(found.right, 4),
        "none": round(found.none, 4),
        "topics_per_paper": round(sum(len(p.topics) for p in papers) / len(papers), 3),
        "secondary_right": round(sum(s in r.right for s, r in secondary) / len(secondary), 4) if secondary else None,
        "confusion": [list(c) for c in found.confusion[:15]],
    }

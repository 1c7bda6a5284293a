"""The baseline the topic model is compared with: the rules the generator used before issue
13 (terms and TF-IDF profile similarity, hand-set thresholds), kept as they were, unchanged,
so `curation.evaluate` can measure both on the same split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.curate.terms import Matches, all_term_matches
from generator.model import Paper, Topic

TITLE_POINTS = 3
ABSTRACT_CAP = 3
FLOOR = 3
SECONDARY_SHARE = 0.45
FALLBACK_SIMILARITY = 0.02
MAX_TOPICS = 3


@dataclass(frozen=True)
class TopicScore:
    """Why a topic ranks where it does for one paper: what `topics --explain` prints."""

    slug: str
    matches: tuple[tuple[str, str, int], ...]  # (term, "title"/"abstract", occurrences)
    points: int
    similarity: float
    score: float


def _points(matches: Sequence[tuple[str, str, int]]) -> int:
    return sum(TITLE_POINTS if where == "title" else min(n, ABSTRACT_CAP) for _, where, n in matches)


def _signals(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> tuple[Any, list[list[Matches]]]:
    """(cosine similarity of each paper to each topic, as a dense array; each paper's term
    matches per topic), the two inputs of every score."""
    # Imported here: numpy and scipy (~0.4 s) are not needed to load the taxonomy (MkDocs'
    # hooks, a no-op run).
    from generator.curate.tfidf import cosine, split_rows, tfidf

    # scikit-learn's TfidfVectorizer (min_df=1) of "title title abstract", counted faster.
    matrix = tfidf([(p.title, p.title, p.abstract) for p in papers] + [(t.profile,) for t in taxonomy])
    return cosine(*split_rows(matrix, len(papers))), all_term_matches(papers, taxonomy)


def _score(slug: str, matches: Matches, raw: float, best: float) -> TopicScore:
    points = _points(matches) if matches else 0
    sim = round(raw, 6)  # rounded: identical on every machine
    return TopicScore(slug, matches, points, sim, round(points * (0.5 + sim / best), 6))


def score_topics(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> list[list[TopicScore]]:
    """Every topic's score for every paper, in taxonomy order."""
    if not papers:
        return []
    similarity, found = _signals(papers, taxonomy)
    slugs = [t.slug for t in taxonomy]
    table = []
    for sims, cells in zip(similarity.tolist(), found, strict=True):  # Python floats: no numpy scalars
        best = max(max(sims), 1e-9)
        table.append([_score(*cell, best) for cell in zip(slugs, cells, sims, strict=True)])
    return table


def choose(scores: Sequence[TopicScore]) -> tuple[str, ...]:
    """The 1-3 topics of one paper, primary first (see the module docstring for the rules).

    `scores` are in taxonomy order; ties go to the earlier one.
    """
    order = sorted(range(len(scores)), key=lambda j: (-scores[j].score, -scores[j].similarity, j))
    ranked = [scores[j] for j in order if scores[j].points >= FLOOR]
    if not ranked:
        best = max(range(len(scores)), key=lambda j: (scores[j].similarity, -j), default=None)
        if best is None or scores[best].similarity < FALLBACK_SIMILARITY:
            return ()
        return (scores[best].slug,)
    primary = ranked[0].score
    return tuple(s.slug for s in ranked[:MAX_TOPICS] if s.score >= SECONDARY_SHARE * primary)



"""Rank each paper's topics, primary first.

Two signals are combined, because each fails alone. Terms are precise but brittle: a term
found once in an abstract may be incidental ("error bound" in a diffusion paper). Text
similarity sees the whole abstract but cannot tell a topic's core from its neighbours. So:

1. **Terms** (`terms.py`). Each of a topic's terms is looked for as a whole word or phrase,
   with plural and simple inflected forms. A term in the title is worth
   `TITLE_POINTS`; in the abstract one point per occurrence, at most `ABSTRACT_CAP`.
2. **Similarity.** scikit-learn's TF-IDF (word 1-2-grams, sublinear tf, English stop words)
   turns each paper's title and abstract and each topic's name, description and terms into
   vectors; the cosine between them measures how much of the paper is about the topic.

A topic's score is its term points times `0.5 + similarity / best similarity of the paper`,
so terms decide whether a topic is a candidate and similarity reorders close candidates.
A topic is kept only if its points reach `FLOOR` (one title term, or repeated abstract terms:
never one incidental word); secondary topics must also score at least `SECONDARY_SHARE` of the
primary's score. A paper with no topic over the floor falls back to its most similar topic
if that similarity is at least `FALLBACK_SIMILARITY`; otherwise it stays unclassified.
At most `MAX_TOPICS`. Ties are broken by the topic's order in `topics.yml`: deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
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


def assign_topics(papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...]) -> tuple[Paper, ...]:
    """Each paper with its topics, as `choose(score_topics(...)[i])` gives them.

    Only the topics with term points can reach the floor, so only theirs are scored (in
    taxonomy order, so `choose` breaks ties the same way); a paper with none over the floor
    falls back on similarity alone, and its whole row is scored. At 30,000 papers and 23
    topics this skips ~650,000 of the 690,000 scores.
    """
    if not papers:
        return papers
    similarity, found = _signals(papers, taxonomy)
    slugs = [t.slug for t in taxonomy]
    best_of = [max(b, 1e-9) for b in similarity.max(axis=1).tolist()]
    chosen = []
    for i, (cells, best) in enumerate(zip(found, best_of, strict=True)):
        sims = similarity[i]
        scores = [_score(slugs[j], cell, float(sims[j]), best) for j, cell in enumerate(cells) if cell]
        if not any(s.points >= FLOOR for s in scores):
            scores = [_score(*cell, best) for cell in zip(slugs, cells, sims.tolist(), strict=True)]
        chosen.append(choose(scores))
    return tuple(replace(p, topics=topics) for p, topics in zip(papers, chosen, strict=True))


def explain(paper: Paper, papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> str:
    """A readable account of a paper's topic ranking (similarity is relative to `papers`)."""
    index = next(i for i, p in enumerate(papers) if p.slug == paper.slug)
    row = score_topics(papers, taxonomy)[index]
    chosen = choose(row)
    names = {t.slug: t.name for t in taxonomy}
    lines = [f"{paper.title}", f"topics: {', '.join(names[s] for s in chosen) or '(none)'}", ""]
    lines.append(
        f"rules: title term {TITLE_POINTS} points, abstract term 1 per occurrence (max {ABSTRACT_CAP}); "
        f"floor {FLOOR} points; secondary >= {SECONDARY_SHARE:.0%} of primary; max {MAX_TOPICS}"
    )
    for s in sorted(row, key=lambda s: (-s.score, -s.similarity)):
        if not s.points and s.similarity < FALLBACK_SIMILARITY:
            continue
        verdict = (
            f"chosen #{chosen.index(s.slug) + 1}"
            if s.slug in chosen
            else ("below floor" if s.points < FLOOR else "below secondary share or rank")
        )
        terms = ", ".join(f"{t} ({w}{' x' + str(n) if n > 1 else ''})" for t, w, n in s.matches) or "no terms"
        lines.append(
            f"- {names[s.slug]} [{s.slug}]: score {s.score:.2f} = {s.points} points x "
            f"(0.5 + similarity {s.similarity:.3f} / best); {verdict}"
        )
        lines.append(f"    terms: {terms}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Coverage:
    """How the papers spread over the topics: the figures a curator checks after a run."""

    papers: int
    counts: tuple[tuple[str, int], ...]  # (topic name, papers), in taxonomy order
    unclassified: int

    @property
    def unclassified_share(self) -> float:
        return self.unclassified / self.papers if self.papers else 0.0

    def share(self, count: int) -> float:
        return count / self.papers if self.papers else 0.0


def coverage(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> Coverage:
    counts = {t.slug: 0 for t in taxonomy}
    for paper in papers:
        for slug in paper.topics:
            counts[slug] += 1
    unclassified = sum(1 for p in papers if not p.topics)
    return Coverage(len(papers), tuple((t.name, counts[t.slug]) for t in taxonomy), unclassified)

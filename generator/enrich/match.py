"""Which candidate is the digest's paper: never a guess.

A candidate passes when its title agrees with the paper's (`titles.titles_agree`) and the
evidence both sides have confirms it: the years agree, or the abstracts share most of their
words. Abstracts as different as two unrelated papers' reject it even when the years agree
(two papers of one title and one year). One passing paper is a match; two or more are `ambiguous` and none is
`unmatched`, for a curator to pin.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from generator.enrich.model import Candidate, PaperLike, Status
from generator.enrich.titles import abstract_similarity, titles_agree

# Unrelated abstracts score at most 0.24, the same paper's 1.0 (see `abstract_similarity`).
ABSTRACTS_AGREE = 0.5
ABSTRACTS_DIFFER = 0.25
# Across a new year, dates this close are one paper (submitted in December, listed in January).
NEW_YEAR_DAYS = 90


@dataclass(frozen=True)
class Decision:
    status: Status  # matched, ambiguous or unmatched
    passed: tuple[Candidate, ...]  # one for matched, two or more for ambiguous


def years_agree(a: date, b: date) -> bool:
    """The same year, or adjacent years with the dates at most `NEW_YEAR_DAYS` apart."""
    return a.year == b.year or (abs(a.year - b.year) == 1 and abs((a - b).days) <= NEW_YEAR_DAYS)


def evidence_agrees(paper: PaperLike, candidate: Candidate) -> bool:
    """Whether the year or the abstract confirms the candidate, where both sides know it (and
    the abstracts are not those of two different papers); with neither known on both sides the
    title alone decides."""
    checks: list[bool] = []
    if paper.abstract and candidate.abstract:
        similarity = abstract_similarity(paper.abstract, candidate.abstract)
        if similarity < ABSTRACTS_DIFFER:
            return False
        checks.append(similarity >= ABSTRACTS_AGREE)
    if paper.published is not None:
        checks.append(years_agree(paper.published, candidate.published))
    return not checks or any(checks)


def decide(paper: PaperLike, candidates: Iterable[Candidate]) -> Decision:
    """Match, ambiguous or unmatched (see the module docstring); candidates by id, in order."""
    passed = {c.arxiv: c for c in candidates if titles_agree(paper.title, c.title) and evidence_agrees(paper, c)}
    status: Status = "unmatched" if not passed else "matched" if len(passed) == 1 else "ambiguous"
    return Decision(status, tuple(sorted(passed.values(), key=lambda c: c.arxiv)))

"""Facets a reader filters by, from documented text rules (README, "Topics and related papers").

- `code`: the abstract links a code repository (`CODE_HOSTS`: GitHub, GitLab, Bitbucket,
  Hugging Face); such links go to the `code:` front matter field, other URLs to `links:`.
- `benchmark-dataset`: the title names a benchmark, dataset or corpus (not "dataset
  distillation"), or the abstract says
  "we introduce/present/propose/release/construct ... benchmark/dataset/corpus".
- `survey`: the title says survey, tutorial, review, overview or guide, or the abstract says
  "this survey", "we survey" or "this tutorial".
- `theory`: the title says theory/theoretical/provable/bound(s)/convergence/regret/sample
  complexity, or the abstract has at least two proof phrases ("we prove", "upper
  bound", "lower bound", "minimax", "convergence rate", "sample complexity", "theorem",
  "regret bound", "provably").
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from generator.model import Paper

FACETS = {
    "code": "Has code",
    "benchmark-dataset": "Benchmark or dataset",
    "survey": "Survey",
    "theory": "Theory",
}
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co")
_I = re.IGNORECASE
_BENCH_TITLE = re.compile(r"\b(?:benchmark|dataset|corpus)s?\b(?! distillation)", _I)
_BENCH_ABSTRACT = re.compile(
    r"\b(?:we|this (?:paper|work))\s+(?:introduce|present|propose|release|construct|build|curate|create)s?\b"
    r"[^.]{0,80}?\b(?:benchmark|dataset|corpus)s?\b",
    _I,
)
_SURVEY_TITLE = re.compile(r"\b(?:survey|tutorial|review|overview|guide)\b", _I)
_SURVEY_ABSTRACT = re.compile(r"\b(?:this survey|we survey|this tutorial)\b", _I)
_THEORY_TITLE = re.compile(r"\b(?:theory|theoretical|provabl[ey]|bounds?|convergence|regret|sample complexity)\b", _I)
_THEORY_ABSTRACT = re.compile(
    r"\b(?:we prove|upper bounds?|lower bounds?|minimax|convergence rates?|sample complexity"
    r"|theorems?|regret bounds?|provably)\b",
    _I,
)
_THEORY_STARTS = (
    "we prove",
    "upper bound",
    "lower bound",
    "minimax",
    "convergence rate",
    "sample complexity",
    "theorem",
    "regret bound",
    "provably",
)  # how its matches begin


def is_code_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host == "huggingface.co":  # a paper page there is not code
        return not urlsplit(url).path.startswith("/papers")
    return host in CODE_HOSTS


def split_links(urls: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(code repositories, other links), each in the abstract's order."""
    return tuple(u for u in urls if is_code_url(u)), tuple(u for u in urls if not is_code_url(u))


def _find_all(pattern: re.Pattern[str], text: str, starts: tuple[str, ...]) -> list[str]:
    """`pattern.findall(text)`, trying the pattern only where one of `starts` begins.

    These patterns ignore case and begin with `\\b`, so Python's regex engine tries every
    position of every abstract: most of the facets' time. Every match begins with one of
    `starts` (lowercase), so on an ASCII text only those positions of its lowercased copy
    can start one; `findall` takes the leftmost match and goes on after it, as here.
    A non-ASCII text (IGNORECASE folds some letters to ASCII ones) is searched whole.
    """
    if not text.isascii():
        return list(pattern.findall(text))
    low = text.lower()
    positions = sorted({at for start in starts for at in _occurrences(low, start)})
    found, end = [], 0
    for at in positions:
        if at >= end and (match := pattern.match(text, at)):
            found.append(match.group())
            end = match.end()
    return found


def _occurrences(text: str, literal: str) -> list[int]:
    found, at = [], text.find(literal)
    while at >= 0:
        found.append(at)
        at = text.find(literal, at + 1)
    return found


def paper_facets(paper: Paper) -> tuple[str, ...]:
    """The facet slugs of one paper, in `FACETS` order."""
    found = set()
    if split_links(paper.links)[0]:
        found.add("code")
    if _BENCH_TITLE.search(paper.title) or _find_all(_BENCH_ABSTRACT, paper.abstract, ("we", "this"))[:1]:
        found.add("benchmark-dataset")
    if _SURVEY_TITLE.search(paper.title) or _find_all(_SURVEY_ABSTRACT, paper.abstract, ("this", "we"))[:1]:
        found.add("survey")
    proofs = _find_all(_THEORY_ABSTRACT, paper.abstract, _THEORY_STARTS)
    if _THEORY_TITLE.search(paper.title) or len(set(m.lower() for m in proofs)) >= 2:
        found.add("theory")
    return tuple(f for f in FACETS if f in found)


def add_facets(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    return tuple(replace(p, facets=paper_facets(p)) for p in papers)

"""The digest grammar: which line is a header line, a title, an abstract or metadata.

    digest   = header paper+
    header   = (boilerplate | unknown-line)* [date (boilerplate)*]
    paper    = title abstract [metadata]
    title    = text line (+ its continuation lines in a hard-wrapped file)
    abstract = text line (+ its continuation lines in a hard-wrapped file)
    metadata = authors / separator / date [upvotes] / upvotes lines, each at most once

Blank lines may stand anywhere, or nowhere: the grammar reads the non-blank lines only. A
line's kind (lines.py) leaves one question open: which text lines are titles, which are
abstracts and which are header lines. That is answered for the whole file at once, by the
labelling that breaks no rule of the grammar and costs least (dynamic programming over the
lines, Viterbi-style): each label costs what the line looks like it is not. A title costs
more the more it reads like sentences; an abstract costs more when short and without a final
stop; a header line not in site.yml's boilerplate costs more than a known one, and is not
allowed after the header's date, nor when it is long. Breaking the grammar (a title with no
abstract, text where a title is due, metadata before the first paper) costs more than any
labelling that keeps it, and some labellings are never allowed (a title of several sentences
and hundreds of characters), so a missing or extra line is found where it is, and reported
there, instead of shifting every title and abstract after it by one.

Because every title is followed by its abstract, a short abstract without a final stop is still
an abstract, and a first paper titled like a boilerplate line is still a paper: the lines
around them leave no other reading.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.read.lines import Kind, Line, ends_a_sentence

LAYOUT = "a title line, then its abstract, then optionally '• N authors', '·' and a date"
ERROR = 1000.0  # breaking the grammar: more than any reading that keeps it
NEVER = math.inf
HEADER_LINE_LIMIT = 100  # characters: an unknown header line is short...
HEADER_WORD_LIMIT = 16  # ...and has few words
TITLE_SENTENCES = re.compile(r"\.[\"')\]]*\s+[A-Z][a-z]")
URL_END = re.compile(r"(?:https?://|www\.)\S+$")
MAX_TITLE_LINES = 4  # states for a title wrapped on up to four lines; longer stays in the last


@dataclass(frozen=True)
class Item:
    line: Line
    adjacent: bool  # no blank line between this line and the previous non-blank one
    joinable: bool  # may continue the previous line (a full line of a hard-wrapped file)


@dataclass
class Record:
    """One paper as the lines give it."""

    title: list[Line]
    abstract: list[Line] = field(default_factory=list)
    metadata: list[Line] = field(default_factory=list)
    glued: str = ""  # a boilerplate word split off the front of the title


@dataclass
class Reading:
    header: list[Line]
    header_date: Line | None
    records: list[Record]
    problem: tuple[Line | None, str] | None  # the first rule the best reading breaks: (line, label)


# Labels: H header line, D header date, T title, G title after a glued boilerplate word,
# t title continued, A abstract, a abstract continued, M metadata; and the rule breaks:
# !T a title after a title, !M metadata after a title, !A an abstract with no title before it,
# !H metadata before the first paper, !R metadata given twice for one paper, !E the file ends
# in a title, !0 no paper at all.


class Costs:
    """What each label costs for a line, given the site's boilerplate lines."""

    def __init__(self, boilerplate: frozenset[str]) -> None:
        self.boilerplate = boilerplate
        self.prefixes = sorted(boilerplate, key=len, reverse=True)

    def header(self, line: Line, after_date: bool) -> float:
        if line.visible in self.boilerplate:
            return 0.5 if after_date else 0.0
        if after_date or len(line.visible) > HEADER_LINE_LIMIT or len(line.visible.split()) > HEADER_WORD_LIMIT:
            return NEVER
        return 3.0

    def glued(self, line: Line) -> str:
        """The boilerplate word glued to the front of this line ("SubscribeOn Pre-Training"), or ""."""
        for word in self.prefixes:
            rest = line.visible[len(word) :]
            if line.visible.startswith(word) and word[-1:].isalpha() and len(rest) > 1 and rest[0].isupper():
                return word
        return ""

    def title(self, text: str) -> float:
        sentences = len(TITLE_SENTENCES.findall(text))
        if sentences >= 3 and len(text) > 300:
            return NEVER  # several sentences, longer than any real title: an abstract
        cost = 2.0 * min(sentences, 10)
        if text.endswith(".") and not text.endswith(("...", "…")):
            cost += 2.0
        if len(text) > 250:
            cost += min((len(text) - 250) / 50, 20.0)
        if text in self.boilerplate:
            cost += 6.0
        return cost

    def abstract(self, text: str) -> float:
        cost = 0.0
        if not ends_a_sentence(text) and not URL_END.search(text):
            cost += 1.0 if len(text) >= 200 else 2.0
        if len(text) < 100:
            cost += 1.5
        if text in self.boilerplate:
            return NEVER  # a paper may be titled like a boilerplate line; no abstract is one
        return cost


def _boundary(item: Item, previous: Line | None) -> float:
    """Starting a new title or abstract on a line that could continue the previous one."""
    if not item.joinable or previous is None:
        return 0.0
    if previous.flowed:
        return 3.0  # the client marked the break as soft
    starts_upper = item.line.visible[:1].isupper() or item.line.visible[:1].isdigit()
    return 0.3 if ends_a_sentence(previous.visible) and starts_upper else 1.0


def read_lines(items: Sequence[Item], boilerplate: frozenset[str]) -> Reading:
    """Label every non-blank line (the cheapest reading that keeps the grammar), then group them."""
    labels = _labels(items, Costs(boilerplate))
    return _group(items, labels, Costs(boilerplate))


State = str  # "H0" header, no date yet; "H1" after its date; "T1".."T4" title lines; "A"; "M<bits>" metadata


@dataclass(frozen=True)
class LineCosts:
    """One line's costs under each label, computed once (the search asks for them per state)."""

    title: float
    abstract: float
    header: float
    header_after_date: float
    glued: str
    glued_title: float
    title_line: float
    boundary: float

    @classmethod
    def of(cls, item: Item, previous: Line | None, costs: Costs) -> LineCosts:
        text = item.line.visible
        if item.line.kind is not Kind.TEXT and item.line.kind is not Kind.NUMBER:
            return cls(NEVER, NEVER, NEVER, NEVER, "", NEVER, NEVER, 0.0)
        glued = costs.glued(item.line)
        return cls(
            title=costs.title(text) + (1.5 if item.line.kind is Kind.NUMBER else 0.0),
            abstract=costs.abstract(text) if item.line.kind is Kind.TEXT else NEVER,
            header=costs.header(item.line, after_date=False),
            header_after_date=costs.header(item.line, after_date=True),
            glued=glued,
            glued_title=costs.title(text[len(glued) :]) if glued else NEVER,
            title_line=_title_line(text),
            boundary=_boundary(item, previous),
        )


def _labels(items: Sequence[Item], costs: Costs) -> list[str]:
    best: dict[State, float] = {"H0": 0.0}
    back: list[dict[State, tuple[State, str]]] = []
    previous: Line | None = None
    for item in items:
        options: dict[State, tuple[float, State, str]] = {}
        here = LineCosts.of(item, previous, costs)
        for came_from, so_far in best.items():
            for state, cost, label in _steps(came_from, item, here):
                total = so_far + cost
                if total < options.get(state, (NEVER,))[0]:
                    options[state] = (total, came_from, label)
        best = {state: total for state, (total, _, _) in options.items()}
        back.append({state: (came_from, label) for state, (_, came_from, label) in options.items()})
        previous = item.line
    end: dict[State, tuple[float, str]] = {}
    for state, total in best.items():
        ends_well = state == "A" or state.startswith("M")
        label = "" if ends_well else ("!0" if state.startswith("H") else "!E")
        end[state] = (total + (0.0 if ends_well else ERROR), label)
    state = min(end, key=lambda s: (end[s][0], s))
    labels = [end[state][1]]
    for step in reversed(back):
        state, label = step[state]
        labels.append(label)
    labels.reverse()
    return labels  # one per item, then the end label ("" when the file ends well)


def _metadata_bits(line: Line) -> int:
    """Which metadata a line gives (each at most once per paper): authors, separator, date, upvotes."""
    if line.kind is Kind.DATE:
        return 4 | (8 if line.date is not None and line.date.upvotes is not None else 0)
    return {Kind.AUTHORS: 1, Kind.SEPARATOR: 2, Kind.NUMBER: 8}.get(line.kind, 0)


def _steps(state: State, item: Item, c: LineCosts) -> list[tuple[State, float, str]]:
    line = item.line
    steps: list[tuple[State, float, str]] = []
    in_title = state.startswith("T")
    if line.kind is Kind.TEXT or line.kind is Kind.NUMBER:
        if state.startswith("H"):
            steps.append((state, c.header_after_date if state == "H1" else c.header, "H"))
            steps.append(("T1", c.title + (2.0 if c.glued else 0.0), "T"))
            if c.glued:
                steps.append(("T1", c.glued_title, "G"))
            steps.append(("A", ERROR + c.abstract, "!A"))
        elif in_title:
            k = int(state[1:])
            steps.append(("A", c.abstract + c.boundary, "A"))
            if item.joinable:
                more = 0.3 * k + (3.0 if k >= MAX_TITLE_LINES else 0.0)
                steps.append((f"T{min(k + 1, MAX_TITLE_LINES)}", more + c.title_line, "t"))
            steps.append(("T1", ERROR + c.title, "!T"))
        else:  # after an abstract or metadata
            steps.append(("T1", c.title + c.boundary, "T"))
            if state == "A" and item.joinable:
                steps.append(("A", 0.0, "a"))
            steps.append(("A", ERROR + c.abstract, "!A"))
    if line.kind.is_metadata:
        bits = _metadata_bits(line)
        if state == "H0" and line.kind is Kind.DATE and bits == 4:
            steps.append(("H1", 0.0, "D"))
        elif state == "A":
            steps.append((f"M{bits}", 0.5 if line.kind is Kind.NUMBER else 0.0, "M"))
        elif state.startswith("M"):
            seen = int(state[1:])
            if seen & bits:  # a second date (or authors, ...): a paper between them is missing
                steps.append((f"M{bits}", ERROR, "!R"))
            else:
                steps.append((f"M{seen | bits}", 0.0, "M"))
        elif in_title:
            steps.append((f"M{bits}", ERROR, "!M"))
        else:
            steps.append((f"M{bits}", ERROR, "!H"))
    return steps


def _title_line(text: str) -> float:
    """A wrapped title's further line: titles hold no sentences."""
    cost = 2.0 * min(len(TITLE_SENTENCES.findall(text)), 10)
    return cost + (2.0 if text.endswith(".") else 0.0)


def _group(items: Sequence[Item], labels: list[str], costs: Costs) -> Reading:
    header: list[Line] = []
    header_date: Line | None = None
    records: list[Record] = []
    problem: tuple[Line | None, str] | None = None
    for item, label in zip(items, labels, strict=False):
        line = item.line
        if label.startswith("!") and problem is None:
            problem = (line, label)
        if label == "H":
            header.append(line)
        elif label == "D":
            header_date = line
        elif label in ("T", "!T"):
            records.append(Record([line]))
        elif label == "G":
            records.append(Record([line], glued=costs.glued(line)))
        elif label == "t" and records:
            records[-1].title.append(line)
        elif label in ("A", "a") and records:
            records[-1].abstract.append(line)
        elif label == "!A":
            records.append(Record([], [line]))
        elif label in ("M", "!M", "!R") and records:
            records[-1].metadata.append(line)
    if problem is None and labels[-1]:
        problem = (None, labels[-1])
    return Reading(header, header_date, records, problem)

"""The digest grammar: which line is a header line, a title, an abstract or metadata.

    digest   = header paper+
    header   = (boilerplate | unknown-line)* [date (boilerplate)*]
    paper    = title abstract [metadata]
    title    = text line (+ the lines it goes on in: wrap.py)
    abstract = text line (+ the lines it goes on in: wrap.py)
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
labelling that keeps it, and some labellings are never allowed (a title of several sentences),
so a missing or extra line is found where it is, and reported there, instead of shifting every
title and abstract after it by one. What each label costs a line is costs.py's.

Because every title is followed by its abstract, a short abstract without a final stop is still
an abstract, and a first paper titled like a boilerplate line is still a paper: the lines
around them leave no other reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.read.costs import ERROR, MAX_TITLE_LINES, NEVER, Costs, LineCosts
from generator.read.lines import Kind, Line
from generator.read.wrap import Item, spaced

LAYOUT = "a title line, then its abstract, then optionally '• N authors', '·' and a date"


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


def read_lines(items: Sequence[Item], boilerplate: frozenset[str], width: int | None = None) -> Reading:
    """Label every non-blank line (the cheapest reading that keeps the grammar), then group them."""
    costs = Costs(boilerplate, width, spaced(items))
    return _group(items, _labels(items, costs), costs)


# States: "H0" header, no date yet; "H1" after its date; "T1".."T4" a title's lines so far;
# "A1".."A<n>" an abstract's lines so far; "M<bits>" metadata, the kinds given so far.
State = str


def _labels(items: Sequence[Item], costs: Costs) -> list[str]:
    best: dict[State, float] = {"H0": 0.0}
    back: list[dict[State, tuple[State, str]]] = []
    previous: Line | None = None
    for item in items:
        options: dict[State, tuple[float, State, str]] = {}
        here = LineCosts.of(item, previous, costs)
        for came_from, so_far in best.items():
            for state, cost, label in _steps(came_from, item, here, costs):
                total = so_far + cost
                if total < options.get(state, (NEVER,))[0]:
                    options[state] = (total, came_from, label)
        best = {state: total for state, (total, _, _) in options.items()}
        back.append({state: (came_from, label) for state, (_, came_from, label) in options.items()})
        previous = item.line
    last = costs.abstract_end(previous.visible) if previous is not None else 0.0
    end: dict[State, tuple[float, str]] = {}
    for state, total in best.items():
        if state[0] in "AM":
            end[state] = (total + (last if state[0] == "A" else 0.0), "")
        else:
            end[state] = (total + ERROR, "!0" if state[0] == "H" else "!E")
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


def _steps(state: State, item: Item, c: LineCosts, costs: Costs) -> list[tuple[State, float, str]]:
    steps: list[tuple[State, float, str]] = []
    kind, k = state[0], int(state[1:])
    if c.text:
        if kind == "H":
            steps.append((state, c.header_after_date if k else c.header, "H"))
            steps.append(("T1", c.title + (2.0 if c.glued else 0.0), "T"))
            if c.glued:
                steps.append(("T1", c.glued_title, "G"))
            steps.append(("A1", ERROR + c.abstract, "!A"))
        elif kind == "T":
            steps.append(("A1", c.abstract + c.abstract_boundary + c.title_end, "A"))
            if item.joinable:
                more = c.title_more + 0.3 * k + (3.0 if k >= MAX_TITLE_LINES else 0.0)
                steps.append((f"T{min(k + 1, MAX_TITLE_LINES)}", more, "t"))
            steps.append(("T1", ERROR + c.title, "!T"))
        else:  # after an abstract or metadata
            end = c.abstract_end if kind == "A" else 0.0
            steps.append(("T1", c.title + (c.title_boundary if kind == "A" else 0.0) + end, "T"))
            if kind == "A" and item.joinable:
                long = 1.0 if costs.abstract_lines <= k < costs.most_lines else 0.0
                steps.append((f"A{min(k + 1, costs.most_lines)}", c.abstract_more + long, "a"))
            steps.append(("A1", ERROR + c.abstract + end, "!A"))
    if item.line.kind.is_metadata:
        bits = _metadata_bits(item.line)
        if state == "H0" and item.line.kind is Kind.DATE and bits == 4:
            steps.append(("H1", 0.0, "D"))
        elif kind == "A":
            steps.append((f"M{bits}", (0.5 if item.line.kind is Kind.NUMBER else 0.0) + c.abstract_end, "M"))
        elif kind == "M":
            if k & bits:  # a second date (or authors, ...): a paper between them is missing
                steps.append((f"M{bits}", ERROR, "!R"))
            else:
                steps.append((f"M{k | bits}", 0.0, "M"))
        elif kind == "T":
            steps.append((f"M{bits}", ERROR, "!M"))
        else:
            steps.append((f"M{bits}", ERROR, "!H"))
    return steps


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

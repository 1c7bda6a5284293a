"""What each label costs a line: the wording of titles, abstracts and header lines.

The grammar (grammar.py) labels every line of a digest with the cheapest labelling that keeps
its rules; this module says what each label costs a given line, from the line alone and the
line before it. Where blank lines and single-line paragraphs leave no choice (every layout
seen so far), these costs only break ties and place errors. They matter for a hard-wrapped
digest without blank lines, where a title that fills its last line looks like the first line
of one paragraph with its abstract: the costs of going on and of not going on were measured
on the five real digests wrapped at 72-78 columns (tests/test_layouts.py holds the result).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from generator.read.lines import Kind, Line, ends_a_sentence
from generator.read.wrap import Item

ERROR = 1000.0  # breaking the grammar: more than any reading that keeps it
NEVER = math.inf
HEADER_LINE_LIMIT = 100  # characters: an unknown header line is short...
HEADER_WORD_LIMIT = 16  # ...and has few words
TITLE_SENTENCES = re.compile(r"\.[\"')\]]*\s+[A-Z][a-z]")
URL_END = re.compile(r"(?:https?://|www\.)\S+$")
MAX_TITLE_LINES = 4  # states for a title wrapped on up to four lines; longer stays in the last
ABSTRACT_CHARACTERS = 2000  # about arXiv's limit (1,920): a wrapped abstract's lines beyond it cost
LONG_LINES = 25


FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "via", "with"]
)


def _ends_stop(text: str) -> bool:
    """Ends a sentence, or in a URL (an abstract may end with its code's address)."""
    return ends_a_sentence(text) or URL_END.search(text.rsplit(" ", 1)[-1]) is not None


# Words a title in title case leaves in lower case; any other lower-case word reads as prose.
TITLE_LOWER = FUNCTION_WORDS | frozenset(
    ["into", "onto", "over", "upon", "using", "than", "that", "without", "through", "under", "across", "towards",
     "toward", "beyond", "between", "within", "when", "where", "what", "which", "does", "your", "their", "about",
     "versus", "vs."]
)
# A comma before a word that goes on a sentence; ", and" only before a word in lower case (a
# title lists in title case: "PAM, CLARA, and CLARANS", "Complexity, and Superlinear Convergence").
PROSE_COMMA = re.compile(
    r"^\w+,|, (?:we|it|they|this|which|while|but|such|as|our|the|a|an|in|to|with)\b|, and\b(?! [A-Z0-9])"
)
NAME_COLON = re.compile(r"^([\w.+-]{2,40}):\s+(\S+)")  # "GAQAT: ...", "BFS-Prover: ..."


def _lower_words(text: str) -> tuple[int, int]:
    """(words of four letters or more, those in lower case that a title would capitalise)."""
    words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    return len(words), sum(1 for w in words if w[0].islower() and w.lower() not in TITLE_LOWER)


def _named(text: str) -> bool:
    """Starts with a name and a colon, as titles do ("GAQAT: ...", "EoRA: ..."), not a heading
    of prose ("Results: We show ...", "Code: https://...")."""
    match = NAME_COLON.match(text)
    if match is None or _starts_sentence(match[2]) or "://" in match[2]:
        return False
    name = match[1]
    return any(c.isdigit() for c in name) or any(c.isupper() for c in name[1:])


def _prose(text: str) -> bool:
    """Reads as a sentence: a comma before a lower-case word, a full stop inside, or three or
    more lower-case words a title would capitalise."""
    return bool(PROSE_COMMA.search(text) or TITLE_SENTENCES.search(text)) or _lower_words(text)[1] >= 3


def _title_cased(text: str) -> bool:
    """Reads as a title line: long words capitalised, no prose ("Learning Unnormalized Statistical
    Models via", "Optimization"), or a name and a colon ("GAQAT: gradient-adaptive ...")."""
    if PROSE_COMMA.search(text) or TITLE_SENTENCES.search(text):
        return False
    if _named(text):
        return True
    words, lower = _lower_words(text)
    return words > 0 and lower == 0


_SENTENCE_WORDS = (
    "We The In This These Recent Recently While There Although Though However Our As Despite To Given Existing "
    "Current Many Most It A An With For Since Unlike One How What When Why Here Today Nowadays Traditional "
    "Previous Prior Several Various Such Both Each"
)
SENTENCE_STARTS = frozenset(_SENTENCE_WORDS.split())


def _starts_sentence(text: str) -> bool:
    """Starts with a word that begins sentences ("We", "Recently,"), not a name or a term."""
    first = text.split(" ", 1)[0].rstrip(",")
    return first in SENTENCE_STARTS


def _ends_open(text: str) -> bool:
    """Ends where no title ends: after a comma, colon, hyphen or a word such as "of"."""
    last = text[-12:].rsplit(" ", 1)[-1]
    return text.endswith((",", ":", "-", "(", "&")) or last.lower() in FUNCTION_WORDS


class Costs:
    """What each label costs for a line, given the site's boilerplate lines and the wrap width."""

    def __init__(self, boilerplate: frozenset[str], width: int | None, spaced: bool = False) -> None:
        self.boilerplate = boilerplate
        self.spaced = spaced  # records are set apart by blank lines
        self.prefixes = sorted(boilerplate, key=len, reverse=True)
        # An abstract wrapped at `width` takes about this many lines at arXiv's limit; each line
        # beyond costs, up to `LONG_LINES` of them (so a longer one still reads as one abstract).
        self.abstract_lines = math.ceil(ABSTRACT_CHARACTERS / (width * 0.9)) if width else 1
        self.most_lines = self.abstract_lines + LONG_LINES if width else 1

    def header(self, line: Line, after_date: bool) -> float:
        if line.visible in self.boilerplate:
            return 0.5 if after_date else 0.0
        if after_date or len(line.visible) > HEADER_LINE_LIMIT or len(line.visible.split()) > HEADER_WORD_LIMIT:
            return NEVER
        return 3.0

    def glued(self, line: Line) -> str:
        """The boilerplate word glued to the front of this line ("SubscribeOn Pre-Training"), or "".

        What follows must start a word: a capital or a digit, or any letter after a boilerplate
        line of six characters or more ("Subscribeh-calibration"; but "newton" keeps its "new").
        """
        for word in self.prefixes:
            rest = line.visible[len(word) :]
            if not (line.visible.startswith(word) and word[-1:].isalpha() and len(rest) > 1):
                continue
            if rest[0].isupper() or rest[0].isdigit() or (len(word) >= 6 and rest[0].isalpha()):
                return word
        return ""

    def title(self, text: str) -> float:
        """A title's first (or only) line."""
        sentences = sum(1 for _ in zip(TITLE_SENTENCES.finditer(text), range(3), strict=False))
        if sentences >= 3 or (sentences == 2 and len(text) > 150):
            return NEVER  # several sentences: an abstract, never a title
        cost = 2.0 * min(sentences, 10)
        if text.endswith(".") and not text.endswith(("...", "…")):
            cost += 2.0
        if len(text) > 250:
            cost += min((len(text) - 250) / 50, 20.0)
        if len(text) < 20:
            cost += 1.5  # shorter than any real title
        if text in self.boilerplate:
            cost += 6.0
        return cost + (0.3 if text[:1].islower() else 0.0) + (1.5 if _prose(text) else 0.0)

    @staticmethod
    def title_more(text: str, previous: str) -> float:
        """A further line of a wrapped title: titles hold no sentences, and go on in title case."""
        cost = 2.0 * min(len(TITLE_SENTENCES.findall(text)), 10) + (2.0 if text.endswith(".") else 0.0)
        if _ends_stop(previous):
            cost += 2.0
        if _starts_sentence(text):
            cost += 2.5
        elif not _title_cased(text):
            cost += 1.0 + (1.5 if _prose(text) else 0.0)
        return cost

    def abstract(self, text: str) -> float:
        """An abstract's first (or only) line."""
        if text in self.boilerplate:
            return NEVER  # a paper may be titled like a boilerplate line; no abstract is one
        return (2.0 if text[:1].islower() else 0.0) + (1.5 if len(text) < 60 else 0.0)

    @staticmethod
    def abstract_more(text: str, previous: str) -> float:
        """A further line of a wrapped abstract (measured on the real digests wrapped at 72-78
        columns: after a full stop, a title-cased line is a title 96% of the time; after no
        stop, a line starting a sentence follows a title)."""
        if _ends_stop(previous):
            return 3.0 if _title_cased(text) and not _ends_stop(text) else 0.0
        return 2.5 if _starts_sentence(text) else 0.0

    @staticmethod
    def abstract_end(last: str) -> float:
        """An abstract ends with this line: real ones end a sentence (or with a URL)."""
        return 0.0 if _ends_stop(last) else 1.5

    @staticmethod
    def title_end(last: str) -> float:
        """A title ends with this line."""
        return 2.0 if _ends_open(last) else 0.0


def _boundary(item: Item, previous: Line | None, spaced: bool) -> tuple[float, float]:
    """Starting an abstract (after a title line) and a title (after an abstract line) on a line
    that could continue the previous one. In a file whose records are set apart by blank lines,
    a record starting right under another line costs more; so does a title starting with a
    word in lower case (`_goes_on`)."""
    if not item.joinable or previous is None:
        return 0.0, 0.0
    text, before = item.line.visible, previous.visible
    extra = 3.0 if spaced else 0.0
    abstract = 2.0 if _title_cased(text) else 0.0 if _starts_sentence(text) else 0.5
    title = (0.0 if _title_cased(text) else 1.5) if _ends_stop(before) else 3.0
    return abstract + extra, title + extra + (2.0 if _goes_on(text) else 0.0)


def _goes_on(text: str) -> bool:
    """Starts with a plain word in lower case ("test case"): the rest of a wrapped line, not a
    title. No real title starts so (of 556, two start in lower case, both a name: "iFairy:",
    "h-calibration:"), while 71% of the further lines of the real titles and abstracts wrapped at
    72-78 columns do; without it, the last words of a wrapped title ("test case") could be read
    as a title of their own and the lines before them as the end of the previous abstract."""
    first = text.split(" ", 1)[0]
    return first.isalpha() and first.islower()


@dataclass(frozen=True)
class LineCosts:
    """One line's costs under each label, computed once (the search asks for them per state)."""

    text: bool  # a text line (a number line is both text and metadata)
    title: float
    abstract: float
    header: float
    header_after_date: float
    glued: str
    glued_title: float
    title_more: float
    abstract_more: float
    abstract_boundary: float  # an abstract starts on a line that could continue the title
    title_boundary: float  # a title starts on a line that could continue the abstract
    abstract_end: float  # the previous line ends an abstract
    title_end: float  # the previous line ends a title

    @classmethod
    def of(cls, item: Item, previous: Line | None, costs: Costs) -> LineCosts:
        text = item.line.visible
        before = previous.visible if previous is not None else ""
        ends = (costs.abstract_end(before), costs.title_end(before))
        if item.line.kind is not Kind.TEXT and item.line.kind is not Kind.NUMBER:
            return cls(False, NEVER, NEVER, NEVER, NEVER, "", NEVER, NEVER, NEVER, 0.0, 0.0, *ends)
        glued = costs.glued(item.line)
        joins = item.joinable  # the costs of going on, and of not going on, matter only where a line may
        boundaries = _boundary(item, previous, costs.spaced) if joins else (0.0, 0.0)
        return cls(
            text=True,
            title=costs.title(text) + (1.5 if item.line.kind is Kind.NUMBER else 0.0),
            abstract=costs.abstract(text) if item.line.kind is Kind.TEXT else NEVER,
            header=costs.header(item.line, after_date=False),
            header_after_date=costs.header(item.line, after_date=True),
            glued=glued,
            glued_title=costs.title(text[len(glued) :]) if glued else NEVER,
            title_more=costs.title_more(text, before) if joins else NEVER,
            abstract_more=costs.abstract_more(text, before) if joins else NEVER,
            abstract_boundary=boundaries[0],
            title_boundary=boundaries[1],
            abstract_end=ends[0],
            title_end=ends[1],
        )

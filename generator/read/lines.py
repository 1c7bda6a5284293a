"""Line classes: what one line of a digest can be, judged by that line alone.

`classify` gives each line of the file its text (after the text policy), the form the reader
matches patterns against (also without zero-width characters, so a separator line holding
only a zero-width space is blank), and its kind: blank, metadata (authors, separator, date,
upvotes) or text (a title, an abstract or a header line: the grammar decides which).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache

from generator.read.source import RawLine
from generator.text import clean

MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
DATE_LINE = re.compile(
    r"^(?P<month>[A-Za-z]{3})[a-z]*\.?\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?(?:\s+(?P<upvotes>\d+))?$"
)
# "• 6 authors", or with the separator the page shows after it on the same line ("• 6 authors ·")
AUTHORS_LINE = re.compile(r"^(?:[•·*-]\s*)?(?P<n>\d+)\s+authors?(?:\s*[·•|])?$", re.IGNORECASE)
SEPARATOR_LINE = re.compile(r"^[·•|-]$")
NUMBER_LINE = re.compile(r"^\d{1,7}$")
FINAL_STOPS = ".!?。！？．…"  # an abstract's last sentence ends in one of these
CLOSERS = "\"'”’)]」』"  # may follow a final stop


class Kind(Enum):
    BLANK = "blank"
    TEXT = "text"
    AUTHORS = "authors"
    SEPARATOR = "separator"
    DATE = "date"
    NUMBER = "number"  # upvotes after other metadata; else a title such as "1984"

    @property
    def is_metadata(self) -> bool:
        return self in (Kind.AUTHORS, Kind.SEPARATOR, Kind.DATE, Kind.NUMBER)


@dataclass(frozen=True)
class PartialDate:
    month: int
    day: int
    year: int | None
    upvotes: int | None


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line of the file
    raw: str  # as in the file (an HTML copy decoded)
    text: str  # after the text policy: what titles and abstracts are made of
    visible: str  # `text` without zero-width characters: what patterns match
    kind: Kind
    date: PartialDate | None = None  # for a DATE line


def parse_date(text: str) -> PartialDate | None:
    match = DATE_LINE.match(text)
    if not match or match["month"].lower() not in MONTHS:
        return None
    return PartialDate(
        month=MONTHS[match["month"].lower()],
        day=int(match["day"]),
        year=int(match["year"]) if match["year"] else None,
        upvotes=int(match["upvotes"]) if match["upvotes"] else None,
    )


@cache
def _is_format(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def visible(text: str) -> str:
    """The text without format characters (zero-width space, joiners, soft hyphen, ...)."""
    if text.isascii():
        return text
    return " ".join("".join(c for c in text if not _is_format(c)).split())


def classify(raw: RawLine) -> Line:
    text = clean(raw.text)
    seen = visible(text)
    if not seen:
        return Line(raw.number, raw.text, "", "", Kind.BLANK)
    kind = Kind.TEXT
    parsed = None
    if len(seen) <= 40:  # every metadata line is short: long lines skip the patterns
        if AUTHORS_LINE.match(seen):
            kind = Kind.AUTHORS
        elif SEPARATOR_LINE.match(seen):
            kind = Kind.SEPARATOR
        elif (parsed := parse_date(seen)) is not None:
            kind = Kind.DATE
        elif NUMBER_LINE.match(seen):
            kind = Kind.NUMBER
    return Line(raw.number, raw.text, text, seen, kind, parsed)


def author_count(text: str) -> int:
    """The N of an authors line, with or without the separator after it ("• 6 authors ·")."""
    match = AUTHORS_LINE.match(text)
    if match is None:
        raise ValueError(f"not an authors line: {text!r}")
    return int(match["n"])


def ends_a_sentence(text: str) -> bool:
    return text.rstrip(CLOSERS).endswith(tuple(FINAL_STOPS))


def quote(text: str, limit: int = 80) -> str:
    """A line as an error quotes it: at most `limit` characters, cut with an ellipsis."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

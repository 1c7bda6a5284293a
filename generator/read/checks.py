"""What the reader reports about listings it could read but that look unusual.

Each rule gives either an error (the reader cannot tell what the text is: the run stops,
naming file and line) or a notice (it can, but a maintainer should look: listed on the data
quality page and in the run summary). Limits come from the real listing pages: arXiv caps an
abstract at 1,920 characters, and no title of the real digests is longer than 181.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from generator.errors import InputError
from generator.model import Notice
from generator.read.costs import TITLE_SENTENCES
from generator.read.grammar import Record
from generator.read.lines import Line, ends_a_sentence, quote
from generator.read.wrap import Item, spaced
from generator.text import clean

ARXIV_LIMIT = 1920  # characters in an arXiv abstract
ABSTRACT_WARNING = ARXIV_LIMIT * 3 // 2  # "far beyond" the limit
TITLE_WARNING = 300  # characters: longer than any real title
LISTING_BYTES = (150, 6000)  # a digest's bytes per listing: real ones hold 1,300-1,700
# Titles ending with a full stop: none of the 47,918 real titles of ../shared/corpus does. An
# abstract split into a line per sentence, in a file the reader does not see as wrapped, reads
# as many short "papers" whose titles are sentences (001, 002 and 004 so: 81 papers -> 424).
SENTENCE_TITLES = (3, 0.05)  # at least this many, and this share of the listings: an error
# Line breaks the file does not use as line ends: inside a line, they may join records.
HIDDEN_BREAKS = re.compile("[\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
METADATA_INSIDE = re.compile(r"•\s*\d+\s+authors?\b.{0,40}?·", re.IGNORECASE)


def _title_like(text: str) -> bool:
    return 0 < len(text) <= TITLE_WARNING and not TITLE_SENTENCES.search(text) and not ends_a_sentence(text)


def _abstract_like(text: str) -> bool:
    return len(text) >= 100 and ends_a_sentence(text)


def check_sentence_titles(path: Path, titles: Sequence[tuple[int, str]]) -> None:
    """Stop where titles read as sentences of an abstract (`SENTENCE_TITLES`): (line, title) pairs."""
    stops = [(line, title) for line, title in titles if title.endswith(".") and not title.endswith("...")]
    least, share = SENTENCE_TITLES
    if len(stops) >= least and len(stops) >= share * len(titles):
        line, title = stops[0]
        raise InputError(
            path, line,
            f"{len(stops)} of {len(titles)} titles end with a full stop, as no real title does (the first: "
            f"{quote(title)}): is each abstract split over several lines? Expected a title line, then its "
            "abstract on one line (or hard-wrapped at a fixed width), then optionally '• N authors', '·' and a date",
        )


def check_run_together(path: Path, record: Record, title: str, abstract: str) -> Notice | None:
    """An "abstract" that holds further titles and abstracts: an error where hidden line breaks
    (or listing metadata) show the records inside it, a notice where it is only very long."""
    for line in record.abstract:
        if HIDDEN_BREAKS.search(line.raw) is None:
            continue
        pieces = [p for p in (clean(piece) for piece in HIDDEN_BREAKS.split(line.raw)) if p]
        for index in range(1, len(pieces) - 1):
            if _abstract_like(pieces[0]) and _title_like(pieces[index]) and _abstract_like(pieces[index + 1]):
                raise InputError(
                    path, line.number,
                    f"the abstract of {quote(title)} holds another title and abstract after a hidden line break "
                    f"({quote(pieces[index])}): several papers ran together on one line; put each title and each "
                    "abstract on a line of its own",
                )
    inside = METADATA_INSIDE.search(abstract)
    if inside and len(abstract) > ARXIV_LIMIT:
        raise InputError(
            path, record.abstract[0].number,
            f"the abstract of {quote(title)} ({len(abstract):,} characters) holds listing metadata "
            f"({quote(inside.group(0))}): several papers ran together; put each title, abstract and "
            "metadata line on a line of its own",
        )
    if len(abstract) > ABSTRACT_WARNING:
        return Notice(record.abstract[0].number, f"the abstract of {quote(title, 60)} has {len(abstract):,} "
                      f"characters, far beyond arXiv's {ARXIV_LIMIT:,}: read as one abstract (nothing in it "
                      "looks like a further title)")
    return None


def check_title(record: Record, title: str, boilerplate: frozenset[str]) -> list[Notice]:
    line = record.title[0].number
    found = []
    if record.glued:
        found.append(Notice(line, f"split the boilerplate word {record.glued!r} off the first title "
                                  f"{quote(title, 60)}"))
    if title in boilerplate:
        found.append(Notice(line, f"the title {quote(title)} is also a boilerplate line of site.yml: read as a "
                                  "paper, since an abstract follows it"))
    if len(title) > TITLE_WARNING:
        found.append(Notice(line, f"a title of {len(title):,} characters, longer than any real title "
                                  f"({quote(title, 60)})"))
    return found


def check_header(header: Sequence[Line], boilerplate: frozenset[str]) -> list[Notice]:
    return [
        Notice(line.number, f"skipped the header line {quote(line.visible)} (not a boilerplate line of site.yml)")
        for line in header
        if line.visible not in boilerplate
    ]


def check_size(size: int, listings: int) -> Notice | None:
    average = size // max(listings, 1)
    low, high = LISTING_BYTES
    if average > high:
        return Notice(None, f"{size:,} bytes for {listings} listing{'s' if listings != 1 else ''} "
                            f"({average:,} bytes each, where real digests hold 1,300-1,700): check that no "
                            "papers ran together")
    if average < low and listings > 3:
        return Notice(None, f"{listings} listings in {size:,} bytes ({average} bytes each, where real digests hold "
                            "1,300-1,700): check that titles and abstracts were not split")
    return None


def check_wrapped(items: Sequence[Item], width: int | None) -> Notice | None:
    """A hard-wrapped digest with no blank lines between its records: where a wrapped title or
    abstract ends was told from its wording alone (right for 99.9% of the listings of the real
    digests wrapped so; README, "What the reader understands")."""
    joined = sum(1 for item in items if item.joinable)
    if width is None or not joined or spaced(items):
        return None
    return Notice(None, f"hard-wrapped at {width} columns with no blank lines between titles and abstracts: where "
                        "each ends was told from the wording; check this digest's papers")

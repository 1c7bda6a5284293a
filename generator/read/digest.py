"""Stage 1: read digest files into `Digest` values.

A digest is a plain-text dump of a paper-listing page: a header (boilerplate lines, maybe a
date), then per paper a title line, its abstract line, and optionally metadata (`• N authors`,
`·`, a date such as `Jun 22, 2024` or `May 25 2`, the trailing number being upvotes). The
reader follows that structure whatever the spacing (grammar.py); what it cannot read is an
`InputError` naming the file and the line where the problem starts, and what it reads past
but finds unusual is a notice on the digest (checks.py).

Pipeline of one file: bytes -> lines (source.py) -> line kinds (lines.py) -> hard-wrap
joins (wrap.py) -> labels (grammar.py) -> listings, their dates (dates.py) and checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from generator.errors import InputError
from generator.model import DateRecord, Digest, Listing
from generator.read.checks import (
    check_header,
    check_run_together,
    check_sentence_titles,
    check_size,
    check_title,
    check_wrapped,
)
from generator.read.dates import FirstBuilt, digest_date, first_built_by_git, listing_date
from generator.read.grammar import LAYOUT, Reading, Record, read_lines
from generator.read.lines import Kind, Line, author_count, classify, quote
from generator.read.source import Source, read_source
from generator.read.wrap import Item, can_continue, spaced, wrap_width
from generator.settings import Settings

ReadOne = Callable[[Path, Settings, Mapping[str, DateRecord], FirstBuilt], Digest]  # `read_digest`'s signature


def read_digests(
    folder: Path,
    settings: Settings,
    recorded: Mapping[str, DateRecord] | None = None,
    first_built: FirstBuilt | None = None,
    read: ReadOne | None = None,
) -> list[Digest]:
    """Every `*.txt` digest in the folder, oldest first (ties by file name).

    `recorded` are the digest dates inferred by earlier runs (the write stage's state);
    `first_built` tells the day a digest was first built (default: its first git commit, else
    today), asked only for a digest whose date must be inferred and is not recorded; `read`
    reads one digest (default `read_digest`; cache.py answers from its file when it can).
    """
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise InputError(folder, None, "no digest found: expected one or more *.txt files")
    builder = first_built or first_built_by_git(date.today())
    digests = [(read or read_digest)(path, settings, recorded or {}, builder) for path in paths]
    return sorted(digests, key=lambda d: (d.date, d.id))


def read_digest(
    path: Path,
    settings: Settings,
    recorded: Mapping[str, DateRecord] | None = None,
    first_built: FirstBuilt | None = None,
    raw: bytes | None = None,
) -> Digest:
    """One digest; `raw`: the file's bytes, if the caller read them already (cache.py)."""
    source = read_source(path, raw)
    lines = [classify(raw) for raw in source.lines]
    width = wrap_width(lines)
    items = _items(lines, width)
    if not items:
        raise InputError(path, 1, f"the file is empty: expected a digest header, then papers ({LAYOUT})")
    reading = read_lines(items, settings.boilerplate, width)
    if reading.problem is not None:
        raise _error(path, reading, items)
    when, date_notices = digest_date(
        path, reading.header_date, settings, recorded or {}, first_built or first_built_by_git(date.today())
    )
    notices = [*check_header(reading.header, settings.boilerplate), *date_notices]
    listings = []
    for record in reading.records:
        title = " ".join(line.text for line in record.title)
        if record.glued:
            title = title[len(record.glued) :].lstrip() if title.startswith(record.glued) else title
        abstract = " ".join(line.text for line in record.abstract)
        notices.extend(check_title(record, title, settings.boilerplate))
        if (long := check_run_together(path, record, title, abstract)) is not None:
            notices.append(long)
        meta = _metadata(path, record, when.date)
        listings.append(Listing(title=title, abstract=abstract, line=record.title[0].number, **meta))  # type: ignore[arg-type]
    check_sentence_titles(path, [(x.line, x.title) for x in listings])
    if (size := check_size(source.size, len(listings))) is not None:
        notices.append(size)
    if (wrapped := check_wrapped(items, width)) is not None:
        notices.append(wrapped)
    return Digest(
        id=path.stem, path=path, date=when.date, date_source=when.source, listings=tuple(listings),
        layout=_layout(source, items, reading, width),
        notices=tuple(sorted(notices, key=lambda n: (n.line or 0, n.text))),
        date_record=when.record, date_override=when.override,
    )


def _items(lines: list[Line], width: int | None) -> list[Item]:
    """The non-blank lines, each with whether a blank line precedes it and whether it may
    continue the line before: a full line of a hard-wrapped file; or, in a file whose records
    are set apart by blank lines, any text line right under another (a paragraph of several
    lines, as the first digests' grammar had them)."""
    items: list[Item] = []
    after_blank = False
    for line in lines:
        if line.kind is Kind.BLANK:
            after_blank = True
            continue
        adjacent = bool(items) and not after_blank
        joinable = bool(items) and can_continue(items[-1].line, line, adjacent, width)
        items.append(Item(line, adjacent, joinable))
        after_blank = False
    if spaced(items):
        previous: Line | None = None
        for n, item in enumerate(items):
            paragraph = item.adjacent and previous is not None and previous.kind is Kind.TEXT
            if paragraph and item.line.kind is Kind.TEXT and not item.joinable:
                items[n] = Item(item.line, item.adjacent, True)
            previous = item.line
    return items


def _error(path: Path, reading: Reading, items: list[Item]) -> InputError:
    """The first rule the best reading breaks, as one line naming where it starts."""
    assert reading.problem is not None
    line, label = reading.problem
    last_title = _last_title(reading, line)
    if label in ("!T", "!M", "!E") and last_title is not None:
        title = " ".join(x.text for x in last_title.title)
        after = {"!T": f"the next line is another title, {quote(line.visible if line else '')}",
                 "!M": f"metadata follows it ({quote(line.visible if line else '')})",
                 "!E": "the file ends after it"}[label]
        return InputError(path, last_title.title[0].number, f"the title {quote(title)} has no abstract: {after}; "
                                                             f"expected {LAYOUT}")
    if label == "!R" and line is not None and last_title is not None:
        title = " ".join(x.text for x in last_title.title)
        return InputError(path, line.number, f"{quote(line.visible)} gives metadata that the paper {quote(title, 60)} "
                                             "already has: is a title and abstract missing before it?")
    if label == "!H" and line is not None:
        return InputError(path, line.number, f"found paper metadata {quote(line.visible)} where a title was expected "
                                             f"({LAYOUT})")
    if label == "!A" and line is not None:
        before = _before(reading, line)
        return InputError(path, line.number, f"{quote(line.visible)} stands where a title was expected ({before}), "
                                             f"but reads as an abstract: is its title missing? Expected {LAYOUT}")
    last = items[-1].line.number
    return InputError(path, last, f"no papers found after the header: expected {LAYOUT}")


def _last_title(reading: Reading, line: Line | None) -> Record | None:
    """The record whose title lacks an abstract: the last one before `line` (None: the end)."""
    found = None
    for record in reading.records:
        if record.title and line is not None and record.title[0] is line:
            break  # the title after the one that lacks an abstract
        if record.title and (line is None or record.title[0].number <= line.number):
            found = record
    return found


def _before(reading: Reading, line: Line) -> str:
    for record in reversed(reading.records):
        if record.abstract and record.abstract[-1].number < line.number and record.title:
            title = " ".join(x.text for x in record.title)
            return f"after the abstract of {quote(title, 60)}"
    return "after the header"


def _metadata(path: Path, record: Record, digest_day: date) -> dict[str, int | date | bool | None]:
    """A paper's metadata lines (the grammar allows each kind once) as Listing fields."""
    meta: dict[str, int | date | bool | None] = {}
    for line in record.metadata:
        if line.kind is Kind.AUTHORS:
            meta["author_count"] = author_count(line.visible)
        elif line.kind is Kind.DATE and line.date is not None:
            published, inferred = listing_date(line.date, digest_day)
            if published is None:
                raise InputError(path, line.number, f"{quote(line.visible)} is not a valid date")
            meta["published"], meta["published_year_inferred"] = published, inferred
            if line.date.upvotes is not None:
                meta["upvotes"] = line.date.upvotes
        elif line.kind is Kind.NUMBER:
            meta["upvotes"] = int(line.visible)
    return meta


def _layout(source: Source, items: list[Item], reading: Reading, width: int | None) -> str:
    """How the file was laid out, in a few words (the quality page's "Read as" column)."""
    parts = [source.line_end + (" with a BOM" if source.bom else "")]
    blanks = [item for item in items[1:] if not item.adjacent]
    first_title = reading.records[0].title[0].number if reading.records else 0
    if not blanks:
        parts.append("no blank lines")
    elif all(item.line.number <= first_title for item in blanks):
        parts.append("blank lines in the header only")
    else:
        parts.append("blank lines between records")
    joined = sum(len(r.title) + len(r.abstract) - 2 for r in reading.records)
    if joined:
        wrap = f"hard-wrapped at {width} columns" if width else "paragraphs of several lines"
        parts.append(f"{wrap} ({joined:,} lines joined)")
    if source.html:
        parts.append(f"an HTML copy ({source.html:,} entities and tags decoded)")
    with_meta = sum(1 for r in reading.records if r.metadata)
    if with_meta:
        parts.append(f"metadata for {with_meta} of {len(reading.records)} papers")
    if reading.header_date is None:
        parts.append("no header date")
    return "; ".join(parts)


"""Stage 1: read digest files into `Digest` values.

A digest is a plain-text dump of a paper-listing page. Blocks are separated by blank lines:
a header (boilerplate lines from site.yml and the digest's date), then per paper a title line,
an abstract, and an optional metadata block (`• N authors`, `·`, a date such as `Jun 22, 2024`
or `May 25 2`, the trailing number being upvotes). Anything else is an `InputError` naming the
file and line: a layout we cannot read is never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.errors import InputError
from generator.model import Digest, Listing
from generator.settings import Settings
from generator.text import clean

MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
DATE_LINE = re.compile(
    r"^(?P<month>[A-Za-z]{3})[a-z]*\.?\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?(?:\s+(?P<upvotes>\d+))?$"
)
AUTHORS_LINE = re.compile(r"^[•·*-]\s*(?P<n>\d+)\s+authors?$", re.IGNORECASE)
SEPARATOR_LINE = re.compile(r"^[·•|-]$")
UPVOTES_LINE = re.compile(r"^\d+$")
LAYOUT = "a title line, then its abstract, then optionally '• N authors', '·' and a date"


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the block's first line
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class PartialDate:
    month: int
    day: int
    year: int | None
    upvotes: int | None


def read_digests(folder: Path, settings: Settings) -> list[Digest]:
    """Every `*.txt` digest in the folder, oldest first (ties by file name)."""
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise InputError(folder, None, "no digest found: expected one or more *.txt files")
    digests = [read_digest(path, settings) for path in paths]
    return sorted(digests, key=lambda d: (d.date, d.id))


def read_digest(path: Path, settings: Settings) -> Digest:
    blocks = list(_blocks(_decode(path)))
    if not blocks:
        raise InputError(path, 1, f"the file is empty: expected a digest header, then papers ({LAYOUT})")
    header_date, start = _read_header(path, blocks, settings)
    when, source = _digest_date(path, header_date, settings)
    listings = tuple(_read_listings(path, blocks[start:], when))
    if not listings:
        raise InputError(path, blocks[-1].line, f"no papers found after the header: expected {LAYOUT}")
    return Digest(id=path.stem, path=path, date=when, date_source=source, listings=listings)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(path, line, f"not UTF-8 text (byte {raw[exc.start]:#04x}): save the digest as UTF-8") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _blocks(text: str) -> Iterator[Block]:
    """Blank-line separated blocks. Splits on "\\n" only: `str.splitlines()` would also split
    on NEL, LS, PS and form feeds hidden in a title, and shift every line number after it."""
    current: list[str] = []
    start = 0
    for number, raw_line in enumerate(text.split("\n"), 1):
        line = clean(raw_line)
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            yield Block(start, tuple(current))
            current = []
    if current:
        yield Block(start, tuple(current))


def _parse_date(line: str) -> PartialDate | None:
    match = DATE_LINE.match(line)
    if not match or match["month"].lower() not in MONTHS:
        return None
    return PartialDate(
        month=MONTHS[match["month"].lower()],
        day=int(match["day"]),
        year=int(match["year"]) if match["year"] else None,
        upvotes=int(match["upvotes"]) if match["upvotes"] else None,
    )


def _read_header(path: Path, blocks: list[Block], settings: Settings) -> tuple[tuple[Block, PartialDate] | None, int]:
    """Skip boilerplate and the header date; return the date and where the papers start."""
    header_date = None
    for index, block in enumerate(blocks):
        if all(line in settings.boilerplate for line in block.lines):
            continue
        parsed = _parse_date(block.text) if len(block.lines) == 1 else None
        if parsed and header_date is None and parsed.upvotes is None:
            header_date = (block, parsed)
            continue
        return header_date, index
    return header_date, len(blocks)


def _digest_date(path: Path, header: tuple[Block, PartialDate] | None, settings: Settings) -> tuple[date, str]:
    if path.stem in settings.digest_dates:
        return settings.digest_dates[path.stem], "site.yml"
    if header is None:
        raise InputError(
            path,
            1,
            f"no digest date: expected a date line such as 'Nov 20, 2025' "
            f"before the first paper, or '{path.stem}: {{date: YYYY-MM-DD}}' under 'digests:' in site.yml",
        )
    block, parsed = header
    if parsed.year is None:
        raise InputError(
            path,
            block.line,
            f"the digest date {block.text!r} has no year: add "
            f"'{path.stem}: {{date: YYYY-MM-DD}}' under 'digests:' in site.yml",
        )
    return _make_date(path, block, parsed.year, parsed.month, parsed.day), "digest header"


def _make_date(path: Path, block: Block, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(path, block.line, f"{block.text!r} is not a valid date") from None


def _is_metadata(block: Block) -> bool:
    return any(AUTHORS_LINE.match(line) or SEPARATOR_LINE.match(line) for line in block.lines) or (
        len(block.lines) == 1 and _parse_date(block.lines[0]) is not None
    )


FINAL_STOPS = ".!?。！？．…"  # an abstract's last sentence ends in one of these


def _looks_like_title(block: Block) -> bool:
    """Abstracts are sentences; a short line without a final stop is a title, not an abstract.
    A stop may be followed by a closing quote or bracket; full-width stops (CJK) count too."""
    text = block.text.rstrip("\"'”’)]」』")
    return len(block.lines) == 1 and len(block.text.split()) < 25 and not text.endswith(tuple(FINAL_STOPS))


def _read_listings(path: Path, blocks: list[Block], digest_date: date) -> Iterator[Listing]:
    index = 0
    while index < len(blocks):
        title_block = blocks[index]
        if _is_metadata(title_block):
            raise InputError(
                path,
                title_block.line,
                f"found paper metadata {title_block.text!r} where a title was expected ({LAYOUT})",
            )
        if len(title_block.lines) > 1:  # title and abstract with no blank line between them
            title, abstract, index = title_block.lines[0], " ".join(title_block.lines[1:]), index + 1
        else:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is None or _is_metadata(following) or _looks_like_title(following):
                raise InputError(
                    path, title_block.line, f"the title {title_block.text!r} has no abstract: expected {LAYOUT}"
                )
            title, abstract, index = title_block.text, following.text, index + 2
        meta: dict[str, int | date | bool | None] = {}
        if index < len(blocks) and _is_metadata(blocks[index]):
            meta = _read_metadata(path, blocks[index], digest_date)
            index += 1
        yield Listing(title=title, abstract=abstract, line=title_block.line, **meta)  # type: ignore[arg-type]


def _read_metadata(path: Path, block: Block, digest_date: date) -> dict[str, int | date | bool | None]:
    meta: dict[str, int | date | bool | None] = {}
    for offset, line in enumerate(block.lines):
        here = Block(block.line + offset, (line,))
        if (authors := AUTHORS_LINE.match(line)) is not None:
            meta["author_count"] = int(authors["n"])
        elif SEPARATOR_LINE.match(line):
            continue
        elif (parsed := _parse_date(line)) is not None:
            year, inferred = parsed.year, False
            if year is None:  # the listing page omits the year of the current year's dates
                later = (parsed.month, parsed.day) > (digest_date.month, digest_date.day)
                year, inferred = digest_date.year - (1 if later else 0), True
            meta["published"] = _make_date(path, here, year, parsed.month, parsed.day)
            meta["published_year_inferred"] = inferred
            meta["upvotes"] = parsed.upvotes
        elif UPVOTES_LINE.match(line):
            meta["upvotes"] = int(line)
        else:
            raise InputError(
                path,
                here.line,
                f"unreadable paper metadata {line!r}: expected "
                "'• N authors', '·', a date such as 'Jun 22, 2024', or 'May 25 2' (date, upvotes)",
            )
    return meta

"""A digest file's bytes -> its lines, each with its line number in the file.

What is undone here, before any line is read: the byte-order mark; the file's line ends (LF,
CRLF, or CR alone, as old Mac software writes them); and, for a copy taken from a web page's
HTML, its entities (`&amp;`, `&#39;`) and `<br>` line breaks. Nothing else: every other
character reaches the grammar, and `generator.text.clean` decides what a title keeps.

Lines are split on the file's own line end only. A line separator, form feed or NEL inside a
line, or a CR alone inside a file whose lines end in LF, never splits a record (the text policy
turns it into a space); a CR alone splits lines only in a file where CR is the line end.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.entities import html5
from pathlib import Path

from generator.errors import InputError


@dataclass(frozen=True)
class RawLine:
    number: int  # 1-based line in the file (lines of one HTML line split at <br> share it)
    text: str  # as in the file, line end removed (entities decoded in an HTML copy)


@dataclass(frozen=True)
class Source:
    path: Path
    size: int  # bytes
    lines: tuple[RawLine, ...]
    line_end: str  # "LF", "CRLF", "CR", or "LF and CRLF"
    bom: bool
    html: int  # entities and tags decoded (0: not an HTML copy)


_CR_OR_LF = re.compile(r"\r\n|\r|\n")
_LF = re.compile(r"\r?\n")
# An HTML copy breaks lines with <br> (or paragraphs); these are the only tags it may hold.
_BREAK_TAG = re.compile(r"<\s*br\s*/?\s*>|<\s*/?\s*p\s*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")


def read_source(path: Path, raw: bytes | None = None) -> Source:
    """The file's lines (`raw`: its bytes, if already read)."""
    raw = path.read_bytes() if raw is None else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        number = len(_splitter(before).split(before))
        byte = raw[exc.start]
        raise InputError(path, number, f"not UTF-8 text (byte {byte:#04x}): save the digest as UTF-8") from None
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    line_end = _line_end(text)
    physical = (_CR_OR_LF if line_end == "CR" else _LF).split(text)
    if physical and physical[-1] == "" and len(physical) > 1:
        physical.pop()  # the final line end ends the last line; it does not start another
    decoded = _html_copy(text)
    lines: list[RawLine] = []
    for number, line in enumerate(physical, 1):
        if decoded:
            parts = _BREAK_TAG.split(line)
            if len(parts) > 1 and not parts[-1].strip():
                parts.pop()  # a <br> before the line end is that line end, not one more line
            lines.extend(RawLine(number, html.unescape(part)) for part in parts)
        else:
            lines.append(RawLine(number, line))
    return Source(path, len(raw), tuple(lines), line_end, bom, decoded)


def _splitter(text: str) -> re.Pattern[str]:
    """CR alone is the line end only where it outnumbers LF (a file saved with CR line ends)."""
    lf = text.count("\n")
    lone_cr = text.count("\r") - text.count("\r\n")
    return _CR_OR_LF if lone_cr > lf else _LF


def _line_end(text: str) -> str:
    lf, crlf = text.count("\n"), text.count("\r\n")
    if text.count("\r") - crlf > lf:
        return "CR"
    if crlf and crlf == lf:
        return "CRLF"
    return "LF and CRLF" if crlf else "LF"


def _html_copy(text: str) -> int:
    """How many entities and break tags an HTML copy holds, or 0 if the text is not one.

    A copy of a page's HTML escapes every `&` and `<` of its text, so it holds no `&` that
    does not start an entity and no `<` that does not start a break tag. A plain digest that
    quotes an entity beside a bare `&` or a tag (as a paper about HTML may) is not decoded:
    its text stays exactly as written. Decoded once: `&amp;lt;` becomes the text `&lt;`.
    """
    if "&" not in text and "<" not in text:
        return 0
    tags = _BREAK_TAG.findall(text)
    entities = [e for e in _ENTITY.findall(text) if e.startswith("#") or e in html5]
    if "<" in _BREAK_TAG.sub("", text):
        return 0
    if text.count("&") != len(entities):
        return 0
    return len(tags) + len(entities)

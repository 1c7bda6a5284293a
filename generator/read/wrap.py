"""Hard-wrapped text (an e-mail client breaks lines at 72-78 columns): where a line may go on.

A digest's abstracts are hundreds of characters on one line. A file in which almost no line
with spaces is longer than 200 characters, and many reach nearly the same length, was wrapped
at that length (the width). E-mail clients wrap at 72-78 columns, but a digest wrapped wider
(a text editor's 120) must be seen as wrapped too: taken for unwrapped, each line of a
paragraph read as a record of its own, and digest 002 wrapped at 102 columns gave 243 wrong
papers with no error. Wider than 200, an abstract's lines no longer fit the grammar: an error.

A wrapper breaks a line only where the next word would not fit, so a line may continue on the
next one only if it is full: its length, a space and the next
line's first word exceed the width (with two columns of slack for clients that count the
trailing space). A blank line or a metadata line never continues anything. Whether a full
line does go on is for the grammar to decide: a title that happens to fill the width and the
abstract after it look exactly like one wrapped paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.read.lines import Kind, Line

LONGEST_WRAP = 200  # wider than any e-mail client wraps
EMAIL_WRAP = 100  # no e-mail client wraps wider
DISTINCT_FULL = 3  # lengths the full lines of a wider wrap take, at least
MIN_LINES = 6  # fewer text lines tell nothing about a width
SLACK = 2


def wrap_width(lines: Sequence[Line]) -> int | None:
    """The width the file was wrapped at, or None if it was not wrapped."""
    lengths = [len(line.text) for line in lines if line.kind is Kind.TEXT and " " in line.text]
    if len(lengths) < MIN_LINES:
        return None
    short = sorted(n for n in lengths if n <= LONGEST_WRAP)
    if len(short) < 0.95 * len(lengths):
        return None  # lines longer than any wrap: abstracts on one line each
    width = short[-1]
    near = [n for n in short if n >= width - 12]
    if len(near) < max(3, len(short) // 4):
        return None
    # Wider than e-mail wraps, ask for more: a wrapper ends a line where the next word would not
    # fit, so the full lines' lengths vary with the words; unwrapped short abstracts of one length
    # (tests/test_read.py) must not read as wrapped, or a missing abstract would go unseen.
    return width if width <= EMAIL_WRAP or len(set(near)) >= DISTINCT_FULL else None


def can_continue(previous: Line, line: Line, adjacent: bool, width: int | None) -> bool:
    """Whether `line` may continue `previous`: both text, no blank line between (`adjacent`)."""
    if width is None or not adjacent or previous.kind is not Kind.TEXT or line.kind is not Kind.TEXT:
        return False
    first_word = line.text.split(" ", 1)[0]
    return len(previous.text) + 1 + len(first_word) > width - SLACK


@dataclass(frozen=True)
class Item:
    line: Line
    adjacent: bool  # no blank line between this line and the previous non-blank one
    joinable: bool  # may go on from the previous line: a full line of a hard-wrapped file, or (digest.py)
    #                 a paragraph's next line in a file whose records blank lines set apart


def spaced(items: Sequence[Item]) -> bool:
    """Whether blank lines set the records apart: most text lines that cannot continue the line
    before them (so start a title, an abstract or a header line) have a blank line before."""
    starts = [item for item in items[1:] if item.line.kind is Kind.TEXT and not item.joinable]
    return len(starts) >= 4 and sum(not item.adjacent for item in starts) >= 0.6 * len(starts)

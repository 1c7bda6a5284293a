"""diff3 over two edits of one sequence (`git merge-file` semantics, on difflib's matcher).

The two edited versions are each matched against the base (`difflib.SequenceMatcher`); the
stretches of the base that both kept unchanged are the sync points. Between two sync points
a side that left the base as it was takes the other side's text, two sides that made the same
change agree, and two different changes are a conflict. Written here rather than taken from
merge3 (GPL-2.0-or-later) so that the project stays MIT-licensed; tests/test_merge.py holds
it to merge3 on random edits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Region(Generic[T]):
    """A run of the merge: "unchanged", taken from side "a" or "b", the "same" on both, or a
    "conflict"; with the base's, a's and b's items there."""

    kind: str
    base: list[T]
    a: list[T]
    b: list[T]

    @property
    def merged(self) -> list[T]:
        """The region's items in the merge (a conflict has none of its own: the caller decides)."""
        if self.kind == "conflict":
            raise ValueError("a conflict has no merged text")
        return self.b if self.kind == "b" else self.a


def _matches(base: Sequence[T], other: Sequence[T]) -> list[tuple[int, int, int]]:
    """(base start, other start, length) of each stretch the two share, ending with (len, len, 0)."""
    return [tuple(m) for m in SequenceMatcher(None, base, other, autojunk=False).get_matching_blocks()]  # type: ignore[misc]


def sync_points(base: Sequence[T], a: Sequence[T], b: Sequence[T]) -> list[tuple[int, int, int, int]]:
    """(base start, a start, b start, length) of each stretch of the base both sides kept,
    in order, ending with an empty one at the three ends."""
    found: list[tuple[int, int, int, int]] = []
    in_a, in_b = _matches(base, a), _matches(base, b)
    i = j = 0
    while i < len(in_a) and j < len(in_b):
        base_a, at_a, length_a = in_a[i]
        base_b, at_b, length_b = in_b[j]
        start, end = max(base_a, base_b), min(base_a + length_a, base_b + length_b)
        if start < end:
            found.append((start, at_a + start - base_a, at_b + start - base_b, end - start))
        if base_a + length_a < base_b + length_b:
            i += 1
        else:
            j += 1
    found.append((len(base), len(a), len(b), 0))
    return found


def merge_regions(base: Sequence[T], a: Sequence[T], b: Sequence[T]) -> Iterator[Region[T]]:
    """The merge as runs of items: unchanged, taken from one side, the same on both, or a conflict."""
    at_base = at_a = at_b = 0
    for start, start_a, start_b, length in sync_points(base, a, b):
        old, mine, theirs = list(base[at_base:start]), list(a[at_a:start_a]), list(b[at_b:start_b])
        if mine or theirs:
            if mine == theirs:
                kind = "same"
            elif old == mine:
                kind = "b"
            elif old == theirs:
                kind = "a"
            else:
                kind = "conflict"
            yield Region(kind, old, mine, theirs)
        if length:
            kept = list(base[start : start + length])
            yield Region("unchanged", kept, kept, kept)
        at_base, at_a, at_b = start + length, start_a + length, start_b + length

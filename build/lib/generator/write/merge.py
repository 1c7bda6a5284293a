"""Three-way merge of one page: what the generator last wrote, the page now, the new page.

`git merge-file` semantics, applied per front-matter field and per body block (paragraphs
separated by blank lines): a change on one side only is taken; where both sides changed the
same field or block differently, the curator's version (the page now) wins and the conflict
is returned so the run can report it. The result never holds conflict markers and is always
a whole page: the merge is computed in memory and either returned complete or refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.front_matter import front_matter, read_page
from generator.write.diff3 import merge_regions

_MISSING: Any = object()
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
BODY = "body"  # the "field" name a body conflict is reported under


def blocks(body: str) -> list[str]:
    """The body's blocks: paragraphs (or list, code, ...) separated by blank lines."""
    stripped = body.strip("\n")
    return _BLANK_LINE.split(stripped) if stripped.strip() else []


def join_blocks(parts: list[str]) -> str:
    return "\n\n".join(parts) + "\n" if parts else ""


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: tuple[str, ...]  # front-matter field names, and BODY, changed on both sides


def merge_meta(
    base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Per field: one-sided changes are taken, both-sided ones keep ours and are reported."""
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    order = list(theirs) + [k for k in ours if k not in theirs] + [k for k in base if k not in theirs and k not in ours]
    for key in order:
        b, o, t = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        if o == t or t == b:
            value = o
        elif o == b:
            value = t
        else:
            value = o
            conflicts.append(key)
        if value is not _MISSING:
            merged[key] = value
    # Keep the curator's field order for fields the curator's page has.
    ordered = {k: merged[k] for k in ours if k in merged}
    ordered.update((k, v) for k, v in merged.items() if k not in ordered)
    return ordered, conflicts


def merge_body(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """diff3 over the blocks; a region both sides changed keeps ours. Returns (body, conflicted)."""
    b, o, t = blocks(base), blocks(ours), blocks(theirs)
    result: list[str] = []
    conflicted = False
    for region in merge_regions(b, o, t):
        if region.kind == "conflict":
            resolved = _around(region.base, region.a, region.b)
            conflicted = conflicted or resolved is None
            result.extend(region.a if resolved is None else resolved)  # unresolved: keep ours
        else:
            result.extend(region.merged)
    return (ours if result == o else theirs if result == t else join_blocks(result)), conflicted


def _around(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """Resolve a region where one side only added blocks before or after the unchanged base.

    diff3 calls a note appended right after an abstract that a new digest lengthened a
    conflict; it is not one: the note goes after the new abstract.
    """
    n = len(base)
    for mine, other in ((ours, theirs), (theirs, ours)):
        if n and len(mine) > n and mine[:n] == base:
            return other + mine[n:]
        if n and len(mine) > n and mine[-n:] == base:
            return mine[:-n] + other
    return None


def merge_page(base_text: str, ours_text: str, theirs_text: str, where: str) -> Merged:
    """Merge a whole page. Text the merge does not change is kept byte for byte."""
    base, ours, theirs = (read_page(where, t) for t in (base_text, ours_text, theirs_text))
    meta, conflicts = merge_meta(base.meta, ours.meta, theirs.meta)
    body, body_conflict = merge_body(base.body, ours.body, theirs.body)
    if meta == ours.meta:
        front = ours.front
    elif meta == theirs.meta and list(meta) == list(theirs.meta):
        front = theirs.front
    else:
        front = front_matter(meta)
    if body_conflict:
        conflicts.append(BODY)
    return Merged(front + body, tuple(conflicts))

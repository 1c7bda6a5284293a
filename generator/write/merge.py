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

import yaml

from generator.errors import UserError
from generator.write.diff3 import merge_regions

try:  # libyaml when present, as front_matter.py uses
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_MISSING: Any = object()
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
BODY = "body"  # the "field" name a body conflict is reported under


@dataclass(frozen=True)
class Page:
    """A page split into its front matter (text and parsed) and its body."""

    front: str  # the front matter block, delimiters included, or "" when the page has none
    meta: dict[str, Any]
    body: str


def split_page(text: str, where: str) -> Page:
    """Parse a page's YAML front matter with the safe loader; refuse one that does not parse.

    MkDocs would silently render a broken front matter block as text, so a curator's typo
    must stop the run, naming the page, instead.
    """
    if not text.startswith("---\n"):
        return Page("", {}, text)
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise UserError(f"{where}: the front matter has no closing '---' line")
    front, body = text[: end + 5], text[end + 5 :]
    try:
        meta = yaml.load(text[4 : end + 1], Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 2}" if mark is not None else ""
        raise UserError(f"{where}{line}: the front matter is not valid YAML ({error})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise UserError(f"{where}: the front matter must be a mapping of fields (name: value)")
    return Page(front, meta, body)


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
    from generator.front_matter import front_matter  # the one writer of front matter

    base, ours, theirs = (split_page(t, where) for t in (base_text, ours_text, theirs_text))
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

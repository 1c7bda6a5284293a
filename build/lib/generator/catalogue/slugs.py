"""Readable, stable, file-system-safe slugs for paper pages.

`python-slugify` (with text-unidecode) turns any title, CJK included, into lowercase ASCII
words joined by hyphens, cut at a word boundary. We add what it does not know: names that are
special on some file system or in MkDocs, and collisions, resolved by a short hash of the
paper's title key so that a paper's slug never depends on which other papers exist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from slugify import slugify

MAX_LENGTH = 60
RESERVED = frozenset(
    {"index", "readme", "tags", "search", "assets", "con", "prn", "aux", "nul", "clock$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)


def short_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]


def base_slug(title: str) -> str:
    return slugify(title, max_length=MAX_LENGTH, word_boundary=True, save_order=True)


def with_hash(slug: str, key: str) -> str:
    stem = slug[: MAX_LENGTH - 7].rstrip("-") if slug else "paper"
    return f"{stem}-{short_hash(key)}"


def assign_slugs(keyed_titles: Iterable[tuple[str, str]], taken: Iterable[str] = ()) -> dict[str, str]:
    """Map each (key, title), in order of first appearance, to a unique slug.

    The earliest paper keeps the plain slug; a later one whose slug is taken, empty or
    reserved gets its key's hash appended, which no later arrival can change.
    """
    used = {s.lower() for s in taken}
    slugs: dict[str, str] = {}
    for key, title in keyed_titles:
        slug = base_slug(title)
        if not slug or slug in RESERVED or slug.lower() in used:
            slug = with_hash(slug, key)
        while slug.lower() in used:  # a hash collision: vanishingly rare, still handled
            slug = with_hash(slug, key + slug)
        used.add(slug.lower())
        slugs[key] = slug
    return slugs

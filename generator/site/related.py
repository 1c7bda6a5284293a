"""What a paper page shows of other pages: related papers, and its neighbours in its digest.

The front matter lists related papers by slug only, so a curator edits one short list and a
renamed title never goes stale. The templates need more than the slug:

- `PaperIndex.facts(slug)`: a paper's title, date (published, else the day a digest first
  listed it) and topics, for the related-papers list (overrides/partials/paper-related.html);
- `PaperIndex.neighbours(digest, slug)`: the papers before and after it in that digest's own
  order, which each digest page gives in its front matter (`papers:`), for the paper page's
  previous/next links.

Both are read as the build reads every page (MkDocs reads every page's Markdown before it
renders any page), so a lookup costs a dict access, never a file. A page not read in this
build (`mkdocs serve --dirty`) is read from disk on first use. Unknown or malformed slugs and
values give None and are not shown: front matter is curator-edited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.front_matter import parse_page

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DIGEST_SLUG = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-(\d+))?$")
_STOP = frozenset(
    ("and", "are", "but", "can", "for", "from", "how", "into", "its", "new", "not", "our", "than", "that",
     "the", "their", "these", "this", "toward", "towards", "using", "versus", "via", "what", "when", "which",
     "why", "with", "without")
)


@dataclass(frozen=True)
class PaperFacts:
    """What a listing of another paper shows: its title, date and topics (names)."""

    title: str
    day: date | None
    listed: bool  # True when `day` is the day a digest first listed it (no published date)
    tags: tuple[str, ...]


def digest_day(slug: object) -> tuple[date, int] | None:
    """A digest page's date and its number among that day's digests (1, 2, ...), from its slug."""
    match = _DIGEST_SLUG.match(slug) if isinstance(slug, str) else None
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])), int(match[4] or 1)
    except ValueError:
        return None


def _facts(meta: Mapping[str, Any]) -> PaperFacts | None:
    title = meta.get("title")
    if not isinstance(title, str) or meta.get("hidden") is True:  # a hidden page is not published
        return None
    published = meta.get("published")
    day = published if isinstance(published, date) else None
    listed = False
    if day is None:
        digests = meta.get("digests")
        days = [d for d in map(digest_day, digests if isinstance(digests, list) else []) if d]
        day, listed = (min(days)[0], True) if days else (None, False)
    tags = meta.get("tags")
    names = tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else ()
    return PaperFacts(title, day, listed, names)


def title_words(title: str) -> set[str]:
    """The words of a title that say what it is about: lower case, no stop words, 3+ letters."""
    return {w for w in re.findall(r"[a-z0-9][a-z0-9\-]+", title.lower()) if len(w) > 2 and w not in _STOP}


def shared_words(one: str, other: str, limit: int = 3) -> list[str]:
    """Words two titles share, in the order of the second title (at most `limit`)."""
    mine = title_words(one)
    seen: list[str] = []
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9\-]+", other):
        if word.lower() in mine and word.lower() not in (w.lower() for w in seen):
            seen.append(word)
    return seen[:limit]


class PaperIndex:
    """Facts of every paper page and the order of every digest page: one per build."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self._facts: dict[str, PaperFacts | None] = {}
        self._orders: dict[str, dict[str, int] | None] = {}
        self._lists: dict[str, Sequence[str]] = {}

    def read(self, src_uri: str, meta: Mapping[str, Any]) -> None:
        """Remember what a page says, as the build read it (before its title is escaped)."""
        if src_uri.startswith("papers/"):
            self._facts[src_uri.removeprefix("papers/").removesuffix(".md")] = _facts(meta)
        elif src_uri.startswith("digests/") and src_uri != "digests/index.md":
            self._order(src_uri.removeprefix("digests/").removesuffix(".md"), meta.get("papers"))

    def _order(self, digest: str, papers: object) -> dict[str, int] | None:
        slugs = [p for p in papers if isinstance(p, str)] if isinstance(papers, list) else None
        order = {slug: i for i, slug in enumerate(slugs)} if slugs else None
        self._orders[digest] = order
        self._lists[digest] = slugs or []
        return order

    def _meta(self, path: Path) -> dict[str, Any] | None:
        try:
            meta, _ = parse_page(path, path.read_text(encoding="utf-8"))
        except (OSError, UserError):
            return None
        return meta

    def facts(self, slug: object) -> PaperFacts | None:
        if not isinstance(slug, str) or not _SLUG.match(slug):
            return None
        if slug not in self._facts:
            meta = self._meta(self.docs / "papers" / f"{slug}.md")
            self._facts[slug] = _facts(meta) if meta is not None else None
        return self._facts[slug]

    def title(self, slug: object) -> str | None:
        found = self.facts(slug)
        return found.title if found else None

    def neighbours(self, digest: object, slug: object) -> tuple[str | None, str | None, int, int] | None:
        """(previous slug, next slug, 1-based position, papers in the digest) of `slug` in `digest`."""
        if not isinstance(digest, str) or digest_day(digest) is None or not isinstance(slug, str):
            return None
        if digest not in self._orders:
            meta = self._meta(self.docs / "digests" / f"{digest}.md")
            self._order(digest, meta.get("papers") if meta else None)
        order = self._orders[digest]
        if order is None or slug not in order:
            return None
        slugs, i = self._lists[digest], order[slug]
        return (slugs[i - 1] if i > 0 else None), (slugs[i + 1] if i + 1 < len(slugs) else None), i + 1, len(slugs)

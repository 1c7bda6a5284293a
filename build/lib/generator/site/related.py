"""Titles for the related-papers partial (overrides/partials/paper-related.html).

The front matter lists related papers by slug only, so a curator edits one short list and a
renamed title never goes stale. The partial needs the titles: `PaperTitles.title(slug)` gives
the title of a paper page, as read in this build (every page's Markdown is read before any
page is rendered), or, when a page was not read in this build (`mkdocs serve --dirty`), from
that page's front matter on disk. Unknown or malformed slugs give None and are not shown.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import UserError
from generator.front_matter import parse_page

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class PaperTitles:
    """The title of each paper page, by slug: one per build."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self.titles: dict[str, str] = {}

    def read(self, src_uri: str, title: object) -> None:
        """Remember the title of a page as the build read it."""
        if src_uri.startswith("papers/") and isinstance(title, str):
            self.titles[src_uri.removeprefix("papers/").removesuffix(".md")] = title

    def title(self, slug: object) -> str | None:
        if not isinstance(slug, str) or not _SLUG.match(slug):
            return None
        if slug not in self.titles:
            path = self.docs / "papers" / f"{slug}.md"
            try:
                meta, _ = parse_page(path, path.read_text(encoding="utf-8"))
            except (OSError, UserError):
                return None
            title = meta.get("title")
            if not isinstance(title, str):
                return None
            self.titles[slug] = title
        return self.titles[slug]

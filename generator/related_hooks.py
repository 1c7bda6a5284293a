"""MkDocs hook (see mkdocs.yml) for the related-papers partial (overrides/partials/paper-related.html).

The front matter lists related papers by slug only, so a curator edits one short list and a
renamed title never goes stale. The partial needs the titles: `paper_title(slug)` gives the
title of a paper page, as read by MkDocs (every page's Markdown is read before any page is
rendered), or, when a page was not read in this build (`mkdocs serve --dirty`), from that
page's front matter on disk. Unknown or malformed slugs give None and are not shown.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from generator.errors import UserError
from generator.facets import FACETS
from generator.pages import parse_page

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_titles: dict[str, str] = {}
_docs = [Path("docs")]


def paper_title(slug: object) -> str | None:
    if not isinstance(slug, str) or not _SLUG.match(slug):
        return None
    if slug not in _titles:
        path = _docs[0] / "papers" / f"{slug}.md"
        try:
            meta, _ = parse_page(path, path.read_text(encoding="utf-8"))
        except (OSError, UserError):
            return None
        title = meta.get("title")
        if not isinstance(title, str):
            return None
        _titles[slug] = title
    return _titles[slug]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _titles.clear()
    _docs[0] = Path(config.docs_dir)
    return config


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.globals["paper_title"] = paper_title
    env.globals["facet_names"] = dict(FACETS)
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    title = page.meta.get("title_text", page.meta.get("title"))
    if page.file.src_uri.startswith("papers/") and isinstance(title, str):
        _titles[page.file.src_uri.removeprefix("papers/").removesuffix(".md")] = title
    return markdown

"""MkDocs hooks (see mkdocs.yml) for sharing: OpenGraph values and feed links per page.

Listed before generator/mkdocs_hooks.py, so it sees each page's title and description as
written (that hook then HTML-escapes them for Material's templates). It keeps the raw texts
as `og_title` and `og_description`, which overrides/main.html escapes once, marks paper pages
as articles, and tells the home page and topic pages which feed to offer.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from generator.errors import UserError
from generator.topics import load_taxonomy

_topic_slugs: set[str] = set()
_TOPIC_PAGE = re.compile(r"^topics/(?P<slug>[a-z0-9-]+)\.md$")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        taxonomy = load_taxonomy(Path(config.config_file_path).parent / "topics.yml")
    except UserError as error:
        raise PluginError(str(error)) from None
    _topic_slugs.clear()
    _topic_slugs.update(t.slug for t in taxonomy)
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    meta = page.meta
    where = page.file.src_uri
    title = meta.get("title_text", meta.get("title"))
    if isinstance(title, str):
        meta["og_title"] = title
    description = meta.get("description")
    if isinstance(description, str):
        meta["og_description"] = description
    if where.startswith("papers/"):
        meta["og_type"] = "article"
    if where == "index.md":
        meta["feed_button"] = True
    elif (match := _TOPIC_PAGE.match(where)) and match["slug"] in _topic_slugs:
        meta["feed_topic"] = match["slug"]
        meta["feed_button"] = True
    return markdown

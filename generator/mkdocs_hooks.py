"""MkDocs hooks (see mkdocs.yml): keep page titles inert and link topic chips to topic pages.

Material inserts `page.meta.title` unescaped into `<title>`, the header and the nav, and its
search UI inserts titles as HTML. Titles are digest text, so each page's title is HTML-escaped
once here, before any template sees it; the original is kept as `title_text` for templates
that escape it themselves (search links); the same holds for `description`, `author` and
`subtitle` (`description_text`, ...). Templates of ours print the escaped value raw, or the
`*_text` value through `|e`, never the escaped value through `|e` (that would show `&lt;`).
A page whose front matter does not parse stops the build, naming the page (MkDocs itself would
render the broken front matter as body text).
"""

from __future__ import annotations

import html
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from generator.errors import UserError
from generator.pages import parse_page
from generator.topics import load_taxonomy

_topic_urls: dict[str, str] = {}
# Front-matter keys that Material 9.8 templates print raw: `title` (base.html <title>,
# header.html, nav-item.html, content.html <h1>, the search index), `description` and
# `author` (base.html <meta content="...">), `subtitle` (nav-item.html).
RAW_IN_MATERIAL = ("title", "description", "author", "subtitle")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    topics = Path(config.config_file_path).parent / "topics.yml"
    try:
        taxonomy = load_taxonomy(topics)
    except UserError as error:
        raise PluginError(str(error)) from None
    _topic_urls.clear()
    _topic_urls.update({t.name: f"topics/{t.slug}/" for t in taxonomy})
    return config


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.globals["topic_urls"] = dict(_topic_urls)
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    meta = page.meta
    where = page.file.src_uri
    try:  # MkDocs renders broken front matter as body text: stop instead, naming the page
        parse_page(f"docs/{where}", page.file.content_string)
    except UserError as error:
        raise PluginError(str(error)) from None
    if page.file.src_uri.startswith("papers/"):
        for tag in meta.get("tags") or []:
            if tag not in _topic_urls:
                raise PluginError(
                    f"docs/{where}: tag {tag!r} is not a topic in topics.yml "
                    "(add the topic there, or use one of its names)"
                )
    _escape_meta(meta)
    return markdown


def _escape_meta(meta: MutableMapping[str, Any]) -> None:
    """Escape, in place, every front-matter value Material prints without `|e`.

    Always from the value as written (a front matter that already holds `title_text` cannot
    skip the escaping), and whatever its YAML type (a list would print as a raw Python repr).
    """
    for key in RAW_IN_MATERIAL:
        value = meta.get(key)
        if value is None:
            continue
        text = value if isinstance(value, str) else str(value)
        meta[f"{key}_text"] = text
        meta[key] = html.escape(text)

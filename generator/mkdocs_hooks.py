"""MkDocs hooks (see mkdocs.yml): keep page titles inert and link topic chips to topic pages.

Material inserts `page.meta.title` unescaped into `<title>`, the header and the nav, and its
search UI inserts titles as HTML. Titles are digest text, so each page's title is HTML-escaped
once here, before any template sees it; the original is kept as `title_text` for templates
that escape it themselves (search links); the same holds for `description`, `author` and
`subtitle` (`description_text`, ...). Templates of ours print the escaped value raw, or the
`*_text` value through `|e`, never the escaped value through `|e` (that would show `&lt;`).
A page whose front matter does not parse stops the build, naming the page (MkDocs itself would
render the broken front matter as body text). MkDocs has already parsed each page's YAML; it is
parsed again (by `parse_page`, to name the line) only where MkDocs' reading could be wrong.
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
from generator.pages import FRONT_MATTER, parse_page
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
        check_front_matter(f"docs/{where}", page.file.content_string, page.markdown or "")
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


def check_front_matter(where: str, text: str, mkdocs_body: str) -> None:
    """Raise what `parse_page(where, text)` raises, given MkDocs' body of the same text.

    MkDocs (`mkdocs.utils.meta.get_data`) matches the same pattern as `parse_page` and loads
    the YAML with the same loader; it strips the front matter from the body only when that
    YAML is a mapping, which `parse_page` accepts too. So a page whose MkDocs body is the text
    after its front matter is valid, and its YAML is not parsed a second time (it was most of
    this hook's cost). Any other page (no front matter, an unclosed one, first-line metadata,
    YAML that MkDocs could not read) goes through `parse_page`.
    """
    match = FRONT_MATTER.match(text)
    if match is not None and mkdocs_body == text[match.end():].lstrip("\n"):
        return
    parse_page(where, text)


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

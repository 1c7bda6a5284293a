"""MkDocs hooks (see mkdocs.yml): keep page titles inert and link topic chips to topic pages.

Material inserts `page.meta.title` unescaped into `<title>`, the header and the nav, and its
search UI inserts titles as HTML. Titles are digest text, so each page's title is HTML-escaped
once here, before any template sees it; the original is kept as `title_text` for templates
that escape it themselves (search links).
"""

from __future__ import annotations

import html
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from generator.errors import UserError
from generator.topics import load_taxonomy

_topic_urls: dict[str, str] = {}


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
    if page.file.src_uri.startswith("papers/"):
        for tag in meta.get("tags") or []:
            if tag not in _topic_urls:
                raise PluginError(
                    f"docs/{where}: tag {tag!r} is not a topic in topics.yml "
                    "(add the topic there, or use one of its names)"
                )
    title = meta.get("title")
    if isinstance(title, str) and "title_text" not in meta:
        meta["title_text"] = title
        meta["title"] = html.escape(title)
    description = meta.get("description")
    if isinstance(description, str):
        meta["description"] = html.escape(description)
    return markdown

"""Sharing: OpenGraph values and feed links per page.

Runs before the titles are escaped (`titles.escape_meta`), so it sees each page's title and
description as written: it keeps the raw texts as `og_title` and `og_description`, which
overrides/main.html escapes once, marks paper pages as articles, and tells the home page and
topic pages which feed to offer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, MutableMapping
from typing import Any

_TOPIC_PAGE = re.compile(r"^topics/(?P<slug>[a-z0-9-]+)\.md$")


def add_sharing_meta(meta: MutableMapping[str, Any], src_uri: str, topic_slugs: Collection[str]) -> None:
    """Set, in place, the page's OpenGraph and feed values (see the module docstring)."""
    title = meta.get("title_text", meta.get("title"))
    if isinstance(title, str):
        meta["og_title"] = title
    description = meta.get("description")
    if isinstance(description, str):
        meta["og_description"] = description
    if src_uri.startswith("papers/"):
        meta["og_type"] = "article"
    if src_uri == "index.md":
        meta["feed_button"] = True
    elif (match := _TOPIC_PAGE.match(src_uri)) and match["slug"] in topic_slugs:
        meta["feed_topic"] = match["slug"]
        meta["feed_button"] = True

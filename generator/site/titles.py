"""Page titles stay text: Material prints some front-matter values without escaping them.

Material inserts `page.meta.title` unescaped into `<title>`, the header and the nav, and its
search UI inserts titles as HTML. Titles are digest text, so each page's title is HTML-escaped
once (`escape_meta`), before any template sees it; the original is kept as `title_text` for
templates that escape it themselves (search links); the same holds for `description`,
`author` and `subtitle` (`description_text`, ...). Templates of ours print the escaped value
raw, or the `*_text` value through `|e`, never the escaped value through `|e` (that would show
`&lt;`). A page whose front matter does not parse stops the build, naming the page
(`check_front_matter`; MkDocs itself would render the broken front matter as body text).
"""

from __future__ import annotations

import html
import re
from collections.abc import MutableMapping
from typing import Any

from generator.front_matter import FRONT_MATTER, parse_page

# Front-matter keys that Material 9.8 templates print raw: `title` (base.html <title>,
# header.html, nav-item.html, content.html <h1>, the search index), `description` and
# `author` (base.html <meta content="...">), `subtitle` (nav-item.html).
RAW_IN_MATERIAL = ("title", "description", "author", "subtitle")


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
    if match is not None and mkdocs_body == text[match.end():].lstrip("\n") and _distinct_plain_keys(match.group(1)):
        return
    parse_page(where, text)


_PLAIN_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_ -]*):(?:[ \t]|$)")


def _distinct_plain_keys(block: str) -> bool:
    """Whether every top-level line of a front-matter block starts with a plain key, each key
    once: then YAML holds no key twice, which `parse_page` refuses and MkDocs silently accepts
    (the last wins). Anything else (a flow mapping, quoted keys, a repeated key) is parsed."""
    keys = []
    for line in block.split("\n"):
        if not line.strip() or line[0] in " \t#-":  # blank, nested, comment, list item
            continue
        found = _PLAIN_KEY.match(line)
        if found is None:
            return False
        keys.append(found.group(1).strip())
    return len(keys) == len(set(keys))


def escape_meta(meta: MutableMapping[str, Any]) -> None:
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

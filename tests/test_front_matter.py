"""Front matter reads back as written, whatever the values: MkDocs' reader, python-frontmatter
and the generator's own reader (`read_page`) all get the document the generator dumped, for
the real pages and for random documents made of what makes YAML quote a string."""

from __future__ import annotations

from typing import Any

import frontmatter
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.front_matter import front_matter, parse_page, read_page

from .conftest import ROOT


def test_every_real_page_is_written_again_byte_for_byte() -> None:
    pages = sorted((ROOT / "docs").rglob("*.md"))
    assert len(pages) > 200
    for page in pages:
        page_text = page.read_text(encoding="utf-8")
        read = read_page(page, page_text)
        assert front_matter(read.meta) == read.front, page  # the dumper's bytes: what the generator wrote


# Strings built from what YAML treats specially: indicators, spaces, quotes, number and
# date shapes, the words true/null/yes, a non-ASCII letter and line breaks.
PIECES = st.sampled_from(
    [" ", "  ", ":", ": ", "#", " #", "-", "- ", "?", "'", '"', ",", "[", "]", "{", "}", "&", "*", "!", "|",
     ">", "%", "@", "`", "---", "...", "~", "=", "<<", "0", "1.5", "0x1F", "2025-03-14", ".inf", "true",
     "Null", "yes", "off", "é", "\n", "\t", "a", "Word", "x y"]
)
TEXT = st.lists(PIECES, max_size=6).map("".join) | st.text(max_size=12)
VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.dates() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(TEXT, VALUE, max_size=5))
def test_random_documents_read_back_equal_everywhere(meta: dict[Any, Any]) -> None:
    text = front_matter(meta) + "The body.\n"
    assert yaml.safe_load(front_matter(meta).removeprefix("---\n").removesuffix("---\n")) == meta
    assert parse_page("p.md", text) == (meta, "The body.\n")
    if all(isinstance(k, str) for k in meta):  # python-frontmatter and MkDocs take string keys
        assert dict(frontmatter.loads(text).metadata) == meta
        body, mkdocs_meta = get_data(text)
        assert mkdocs_meta == meta and body == "The body.\n"

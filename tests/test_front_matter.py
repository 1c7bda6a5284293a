"""Front matter written by the shortcut is the YAML dumper's, byte for byte (issue 7: speed).

The shortcut (generator/front_matter.py) writes plain and single-quoted strings itself and
hands anything else to PyYAML. Compared with the dumper on every generated page of the real
site and on random documents made of the characters that make YAML quote a string.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.front_matter import front_matter, parse_page

from .conftest import ROOT


def dumped(meta: dict[str, Any]) -> str:
    """What PyYAML's dumper alone writes."""
    text = yaml.dump(meta, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{text}---\n"


def test_every_real_page_gets_the_dumpers_bytes() -> None:
    pages = sorted((ROOT / "docs").rglob("*.md"))
    metas = [parse_page(page, page.read_text(encoding="utf-8"))[0] for page in pages]
    assert len(metas) > 200
    assert all(front_matter(meta) == dumped(meta) for meta in metas)
    kinds = {type(v) for meta in metas for v in meta.values()}
    assert {str, list, date, int, bool, dict} <= kinds  # every kind of value a page has was compared


def test_ordinary_pages_do_not_reach_the_dumper(monkeypatch: pytest.MonkeyPatch) -> None:
    page = ROOT / "docs" / "papers" / sorted(p.name for p in (ROOT / "docs" / "papers").glob("*.md"))[0]
    meta = parse_page(page, page.read_text(encoding="utf-8"))[0]
    expected = dumped(meta)

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("the dumper was called")

    monkeypatch.setattr(yaml, "dump", refuse)
    assert front_matter(meta) == expected
    assert front_matter({"title": "[Re] Attention: a note", "digests": ["2025-03-14"], "n": 3}) == (
        "---\ntitle: '[Re] Attention: a note'\ndigests:\n- '2025-03-14'\nn: 3\n---\n"
    )


# Strings built from what YAML treats specially: indicators, spaces, quotes, number and
# date shapes, the words true/null/yes, a non-ASCII letter and a line break (the dumper's).
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
def test_random_documents_get_the_dumpers_bytes(meta: dict[Any, Any]) -> None:
    text = front_matter(meta)
    assert text == dumped(meta)
    assert yaml.safe_load(text.removeprefix("---\n").removesuffix("---\n")) == meta


def test_a_long_key_or_value_goes_to_the_dumper() -> None:
    for meta in ({"k" * 150: "v"}, {"title": "word " * 300}, {"d": {"k" * 150: 1}}):
        assert front_matter(meta) == dumped(meta)

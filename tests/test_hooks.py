"""The MkDocs hooks' shortcuts refuse and accept exactly what the slow, obvious way would.

`check_front_matter` skips the second YAML parse of pages MkDocs has already read correctly;
these tests hold it to `parse_page` on every kind of broken page, given the body MkDocs itself
makes of the text (`get_data`, what `Page.read_source` calls).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.errors import UserError
from generator.mkdocs_hooks import check_front_matter
from generator.pages import parse_page

WHERE = "docs/papers/x.md"

PAGES = [
    "---\ntitle: A paper\ntags:\n- Robotics\n---\nThe abstract.\n",  # valid
    "---\ntitle: A\n...\nbody\n",  # closed by '...'
    "---\n{}\n---\nbody\n",  # an empty mapping
    "---\n\n---\nbody\n",  # empty front matter (MkDocs keeps it as body, parse_page accepts it)
    "---  \ntitle: a\n---\t\n\n\nbody\n",  # spaces after the fences, blank lines before the body
    "---\ntitle: a\n---\n",  # no body
    "Just a body.\n",
    "\nTitle: after a blank line\n",
    "# A heading\n\nText: with a colon\n",
    "---\ntitle: [unclosed\n---\nbody\n",  # YAML error
    "---\ntitle: 'broken\n---\nAbstract.\n",
    "---\ntitle: a\n  bad: indent\n---\nbody\n",
    "---\ntitle: a\nbody without a closing line\n",  # never closed
    "---\n",
    "---\n- a list\n---\nbody\n",  # not a mapping
    "---\njust a string\n---\nbody\n",
    "---\n42\n---\nbody\n",
    "Title: sub\n\nThe body.\n",  # MultiMarkdown metadata
    "   key: value\nbody\n",
    "---: x\nbody\n",  # '---' then a colon: MultiMarkdown, not YAML
    "----\ntitle: a\n----\nbody\n",  # four dashes: not a fence
    "---\r\ntitle: a\r\n---\r\nbody\r\n",  # CRLF (MkDocs reads files with universal newlines)
    "---\ntitle: a\n---\nbody\r\nmore\r\n",
]


def _parse_page_error(text: str) -> str | None:
    try:
        parse_page(WHERE, text)
    except UserError as error:
        return str(error)
    return None


def _hook_error(text: str) -> str | None:
    try:
        check_front_matter(WHERE, text, get_data(text)[0])
    except UserError as error:
        return str(error)
    return None


@pytest.mark.parametrize("text", PAGES)
def test_the_hook_refuses_exactly_what_parse_page_refuses(text: str) -> None:
    assert _hook_error(text) == _parse_page_error(text)


def test_the_cases_hold_broken_and_valid_pages() -> None:
    errors = [_parse_page_error(text) for text in PAGES]
    assert sum(e is None for e in errors) >= 8 and sum(e is not None for e in errors) >= 10
    assert any(e and "not valid YAML" in e for e in errors) and any(e and "never closed" in e for e in errors)
    assert any(e and "first line as metadata" in e for e in errors) and any(e and "'key: value'" in e for e in errors)


PIECES = ["---", "...", "----", "title: a", "title: 'open", "- item", "  indented: x", "key: [1", "42", "", " ",
          "Body text.", "a: b: c", "\t", "{}", "null", "tags: [x, y]", "# Heading"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_on_any_arrangement_of_fences_and_lines_the_hook_agrees_with_parse_page(lines: list[str], eol: str) -> None:
    text = eol.join(lines) + (eol if lines else "")
    assert _hook_error(text) == _parse_page_error(text)

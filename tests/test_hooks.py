"""The site plugin's shortcuts refuse, accept and render exactly what the slow, obvious way would.

`check_front_matter` skips the second YAML parse of pages MkDocs has already read correctly;
these tests hold it to `parse_page` on every kind of broken page, given the body MkDocs itself
makes of the text (`get_data`, what `Page.read_source` calls). The template cache
(generator/site/memo.py) is held to a build that renders every part afresh.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.errors import UserError
from generator.front_matter import parse_page
from generator.site.memo import Memo
from generator.site.titles import check_front_matter

WHERE = "docs/papers/x.md"

PAGES = [
    "---\ntitle: A paper\ntags:\n- Robotics\n---\nThe abstract.\n",  # valid
    "---\ntitle: A\n...\nbody\n",  # closed by '...'
    "---\ntags: [x, y]\ntags: [x, y]\n---\n",  # a key set twice (found by hypothesis: MkDocs keeps the last)
    "---\ntitle: a\ntitle : b\n---\nbody\n",  # the same key, spaced
    "---\n{title: a, title: b}\n---\nbody\n",  # the same key in a flow mapping
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


def test_memo_renders_once_per_key_and_never_caches_a_none_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_TEMPLATE_CACHE", raising=False)
    memo = Memo()
    calls: list[str] = []

    def body(text: str) -> Callable[[], str]:
        def render() -> str:
            calls.append(text)
            return text
        return render

    assert memo("nav", "../../", caller=body("a")) == "a"
    assert memo("nav", "../../", caller=body("b")) == "a"  # the same key: the first rendering
    assert memo("nav", "../", caller=body("c")) == "c"
    assert memo("nav", None, caller=body("d")) == "d" and memo("nav", None, caller=body("e")) == "e"
    assert calls == ["a", "c", "d", "e"]
    monkeypatch.setenv("NO_TEMPLATE_CACHE", "1")
    assert Memo()("nav", "../../", caller=body("f")) == "f"
    assert Memo(enabled=False)("nav", "../", caller=body("g")) == "g"


def test_cached_parts_are_byte_for_byte_what_rendering_each_page_gives(real_project: Path, tmp_path: Path) -> None:
    """The whole real site, built again with every part rendered afresh, is the same site."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_TEMPLATE_CACHE": "1"}
    fresh = tmp_path / "fresh"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(fresh)],
                          cwd=real_project, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    cached = real_project / "site"
    built = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert len([p for p in built if p.name == "index.html" and p.parts[0] == "papers"]) > 100
    assert built == sorted(p.relative_to(cached) for p in cached.rglob("*")
                           if p.is_file() and not p.relative_to(cached).parts[0].startswith("pagefind"))  # search
    differing = [str(p) for p in built if (fresh / p).read_bytes() != (cached / p).read_bytes()]
    assert differing == []
    nav = re.compile(r'<nav class="md-nav md-nav--primary[^"]*".*?</nav>', re.DOTALL)
    papers = [(cached / p).read_text(encoding="utf-8") for p in built if p.parts[0] == "papers"][:2]
    first, second = (nav.search(html) for html in papers)
    assert first and second and first[0] == second[0]  # what is cached: one nav for all papers

"""Fuzzing with hypothesis: the reader never crashes, the Markdown escaper never lets text through.

Bounded (200 examples each, no deadline) so that `make test` stays quick; a failure prints the
smallest input that breaks the rule.
"""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.model import Digest
from generator.read import read_digest
from generator.settings import Settings, load_settings
from generator.text import clean, markdown_text

from .conftest import REAL_DIGESTS, ROOT

SITE = load_settings(ROOT / "site.yml")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Lines a digest is made of, so random text often gets past the header into papers.
LINES = st.sampled_from(
    ["", "", "", "Nov 20, 2025", "Nov 20", "May 25 2", "Feb 30, 2024", "  • 6 authors", "·", "-", "12", "new",
     "Subscribe", "A Title", "An abstract that ends.", "Jun 22, 2024 7", "• 1 author", "Dec 9"]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
REAL = [path.read_text(encoding="utf-8").split("\n") for path in sorted(REAL_DIGESTS.glob("*.txt"))]


def parse(data: bytes, settings: Settings = SITE) -> Digest | None:
    """Read bytes as a digest file: a Digest, or None for a clean InputError; anything else fails."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.txt"
        path.write_bytes(data)
        try:
            digest = read_digest(path, settings)
        except InputError as error:
            assert str(error).startswith(str(path))
            return None
    assert digest.listings and all(listing.title and listing.abstract for listing in digest.listings)
    return digest


@FUZZ
@given(st.lists(st.one_of(LINES, TEXT), max_size=40))
def test_random_lines_give_papers_or_a_clean_error(lines: list[str]) -> None:
    parse("\n".join(lines).encode("utf-8"))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_give_papers_or_a_clean_error(data: bytes) -> None:
    parse(data)


@st.composite
def mutated_digest(draw: st.DrawFn) -> str:
    """A real digest with a few lines deleted, duplicated, swapped, or changed."""
    lines = list(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert", "blank"]))
        if action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "replace":
            lines[at] = draw(st.one_of(LINES, TEXT))
        elif action == "insert":
            lines.insert(at, draw(TEXT))
        else:
            lines.insert(at, "")
    return "\n".join(lines)


@FUZZ
@given(mutated_digest())
def test_mutated_real_digests_give_papers_or_a_clean_error(text: str) -> None:
    parse(text.encode("utf-8"))


class _Rendered(HTMLParser):
    """The text and the elements of a rendered paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# The characters Markdown, its extensions and HTML give a meaning to, and some words around them.
MARKDOWN_ALPHABET = st.text(alphabet="\\`*_{}[]()<>#+-.!&;:|~^=$%@\"'/? \taZ09", max_size=30)
PIECES = st.sampled_from(
    ["https://x.org/a_b", "http://y.io/?q=1&r=2", "&amp;", "&#x41;", "&copy;", "<script>", "<!--", "-->",
     "[TOC]", "!!! note", "1. ", "# ", "> ", "- ", "    ", "{: #id }", "--8<--", "javascript:", "\n", "===",
     "```", "<https://z.org>", "[a]: http://b", "(c)", "1/2", "$x$", ":smile:", "注意", "\u202e", "\x00"]
)
MD = markdown.Markdown(extensions=["toc", "admonition"])  # the extensions of mkdocs.yml


def test_the_fuzzed_extensions_are_those_of_the_site() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names == ["toc", "admonition"]


@FUZZ
@given(st.lists(st.one_of(MARKDOWN_ALPHABET, PIECES), max_size=12))
def test_markdown_text_renders_exactly_the_text(pieces: list[str]) -> None:
    text = clean("".join(pieces))
    rendered = _Rendered()
    rendered.feed(MD.reset().convert(markdown_text(text)))
    rendered.close()
    assert "".join(rendered.text) == text
    if text:
        assert rendered.elements[0] == ("p", {})
    for tag, attrs in rendered.elements[1:]:
        assert tag == "a" and str(attrs.get("href", "")).startswith(("http://", "https://")), (tag, attrs)


def reference_clean(text: str) -> str:
    """`clean` as first written: one translation, then a regex (the fast path must agree)."""
    import re

    from generator.text import _REMOVE

    return re.sub(r"\s+", " ", text.translate(_REMOVE)).strip()


def reference_title_key(title: str) -> str:
    """`title_key` as first written, before its ASCII shortcut and one-pass folds."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u2033]", '"', text)
    text = re.sub(r"\s*([-:,;.!?/])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(".")


ODD = st.sampled_from([" ", "\t", "\x0b", "\x1c", "\x85", "\xa0", "\u2028", "\u3000", "\x00", "\x7f", "\u202e",
                       "\u2013", "\u2019", "\u201c", "ß", "ﬁ", "İ", " - ", " : ", ". ", "a", "Z", "."])
MIXED = st.lists(st.one_of(ODD, st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=8),
                           TEXT), max_size=12).map("".join)


@FUZZ
@given(MIXED)
def test_the_fast_text_paths_give_the_first_results(text: str) -> None:
    from generator.text import title_key

    assert clean(text) == reference_clean(text)
    assert title_key(text) == reference_title_key(text)

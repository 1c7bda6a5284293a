"""Paper pages as a curator and MkDocs read them: front matter that round-trips, a readable body."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import markdown
from mkdocs.utils.meta import get_data

from generator.render import front_matter
from generator.text import markdown_text

from .conftest import run_generator

TRAPS = ["no", "on", "~", "12:30", "0123", "[Re] X", "Title: sub", "#1", "- d", "!!python/object/apply:os.system",
         "2024-01-02", "yes", "null", "'quoted'", '"double"', "a\\b", "{x}", "%percent", "@at", "`tick`"]


def test_front_matter_round_trips_through_python_frontmatter_and_mkdocs() -> None:
    for trap in TRAPS:
        meta = {"title": trap, "published": date(2024, 1, 2), "upvotes": 3, "tags": [trap], "digests": ["2025-01-02"]}
        text = front_matter(meta) + "body\n"
        assert frontmatter.loads(text).metadata == meta, trap
        assert get_data(text) == ("body\n", meta), trap


class _Text(HTMLParser):
    """The visible text of an HTML fragment, and the tags it holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.tags: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)


def test_markdown_body_renders_exactly_the_abstract() -> None:
    md = markdown.Markdown(extensions=["toc", "admonition"])
    for text in ["a_b_c *d* **e** `f` <script>alert(1)</script> &amp; AT&T {: x} [TOC] \\% $x$ | ~ ^ # [a](b)",
                 "# not a heading", "- not a list", "1. not a list", "> not a quote", "!!! note", "+ x", "2024. x"]:
        parsed = _Text()
        parsed.feed(md.reset().convert(markdown_text(text, links=False)))
        assert parsed.tags == ["p"], text
        assert "".join(parsed.chunks) == text


def test_urls_become_links_without_the_final_stop() -> None:
    md = markdown.Markdown()
    html = md.convert(markdown_text("Code at https://github.com/a/b_c. And (see https://x.org/p(1))."))
    assert '<a href="https://github.com/a/b_c">https://github.com/a/b_c</a>.' in html
    assert '<a href="https://x.org/p(1)">' in html


def test_paper_page_on_disk(real_project: Path) -> None:
    page = real_project / "docs/papers/adamp-slowing-down-the-slowdown-for-momentum-optimizers-on.md"
    post = frontmatter.load(page)
    assert post["title"] == "AdamP: Slowing Down the Slowdown for Momentum Optimizers on Scale-invariant Weights"
    assert post["digests"] == ["2025-03-11"] and post["code"] == ["https://github.com/clovaai/AdamP"]
    assert post["tags"] and post.content.startswith("Normalization techniques are a boon")


def test_second_run_writes_nothing(real_project: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (real_project / "docs").rglob("*")}
    done = run_generator(real_project)
    assert done.returncode == 0, done.stderr
    assert "0 written" in done.stdout and "Nothing to write" in done.stdout
    assert {p: p.stat().st_mtime_ns for p in (real_project / "docs").rglob("*")} == before

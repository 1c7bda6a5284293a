"""Paper pages as a curator and MkDocs read them: front matter that round-trips, a readable body."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import markdown
import pytest
from mkdocs.utils.meta import get_data

from generator.catalogue.slugs import MAX_LENGTH, RESERVED, assign_slugs
from generator.errors import UserError
from generator.front_matter import front_matter, parse_page
from generator.read import read_digest
from generator.settings import load_settings
from generator.text import clean, markdown_text

from .conftest import REAL_DIGESTS, ROOT, copy_project, run_generator

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
                 "# not a heading", "- not a list", "1. not a list", "> not a quote", "!!! note", "+ x", "2024. x",
                 # character references with and without their `;` (Markdown's HTML scanner reads `&#0`)
                 "&#0", "&#0;", "&#x41g", "&#65 x", "&copy", "&copy;", "x &lt y", "AT&T&#"]:
        parsed = _Text()
        parsed.feed(md.reset().convert(markdown_text(text, links=False)))
        assert parsed.tags == ["p"], text
        assert "".join(parsed.chunks) == text


def test_urls_become_links_without_the_final_stop() -> None:
    md = markdown.Markdown()
    html = md.convert(markdown_text("Code at https://github.com/a/b_c. And (see https://x.org/p(1))."))
    assert '<a href="https://github.com/a/b_c">https://github.com/a/b_c</a>.' in html
    assert '<a href="https://x.org/p(1)">' in html
    # a query's `&` stays in the link; a character reference ends it (the link would decode it)
    html = md.reset().convert(markdown_text("See https://a.org/?q=1&r=2 and https://b.org/x&#1 y"))
    assert '<a href="https://a.org/?q=1&amp;r=2">https://a.org/?q=1&amp;r=2</a>' in html
    assert '<a href="https://b.org/x">https://b.org/x</a>&amp;#1 y' in html


def test_paper_page_on_disk(real_project: Path) -> None:
    page = real_project / "docs/papers/adamp-slowing-down-the-slowdown-for-momentum-optimizers-on.md"
    post = frontmatter.load(page)
    assert post["title"] == "AdamP: Slowing Down the Slowdown for Momentum Optimizers on Scale-invariant Weights"
    assert post["digests"] == ["2025-03-11", "2026-11-30"] and post["code"] == ["https://github.com/clovaai/AdamP"]
    assert post["tags"] and post.content.startswith("Normalization techniques are a boon")


def test_second_run_writes_nothing(real_project: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (real_project / "docs").rglob("*")}
    done = run_generator(real_project)
    assert done.returncode == 0, done.stderr
    assert "0 written" in done.stdout and "Nothing to write" in done.stdout
    assert {p: p.stat().st_mtime_ns for p in (real_project / "docs").rglob("*")} == before


def test_parse_page_reads_what_mkdocs_reads() -> None:
    text = front_matter({"title": "no", "tags": ["12:30"], "published": date(2024, 1, 2)}) + "\nBody: text\n"
    assert parse_page("docs/papers/x.md", text) == get_data(text)[::-1]
    assert parse_page("docs/x.md", "Just a body.\n") == ({}, "Just a body.\n")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: [unclosed\n---\nbody\n", 2, "not valid YAML"),
        ("---\ntitle: a\n  bad: indent\n---\nbody\n", 3, "not valid YAML"),
        ("---\ntitle: a\nbody without a closing line\n", 1, "never closed"),
        ("---\n- a list\n---\nbody\n", 2, "'key: value' lines"),
        ("Title: sub\n\nThe body.\n", 1, "first line as metadata"),
    ],
)
def test_a_page_whose_front_matter_does_not_parse_is_refused_naming_it(text: str, line: int, message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_page("docs/papers/broken.md", text)
    assert str(caught.value).startswith(f"docs/papers/broken.md:{line}: ") and message in str(caught.value)
    assert get_data(text)[1] == {} or not text.startswith("---"), "MkDocs itself would not complain"


def test_generator_and_mkdocs_refuse_a_hand_edited_page_that_does_not_parse(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", digests=REAL_DIGESTS)
    assert run_generator(project).returncode == 0
    page = next((project / "docs/papers").glob("*.md"))
    page.write_text("---\ntitle: 'broken\n---\nAbstract.\n", encoding="utf-8")
    done = run_generator(project)
    assert done.returncode == 1 and f"docs/papers/{page.name}:2:" in done.stderr and "Traceback" not in done.stderr
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project, capture_output=True,
                           text=True, check=False)
    assert built.returncode != 0 and f"docs/papers/{page.name}" in built.stderr


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("a\x00b", "ab"),  # NUL and other controls are deleted
        ("a\x07\x1b[1mb", "a[1mb"),
        ("a\x85b\u2028c\u2029d", "a b c d"),  # line breaks become spaces
        ("a\tb\x0bc\x0cd\re", "a b c d e"),
        ("ab\u202ecd\u202c", "abcd"),  # a bidi override inside a word does not split it
        ("\ufeffx\u200e\u2066y\u2069", "xy"),
        ("x\ufffey\U0010ffff", "xy"),  # noncharacters
        ("  many   spaces\u3000here ", "many spaces here"),
    ],
)
def test_clean_policy(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_a_record_is_never_split_by_hidden_line_breaks(tmp_path: Path) -> None:
    digest = tmp_path / "d.txt"
    digest.write_text("Nov 20, 2025\n\nTitle\x85with\u2028breaks\x0bhidden\n\nAn abstract\u2029that goes on.\n",
                      encoding="utf-8")
    (listing,) = read_digest(digest, load_settings(ROOT / "site.yml")).listings
    assert (listing.title, listing.abstract) == ("Title with breaks hidden", "An abstract that goes on.")
    assert listing.line == 3


@pytest.mark.parametrize(
    "title",
    ["../../etc/passwd", "CON", "con", "Index", "README", "!!!", ".htaccess", "nul", "COM¹", "🙂", "",
     "注意力" * 333, "A" * 300, "Zürich Straße ﬁ", "a/b\\c:d*e?f\"g<h>i|j"],
)
def test_slugs_are_safe_file_names_for_any_title(title: str) -> None:
    slug = assign_slugs([("k", title)], taken=["index"])["k"]
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= MAX_LENGTH
    assert slug not in RESERVED and len(f"{slug}.md".encode()) < 255
    assert (Path("docs/papers") / f"{slug}.md").resolve().parent == Path("docs/papers").resolve()


def test_slugs_never_collide_case_insensitively() -> None:
    titles = [("a", "[Re] Attention"), ("b", "Re: Attention"), ("c", "RE ATTENTION"), ("d", "re-attention")]
    slugs = assign_slugs(titles, taken=["Re-Attention-X"])
    assert len({s.lower() for s in slugs.values()}) == 4 and slugs["a"] == "re-attention"

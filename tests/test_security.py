"""Untrusted text stays text: the adversarial corpus (tests/adversarial/) through a real build.

One session-wide build of the corpus; every case is checked for fidelity (the title in <h1>,
<title>, the header, the search index and the digest page, the abstract on the page and in the
search index, all equal to the cleaned source text) and every built file goes through the
audit of tests/audit.py. The real site goes through the same audit.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import frontmatter
import pytest
from bs4 import BeautifulSoup
from mkdocs.utils.meta import get_data

from generator.catalogue.slugs import MAX_LENGTH, RESERVED
from generator.front_matter import front_matter, parse_page
from generator.model import Listing
from generator.read import read_digests
from generator.settings import load_settings

from .audit import audit_site, audit_text, inline_scripts
from .conftest import ROOT, build_site, copy_project, mkdocs_build, run_generator
from .pagefind_index import indexed_pages

CORPUS = ROOT / "tests" / "adversarial"
BASELINE_DIGESTS = ROOT / "tests" / "golden" / "digests"  # small and clean
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What `clean` removes or turns into spaces: none may reach a built file.
REMOVED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]"
)


@pytest.fixture(scope="session")
def corpus() -> list[Listing]:
    digests = read_digests(CORPUS, load_settings(ROOT / "site.yml"))
    return [listing for digest in digests for listing in digest.listings]


@pytest.fixture(scope="session")
def adversarial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, bytes]]:
    """The corpus generated and built once: (project, mkdocs.yml as it was before the build)."""
    project = copy_project(tmp_path_factory.mktemp("adversarial") / "project", digests=CORPUS)
    config = (project / "mkdocs.yml").read_bytes()
    before = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    build_site(project)
    (project / "files-before.txt").write_text("\n".join(sorted(before)), encoding="utf-8")
    yield project, config


@pytest.fixture(scope="session")
def adversarial_site(adversarial: tuple[Path, bytes]) -> Path:
    return adversarial[0] / "site"


@pytest.fixture(scope="session")
def baseline_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The inline scripts of a clean build: the only ones any page may carry."""
    project = copy_project(tmp_path_factory.mktemp("baseline") / "project", digests=BASELINE_DIGESTS)
    return inline_scripts(build_site(project))


def text_of(html: str) -> str:
    """What a browser shows for an HTML string inserted with innerHTML."""
    return BeautifulSoup(html, "html.parser").get_text()


@pytest.fixture(scope="session")
def built_papers(adversarial_site: Path) -> dict[str, BeautifulSoup]:
    """Each built paper page by its <h1> text."""
    pages: dict[str, BeautifulSoup] = {}
    for path in (adversarial_site / "papers").glob("*/index.html"):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        h1 = doc.find("h1")
        assert h1 is not None, path
        pages[h1.get_text()] = doc
    return pages


def test_the_corpus_holds_every_case(corpus: list[Listing]) -> None:
    titles = {listing.title for listing in corpus}
    for case in ["<script>alert('title')</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
                 "[click](javascript:alert(1))", "AT&T &amp; &#x41;", "no", "on", "~", "12:30", "0123", "[Re] X",
                 "Title: sub", "#1", "- d", "../../etc/passwd", "CON", "Index", "README", "!!!",
                 "[Re] Attention", "Re: Attention", "[TOC]", "NULin title", "LS and PS separators",
                 "Bidi gnp.exe override"]:
        assert case in titles, case
    assert max(len(t) for t in titles) == 1000 and any(unicodedata.name(t[0]).startswith("CJK") for t in titles)
    assert max(len(listing.abstract) for listing in corpus) >= 200_000
    assert all(not REMOVED.search(listing.title + listing.abstract) for listing in corpus)


def test_every_title_and_abstract_renders_exactly_as_written(
    corpus: list[Listing], built_papers: dict[str, BeautifulSoup]
) -> None:
    assert len(built_papers) == len({listing.title for listing in corpus})
    for listing in corpus:
        doc = built_papers.get(listing.title)
        assert doc is not None, f"no page whose <h1> is {listing.title!r}"
        title = doc.find("title")
        assert title is not None and title.get_text() == f"{listing.title} - Paper Digest"
        topics = [t.get_text().strip() for t in doc.select(".md-header__topic .md-ellipsis")]
        assert topics[-1] == listing.title, "the header shows the page title"
        abstract = doc.select(".paper-abstract > *")
        assert len(abstract) == 1 and abstract[0].name == "p", listing.title
        assert abstract[0].get_text() == listing.abstract, listing.title


def test_search_index_and_listing_pages_hold_the_same_text(
    corpus: list[Listing], adversarial_site: Path
) -> None:
    """Pagefind indexes the page text (its UI inserts results with textContent): the title and
    abstract it holds must be the cleaned source text, exactly."""
    records = [r for r in indexed_pages(adversarial_site) if "/papers/" in r["url"]]
    by_title = {r["meta"]["title"]: r["content"] for r in records}
    linked: dict[str, str] = {}
    for page in (adversarial_site / "digests").glob("*/index.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("article a[href*='papers/']"):
            linked[a.get_text()] = str(a["href"])
    for listing in corpus:
        assert listing.title in by_title, listing.title
        assert " ".join(listing.abstract.split()) in " ".join(by_title[listing.title].split()), listing.title
        assert listing.title in linked, listing.title


def test_no_digest_text_becomes_markup_anywhere(adversarial_site: Path, baseline_scripts: set[str]) -> None:
    assert audit_site(adversarial_site, baseline_scripts) == []


def test_real_site_passes_the_audit(real_site: Path, baseline_scripts: set[str]) -> None:
    assert audit_site(real_site, baseline_scripts) == []


def test_removed_characters_reach_no_built_file(adversarial_site: Path) -> None:
    for path in adversarial_site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            found = REMOVED.search(path.read_text(encoding="utf-8"))
            assert found is None, f"{path}: {found.group(0)!r}"


def test_paths_are_short_ascii_unique_and_inside_papers(adversarial: tuple[Path, bytes]) -> None:
    project = adversarial[0]
    pages = sorted((project / "docs/papers").iterdir())
    slugs = [p.stem for p in pages]
    assert all(p.suffix == ".md" and p.is_file() for p in pages)
    assert all(SLUG.match(s) and len(s) <= MAX_LENGTH and s not in RESERVED for s in slugs), slugs
    assert len({s.lower() for s in slugs}) == len(slugs)
    assert all(len(p.name.encode()) < 255 for p in pages)
    built = {p.name for p in (project / "site/papers").iterdir()}
    assert built == set(slugs)
    before = set((project / "files-before.txt").read_text(encoding="utf-8").splitlines())
    written = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()} - before
    # The generator writes only docs/ and its own state (.generator/); MkDocs writes site/.
    inside = ("docs/", ".generator/", "site/")
    assert [f for f in written if not f.startswith(inside)] == ["files-before.txt"]


def test_front_matter_reads_back_equal_everywhere(corpus: list[Listing], adversarial: tuple[Path, bytes]) -> None:
    titles = set()
    for page in (adversarial[0] / "docs/papers").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        meta, body = parse_page(page, text)
        assert frontmatter.loads(text).metadata == meta
        assert get_data(text) == (body, meta)
        assert isinstance(meta["title"], str)
        titles.add(meta["title"])
    assert titles == {listing.title for listing in corpus}


def test_mkdocs_yml_never_receives_digest_text(corpus: list[Listing], adversarial: tuple[Path, bytes]) -> None:
    project, before = adversarial
    after = (project / "mkdocs.yml").read_bytes()
    assert after == before == (ROOT / "mkdocs.yml").read_bytes()
    config = after.decode("utf-8")
    distinctive = [t for t in (listing.title for listing in corpus) if len(t) >= 6 and not t.isalpha()]
    assert distinctive and not [t for t in distinctive if t in config]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="javascript:alert(1)">x</a>', "javascript: URL"),
        ('<a href=" JaVa\tScRiPt:alert(1)">x</a>', "javascript: URL"),
        ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "data: URL"),
        ("<svg><g onload=alert(1)></g></svg>", "event handler onload"),
        ("<iframe src=x></iframe>", "<iframe> element"),
        ("<object data=x></object>", "<object> element"),
        ('<meta http-equiv="refresh" content="0;url=x">', "meta http-equiv=refresh"),
        ("<script>alert(1)</script>", "<script> element inside text"),
    ],
)
def test_the_audit_catches_live_markup(html: str, expected: str) -> None:
    assert any(expected in problem for problem in audit_text(html)), audit_text(html)


def test_the_audit_catches_a_page_with_a_foreign_script(tmp_path: Path, baseline_scripts: set[str]) -> None:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text(
        '<script src="https://cdn.example/x.js"></script><script>alert(1)</script>'
        '<script src="../outside.js"></script><a href="javascript:void(0)">share?</a>',
        encoding="utf-8",
    )
    (site / "search/search_index.json").write_text(json.dumps({"docs": [{"title": "<b>x</b>", "text": "<p>ok</p>"}]}))
    (site / "feed.xml").write_text(
        "<rss><item><description>&lt;img src=x onerror=alert(1)&gt;</description></item></rss>"
    )
    problems = "\n".join(audit_site(site, baseline_scripts))
    for expected in ["script from outside the site", "inline script not in the clean baseline",
                     "not a file of the site", "javascript: URL", "live <b> element", "event handler onerror"]:
        assert expected in problems, problems


def test_hand_edited_front_matter_stays_inert(tmp_path: Path, baseline_scripts: set[str]) -> None:
    """A curator's front matter gets the same escaping, whatever keys and types it holds."""
    project = copy_project(tmp_path / "project", digests=BASELINE_DIGESTS)
    assert run_generator(project).returncode == 0
    page = next((project / "docs/papers").glob("*.md"))
    meta, body = parse_page(page, page.read_text(encoding="utf-8"))
    meta.update({"title": "<script>alert(1)</script>", "title_text": "skip the escaping?",
                 "description": '"><img src=x onerror=alert(2)>', "author": ["<b>list</b>"],
                 "digests": ['"><script>alert(3)</script>']})
    page.write_text(front_matter(meta) + body, encoding="utf-8")
    site = mkdocs_build(project)
    assert audit_site(site, baseline_scripts) == []
    doc = BeautifulSoup((site / "papers" / page.stem / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert doc.h1 is not None and doc.h1.get_text() == "<script>alert(1)</script>"
    description = doc.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"] == '"><img src=x onerror=alert(2)>'

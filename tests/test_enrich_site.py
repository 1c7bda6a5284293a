"""Enrichment end to end: `paper-digest enrich` against a local arXiv API, then the build
shows what it recorded (front matter, export, feeds); without the store the site is as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest

from generator.build import Paths, build
from generator.cli import main
from generator.enrich.store import read_store
from generator.search.index import index_site
from generator.text import title_key
from tests.test_enrich_fakes import FakeArxiv, FakeClock, corpus, serve_arxiv
from tests.test_handedits import meta

from .conftest import copy_project, mkdocs_build, serve

PAPERS = corpus()[:4]  # real arXiv papers (title, abstract, authors) of the shared corpus


def digest(records: list[dict[str, Any]]) -> str:
    parts = ["Daily Papers", "Nov 20, 2025"]
    for r in records:
        parts += [r["title"], r["abstract"], "  • 5 authors\n·\nNov 18 3"]
    return "\n\n".join(parts) + "\n"


@pytest.fixture
def arxiv() -> Iterator[FakeArxiv]:
    with serve_arxiv(FakeClock()) as fake:
        yield fake


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "p", digests=None)
    (project / "digests").mkdir()
    (project / "digests" / "001.txt").write_text(digest(PAPERS))
    return project


def paths(project: Path) -> Paths:
    return Paths(project / "digests", project / "docs", project / ".generator", project / "topics.yml",
                 project / "site.yml", project / "enrichment/papers.jsonl")


def enrich(project: Path, arxiv: FakeArxiv, *extra: str) -> int:
    return main(["enrich", "--api-url", arxiv.url, "--interval", "0", "--no-progress",
                 "--store", str(project / "enrichment/papers.jsonl"), "--digests", str(project / "digests"),
                 "--docs", str(project / "docs"), "--state", str(project / ".generator"),
                 "--settings", str(project / "site.yml"), *extra])


def slug_of(project: Path, title: str) -> str:
    pages = (project / "docs/papers").glob("*.md")
    return next(p.stem for p in pages if meta(project, f"papers/{p.name}")["title"] == title)


def test_enrich_then_build_shows_authors_and_arxiv_everywhere(project: Path, arxiv: FakeArxiv) -> None:
    build(paths(project))
    plain = {p.name: p.read_bytes() for p in (project / "docs/papers").glob("*.md")}
    assert enrich(project, arxiv) == 0
    records = read_store(project / "enrichment/papers.jsonl")
    assert sorted(r.arxiv or "" for r in records.values()) == sorted(r["id"] for r in PAPERS)
    summary = build(paths(project))
    assert summary.changes  # the store is an input: the pages take its data
    first = PAPERS[0]
    fields = meta(project, f"papers/{slug_of(project, first['title'])}.md")
    assert fields["authors"] == first["authors"] and fields["arxiv"] == first["id"]
    # The export and the feeds carry them too.
    exported = json.loads((project / "docs/papers.json").read_text())["papers"]
    entry = next(p for p in exported if p["title"] == first["title"])
    assert entry["authors"] == first["authors"] and entry["pdf_url"] == f"https://arxiv.org/pdf/{first['id']}"
    assert "authors,arxiv" in (project / "docs/papers.csv").read_text().splitlines()[0]
    atom = feedparser.parse((project / "docs/feeds/all.xml").read_text())
    item = next(e for e in atom.entries if e.title == first["title"])
    assert [a["name"] for a in item.authors] == first["authors"]
    feed = json.loads((project / "docs/feeds/all.json").read_text())
    assert next(i for i in feed["items"] if i["title"] == first["title"])["authors"][0]["name"] == first["authors"][0]
    # Byte-identical run to run, and nothing asked again: the store already has every paper.
    assert build(paths(project)).changes == ()
    requests = len(arxiv.requests)
    assert enrich(project, arxiv) == 0 and len(arxiv.requests) == requests
    # Without the store, the pages are exactly what they were before enrichment.
    (project / "enrichment/papers.jsonl").unlink()
    build(paths(project))
    assert {p.name: p.read_bytes() for p in (project / "docs/papers").glob("*.md")} == plain


def test_a_curators_pin_wins_and_is_looked_up_by_id(project: Path, arxiv: FakeArxiv) -> None:
    build(paths(project))
    assert enrich(project, arxiv) == 0
    build(paths(project))
    first, other = PAPERS[0], corpus()[10]
    page = project / "docs/papers" / f"{slug_of(project, first['title'])}.md"
    page.write_text(page.read_text().replace(f"arxiv: '{first['id']}'", f"arxiv: '{other['id']}'"))
    assert enrich(project, arxiv) == 0
    assert arxiv.requests[-1].params.get("id_list") == other["id"]
    record = read_store(project / "enrichment/papers.jsonl")[title_key(first["title"])]
    assert record.status == "pinned" and record.arxiv == other["id"]
    build(paths(project))
    fields = meta(project, f"papers/{page.name}")
    assert fields["arxiv"] == other["id"] and fields["authors"] == other["authors"]  # the pin's paper


def test_an_unquoted_pin_is_refused_before_it_loses_digits(project: Path, arxiv: FakeArxiv,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    build(paths(project))
    page = next((project / "docs/papers").glob("*.md"))
    page.write_text(page.read_text().replace("template: paper.html", "template: paper.html\narxiv: 2510.10000"))
    assert enrich(project, arxiv) == 1
    assert "'arxiv' must be an identifier in quotes" in capsys.readouterr().err


def test_the_site_shows_authors_links_and_a_citation(project: Path, arxiv: FakeArxiv, browser: Any,
                                                     tmp_path: Path) -> None:
    """In Chromium: every author under the title, the PDF link, a working "Copy BibTeX", and an
    author's name found by the site's search."""
    build(paths(project))
    assert enrich(project, arxiv) == 0
    build(paths(project))
    site = mkdocs_build(project)
    index_site(site)
    first = PAPERS[0]
    slug = slug_of(project, first["title"])
    surname = first["authors"][0].split()[-1]
    url_iter = serve(site)
    url = next(url_iter)
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    try:
        page.goto(f"{url}/papers/{slug}/")
        assert page.locator(".paper-authors").inner_text() == ", ".join(first["authors"])
        pdf = page.locator(".paper-links a.paper-pdf")
        assert pdf.get_attribute("href") == f"https://arxiv.org/pdf/{first['id']}"
        page.locator(".paper-cite summary").click()
        page.locator(".paper-cite__copy").click()
        page.wait_for_selector(".paper-cite__status:has-text('Copied')")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("@misc{") and f"eprint = {{{first['id']}}}" in copied
        assert " and ".join(first["authors"]) in copied
        page.goto(f"{url}/")
        page.wait_for_load_state("networkidle")
        page.locator(".md-search__input").click()
        page.locator(".md-search__input").press_sequentially(surname)
        hit = page.locator(".md-search-result__item a", has_text=first["title"][:30])
        hit.first.wait_for(timeout=10_000)
    finally:
        context.close()
        next(url_iter, None)


def test_the_citation_is_valid_bibtex_whatever_the_title() -> None:
    from datetime import date

    from generator.site.cite import bibtex

    entry = bibtex({"title": "Costs & Gains: 50% {of} #1 {unbalanced", "authors": ["Ada Lovelace", "Alan Turing"],
                    "arxiv": "2510.09842", "published": date(2025, 10, 1)}, "https://x.org/papers/a/")
    assert entry.startswith("@misc{lovelace2025costs,\n")
    assert "title = {{Costs \\& Gains: 50\\% of \\#1 unbalanced}}" in entry  # braces dropped: unbalanced
    assert "author = {Ada Lovelace and Alan Turing}" in entry and "eprint = {2510.09842}" in entry
    assert entry.count("{") == entry.count("}")
    plain = bibtex({"title": "A {Balanced} Title", "digests": ["2025-11-20"]}, "https://x.org/papers/a/")
    assert "title = {{A {Balanced} Title}}" in plain and "year = {2025}" in plain
    assert "url = {https://x.org/papers/a/}" in plain and "author" not in plain

"""The real digests through a real `mkdocs build --strict`: what a reader's browser receives."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from generator.read import read_digests
from generator.settings import load_settings
from generator.text import clean

from .conftest import ROOT


def attr(el: object, name: str) -> str:
    """An attribute as text (BeautifulSoup types multi-valued attributes as lists)."""
    value = el.get(name)  # type: ignore[attr-defined]
    return " ".join(value) if isinstance(value, list) else str(value or "")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_abstract_renders_verbatim(real_site: Path) -> None:
    pages = {}
    for html in (real_site / "papers").glob("*/index.html"):
        doc = soup(html)
        title = doc.find("h1")
        abstract = doc.select_one(".paper-abstract p")
        assert title and abstract, html
        pages[title.get_text()] = abstract.get_text()
    assert len(pages) == 512
    for digest in read_digests(ROOT / "digests", load_settings(ROOT / "site.yml")):
        for listing in digest.listings:
            assert listing.title in pages, listing.title
            assert clean(pages[listing.title]) == listing.abstract or len(pages[listing.title]) > len(listing.abstract)


def test_sidebar_holds_no_papers(real_site: Path) -> None:
    doc = soup(next((real_site / "papers").glob("*/index.html")))
    nav = doc.select_one("nav.md-nav--primary")
    assert nav is not None
    links = [a.get_text(strip=True) for a in nav.select("a.md-nav__link")]
    assert links == ["Home", "Digests", "Topics", "All papers", "Papers with code",
                     "Surveys", "Theory", "Benchmarks and datasets", "Stats"]
    tabs = [a.get_text(strip=True) for a in doc.select(".md-tabs a.md-tabs__link")]
    assert tabs == ["Home", "Digests", "Topics", "All papers", "Papers with code", "Facets", "Stats"]
    # the data-quality page is for maintainers: a footer link, not the reader nav
    assert [a.get_text(strip=True) for a in doc.select(".md-footer a[href$='quality/']")] == [
        "For maintainers: data quality"]


def test_topic_digest_and_home_pages_link_every_paper(real_site: Path) -> None:
    papers = {p.parent.name for p in (real_site / "papers").glob("*/index.html")}
    linked_from_digests: set[str] = set()
    for page in (real_site / "digests").glob("*/index.html"):
        linked_from_digests |= {attr(a, "href").split("/")[-2] for a in soup(page).select("article a[href*='papers/']")}
    assert linked_from_digests == papers
    overview = soup(real_site / "topics/index.html").get_text()
    assert "512 papers in" in overview
    home = soup(real_site / "index.html").get_text()
    assert "512 papers" in home and "Latest digest: Nov 30, 2026" in home


def test_paper_page_shows_metadata_and_finding_links(real_site: Path) -> None:
    doc = soup(real_site / "papers/wina-weight-informed-neuron-activation-for-accelerating/index.html")
    meta = doc.select_one(".paper-meta")
    assert meta is not None
    text = " ".join(meta.get_text().split())
    assert "Published May 25, 2025 (year inferred)" in text and "7 authors" in text and "2 upvotes" in text
    hrefs = [attr(a, "href") for a in doc.select(".paper-links a")]
    assert any(h.startswith("https://arxiv.org/search/") and "WINA" in h for h in hrefs)
    assert any(h.startswith("https://huggingface.co/papers?q=") for h in hrefs)
    assert any(h.startswith("https://www.semanticscholar.org/search?q=") for h in hrefs)
    chips = [a.get_text() for a in doc.select(".md-tags a")]
    assert chips, "topic chips link to topic pages"
    assert all(attr(a, "href").startswith("../../topics/") for a in doc.select(".md-tags a"))


def test_no_page_loads_anything_from_another_host(real_site: Path) -> None:
    for html in real_site.rglob("*.html"):
        doc = soup(html)
        for tag, name in (("script", "src"), ("link", "href"), ("img", "src")):
            for el in doc.find_all(tag):
                if tag == "link" and attr(el, "rel") == "canonical":
                    continue  # names the page's public address (site_url); loads nothing
                url = attr(el, name)
                assert not url.startswith(("http:", "https:", "//")), f"{html}: {el}"

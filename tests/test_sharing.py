"""Sharing: title, description, canonical URL and OpenGraph tags; history; the sitemap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.render.papers import first_sentence

from .conftest import ROOT, build_site
from .reader_site import real_model

SITE_URL = "https://paper-digest.example.org/"
TRICKY = """Nov 20, 2025

Tricky <b>"Quotes"</b> & Co

First <script>alert('x')</script> sentence & "more". Second sentence here.

  • 2 authors
·
Jun 22, 2024
"""


def head_meta(page: Path) -> dict[str, str]:
    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = {str(m.get("property") or m.get("name")): str(m["content"]) for m in doc.select("head meta[content]")}
    canonical = doc.select_one('head link[rel="canonical"]')
    found["canonical"] = str(canonical["href"]) if canonical else ""
    found["<title>"] = doc.title.get_text() if doc.title else ""
    return found


def test_paper_page_has_title_description_canonical_and_opengraph(real_site: Path) -> None:
    paper = next(p for p in real_model().papers if p.slug.startswith("adamp-"))
    meta = head_meta(real_site / "papers" / paper.slug / "index.html")
    url = f"{SITE_URL}papers/{paper.slug}/"
    assert meta["<title>"] == f"{paper.title} - Paper Digest"
    assert meta["description"] == meta["og:description"] == first_sentence(paper.abstract)
    assert meta["description"] == "Normalization techniques are a boon for modern deep learning."
    assert meta["canonical"] == meta["og:url"] == url
    assert meta["og:title"] == paper.title
    assert meta["og:type"] == "article"


def test_markup_in_a_title_or_abstract_is_escaped_once_in_the_head(
    make_project: Callable[[dict[str, str | bytes]], Path],
) -> None:
    site = build_site(make_project({"001.txt": TRICKY}))
    page = next((site / "papers").glob("*/index.html"))
    meta = head_meta(page)
    assert meta["og:title"] == 'Tricky <b>"Quotes"</b> & Co'
    assert meta["og:description"] == meta["description"] == "First <script>alert('x')</script> sentence & \"more\"."
    head = page.read_text(encoding="utf-8").split("</head>")[0]
    assert "<script>alert" not in head and "<b>" not in head and "&amp;amp;" not in head


def test_sitemap_lists_every_paper_page(real_site: Path) -> None:
    tree = ET.parse(real_site / "sitemap.xml")  # noqa: S314 - our own build output
    urls = {el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"{SITE_URL}papers/{p.slug}/" for p in real_model().papers} <= urls
    assert {f"{SITE_URL}stats/", f"{SITE_URL}quality/", f"{SITE_URL}all-papers/", SITE_URL} <= urls


@pytest.mark.parametrize("slug", ["b4-towards-optimal-assessment-of-plausible-code-solutions"])
def test_history_lists_each_digest_with_its_upvotes_where_they_differ(real_site: Path, slug: str) -> None:
    doc = BeautifulSoup((real_site / "papers" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    history = doc.select_one("section.paper-history")
    assert history is not None
    items = [li.get_text(" ", strip=True) for li in history.select("li")]
    assert items == ["Digest of Mar 14, 2025 : no upvote count", "Digest of Nov 20, 2025 : 2 upvotes",
                     "Digest of Nov 30, 2026 : no upvote count"]
    for link in history.select("a"):
        assert (real_site / "papers" / slug / str(link["href"]) / "index.html").resolve().is_file()


def test_history_shows_no_counts_when_every_digest_agrees(real_site: Path) -> None:
    slug = "on-penalty-methods-for-nonconvex-bilevel-optimization-and"
    doc = BeautifulSoup((real_site / "papers" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = [li.get_text(" ", strip=True) for li in doc.select("section.paper-history li")]
    assert items == ["Digest of Mar 11, 2025", "Digest of Mar 14, 2025", "Digest of Nov 20, 2025",
                     "Digest of Nov 30, 2026"]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("We use momentum (e.g. SGD or Adam) here. Then more.", "We use momentum (e.g. SGD or Adam) here."),
        ("As Smith et al. Show, it works. Then more.", "As Smith et al. Show, it works."),
        ("One sentence without a stop", "One sentence without a stop"),
        ("word " * 60, ("word " * 40).strip() + "…"),
    ],
)
def test_description_is_the_abstracts_first_sentence(abstract: str, expected: str) -> None:
    assert first_sentence(abstract) == expected


def test_site_yml_url_and_mkdocs_site_url_agree() -> None:
    mkdocs = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert mkdocs["site_url"] == real_model().settings.url, "change both: site.yml url, mkdocs.yml site_url"

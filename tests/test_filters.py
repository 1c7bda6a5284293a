"""Sorting and filtering the paper tables (the all-papers page and every topic page) in headless
Chromium, with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from .conftest import build_site, serve

pytestmark = pytest.mark.browser
TRICKY_TITLE = "Pipes | <script>window.pwned=1</script> and *stars*"
TRICKY = f"""Nov 20, 2025

{TRICKY_TITLE}

An abstract about sparse experts with code at https://github.com/example/x. It has two sentences.

  • 2 authors
·
Jun 22, 2024

Plain Second Paper

Another abstract about bandits without any code link at all.

  • 2 authors
·
Nov 3 7
"""


TOPIC = "large-language-models"  # the real site's largest topic


def rows(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        "[data-paper-table] tbody tr",
        "rows => rows.map(r => ({date: r.dataset.date, upvotes: r.dataset.upvotes, code: r.dataset.code,"
        " visible: String(r.offsetParent !== null), href: r.querySelector('td a').getAttribute('href'),"
        " codeLink: String(r.querySelector('a.paper-table__code') !== null)}))",
    )


def hrefs(listed: list[dict[str, str]]) -> list[str]:
    return [r["href"] for r in listed]


def stated_count(page: Any) -> int:
    """The paper count the topic page states above its lists ("**42 papers**")."""
    return int(page.text_content("article p strong").split()[0])


def test_topic_table_sorts_by_upvotes_and_date_and_filters_to_code(page: Any, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/topics/{TOPIC}/")
    page.wait_for_selector("[data-paper-table] select[data-sort]")
    before = rows(page)
    assert len(before) == stated_count(page) > 1
    assert len(set(hrefs(before))) == len(before)
    # Each sort is the stable sort of the newest-first rows by the chosen value.
    page.select_option("[data-paper-table] select[data-sort]", "upvotes")
    by_votes = sorted(before, key=lambda r: -int(r["upvotes"]))
    assert hrefs(rows(page)) == hrefs(by_votes) != hrefs(before)
    page.select_option("[data-paper-table] select[data-sort]", "oldest")
    assert hrefs(rows(page)) == hrefs(sorted(before, key=lambda r: r["date"]))
    page.select_option("[data-paper-table] select[data-sort]", "newest")
    assert hrefs(rows(page)) == hrefs(sorted(before, key=lambda r: r["date"], reverse=True)) == hrefs(before)
    page.check("[data-paper-table] input[data-code-only]")
    after = rows(page)
    visible = [r["href"] for r in after if r["visible"] == "true"]
    with_code_link = [r["href"] for r in after if r["codeLink"] == "true"]
    assert visible == with_code_link and 0 < len(visible) < len(after)
    assert page.text_content(".paper-table__status") == f"{len(visible)} of {len(after)} papers shown"


def test_topic_page_without_javascript_lists_every_paper_newest_first(browser: Any, real_site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{real_site_url}/topics/{TOPIC}/")
        assert page.query_selector("select[data-sort]") is None
        listed = rows(page)
        assert len(listed) == stated_count(page) and all(r["visible"] == "true" for r in listed)
        assert [r["date"] for r in listed] == sorted((r["date"] for r in listed), reverse=True)
    finally:
        context.close()


def test_every_topic_page_has_one_table_of_its_papers(real_site: Path) -> None:
    for html in sorted((real_site / "topics").glob("*/index.html")):
        doc = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        tables = doc.select("[data-paper-table] table")
        if doc.select_one('meta[http-equiv="refresh"]'):  # a renamed topic's old address
            continue
        if re.search(r"(?<!\d)0 papers", doc.get_text()):  # a topic no paper of these digests is in yet
            assert tables == [], html
            continue
        assert len(tables) == 1, html
        title = doc.select_one("article h1")
        assert title is not None
        elsewhere = [a for a in doc.select("article a[href*='/papers/']") if not a.find_parent(class_="paper-table")]
        assert len(elsewhere) <= 5, html  # the "Most upvoted" highlight; no second list of the papers
        for row in tables[0].select("tbody tr"):
            link = row.select_one("td a")
            assert link is not None
            target = real_site / "topics" / html.parent.name / str(link["href"]) / "index.html"
            paper = BeautifulSoup(target.resolve().read_text(encoding="utf-8"), "html.parser")
            chips = [a.get_text(strip=True) for a in paper.select(".md-tags a")]
            assert title.get_text(strip=True) in chips, (html, link["href"])


def all_papers_parts(real_site: Path) -> list[str]:
    """The pages the all-papers index links: above 300 papers, one per year (or month)."""
    index = BeautifulSoup((real_site / "all-papers" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.select_one("[data-paper-table] tbody tr") is None  # the index itself lists no paper
    return [str(a["href"]).strip("./").split("/")[-1] for a in index.select("article li a[href]")]


def test_sort_by_upvotes_and_filter_to_papers_with_code(page: Any, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/all-papers/2025/")  # the year of the digest that gives upvotes
    page.wait_for_selector("[data-paper-table] select[data-sort]")
    before = rows(page)
    assert len(before) == stated_count(page) > 100
    assert [r["date"] for r in before] == sorted((r["date"] for r in before), reverse=True)
    page.select_option("[data-paper-table] select[data-sort]", "upvotes")
    votes = [int(r["upvotes"]) for r in rows(page)]
    assert votes == sorted(votes, reverse=True) and votes[0] > 0
    page.select_option("[data-paper-table] select[data-sort]", "oldest")
    dates = [r["date"] for r in rows(page)]
    assert dates == sorted(dates)
    page.check("[data-paper-table] input[data-code-only]")
    after = rows(page)
    visible = [r for r in after if r["visible"] == "true"]
    with_code = [r for r in after if r["code"] == "yes"]
    assert visible == with_code and 0 < len(visible) < len(after)
    status = page.text_content(".paper-table__status")
    assert status == f"{len(visible)} of {len(after)} papers shown"


def test_without_javascript_every_paper_is_listed_newest_first(
    browser: Any, real_site: Path, real_site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        listed: list[dict[str, str]] = []
        for part in all_papers_parts(real_site):
            page.goto(f"{real_site_url}/all-papers/{part}/")
            assert page.query_selector("select[data-sort]") is None  # no controls that cannot work
            listed += rows(page)
        assert len(listed) == 512 and all(r["visible"] == "true" for r in listed)
        assert [r["date"] for r in listed] == sorted((r["date"] for r in listed), reverse=True)
    finally:
        context.close()


@pytest.fixture
def tricky_site(make_project: Callable[[dict[str, str | bytes]], Path]) -> Iterator[str]:
    yield from serve(build_site(make_project({"001.txt": TRICKY})))


def test_titles_with_markup_pipes_and_stars_stay_text(page: Any, tricky_site: str) -> None:
    page.goto(f"{tricky_site}/all-papers/")
    page.wait_for_selector("[data-paper-table] select[data-sort]")
    assert page.evaluate("window.pwned") is None
    link_texts = page.eval_on_selector_all(
        "[data-paper-table] tbody td:first-child > a:first-child", "as => as.map(a => a.textContent)"
    )
    assert TRICKY_TITLE in link_texts
    assert page.eval_on_selector_all("[data-paper-table] script, [data-paper-table] em", "els => els.length") == 0
    page.check("[data-paper-table] input[data-code-only]")
    shown = page.eval_on_selector_all(
        "[data-paper-table] tbody tr:not([hidden]) td:first-child > a:first-child", "as => as.map(a => a.textContent)"
    )
    assert shown == [TRICKY_TITLE]


def test_table_markup_is_complete_in_the_html(real_site: Path) -> None:
    linked = 0
    for part in all_papers_parts(real_site):
        folder = real_site / "all-papers" / part
        doc = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
        table = doc.select_one("[data-paper-table] table")
        assert table is not None
        for row in table.select("tbody tr"):
            link = row.select_one("td a")
            assert link is not None and str(link["href"]).startswith("../../papers/")
            assert (folder / str(link["href"]) / "index.html").resolve().is_file()
            linked += 1
    assert linked == 512

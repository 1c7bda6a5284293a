"""What a reader sees, in headless Chromium against the built site on 127.0.0.1."""

from __future__ import annotations

from typing import Any


def test_search_finds_a_paper_by_a_word_of_its_abstract(page: Any, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.fill(".md-search__input", "LayerCast")
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15_000)
    assert "numerical precision" in result.inner_text().lower() or "reproducib" in result.inner_text().lower()
    result.click()
    page.wait_for_load_state()
    assert "/papers/" in page.url
    assert "LayerCast" in page.locator(".paper-abstract").inner_text()


def test_topic_page_leads_to_a_paper_with_its_metadata(page: Any, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/topics/")
    page.get_by_role("link", name="Bandits and online learning").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bandits and online learning"
    page.locator("article [data-paper-table] a[href*='/papers/']").first.click()  # the first row of the table
    page.wait_for_load_state()
    assert "/papers/" in page.url
    assert page.locator(".paper-meta").inner_text().strip()
    assert page.get_by_role("link", name="arXiv").is_visible()
    assert page.locator(".md-tags a", has_text="Bandits and online learning").count() == 1

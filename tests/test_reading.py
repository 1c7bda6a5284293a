"""The morning read (issue 14), in headless Chromium at a phone's and a desktop's width.

A reader opens the latest digest, skims its cards, opens a paper, reaches its code in one tap
and finds yesterday's digest; every page fits a 390 px screen, search lists every match and
works from the keyboard, TeX renders where it is balanced, and no page load gets a 404.
Screenshots of every page type at both widths go to tests/artifacts/ (git-ignored) to be
looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.render.digests import digest_labels
from generator.site.plugin import digest_label, human_date
from generator.site.related import shared_words

from .conftest import ROOT, build_site, serve
from .test_quality import _axe

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PAPER_WITH_CODE = "/papers/wina-weight-informed-neuron-activation-for-accelerating/"
PAGES = {
    "home": "/",
    "digest": "/digests/2025-11-20/",
    "digests": "/digests/",
    "topic": "/topics/large-language-models/",
    "topics": "/topics/",
    "paper": PAPER_WITH_CODE,
    "all-papers": "/all-papers/",
    "code": "/code/",
    "facet": "/facets/theory/",
    "stats": "/stats/",
    "quality": "/quality/",
}
NAV = ["Home", "Digests", "Topics", "All papers", "Papers with code", "Stats"]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def open_search(page: Any, query: str) -> int:
    """Type `query` in the header search; return the count the search states."""
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.locator(".md-search-result__item a").first.wait_for(timeout=30_000)
    return int(page.text_content(".md-search-result__meta").split()[0])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_no_page_scrolls_sideways_and_no_request_fails(
    browser: Any, real_site_url: str, viewport: dict[str, int]
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    try:
        wide = []
        for name, path in PAGES.items():
            page.goto(real_site_url + path)
            page.wait_for_load_state("networkidle")
            if not no_horizontal_scroll(page):
                wide.append(name)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport['width']}.png"))
        page.goto(real_site_url + PAGES["digest"])
        open_search(page, "diffusion")
        page.wait_for_load_state("networkidle")
        # Material's search overlay is a circle scaled 45 times (its opening animation), wider
        # than the page but decorative and clipped (html has overflow-x: hidden); what the
        # reader reads must fit: the results and the box.
        right = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('.md-search__form, .md-search-result__item, "
            ".md-search-result__item *')).map(e => e.getBoundingClientRect().right))"
        )
        if right > viewport["width"] + 0.5:
            wide.append(f"search ({right} px)")
        page.screenshot(path=str(ARTIFACTS / f"search-{viewport['width']}.png"))
    finally:
        context.close()
    assert wide == []
    assert failed == []  # feeds/sitemap.xml no more (Material's language alternates): overrides/main.html


def test_the_morning_read_on_a_phone(phone: Any, real_site_url: str) -> None:
    """Home -> the latest digest -> a paper -> its code in one tap; and yesterday's digest."""
    page = phone
    page.goto(real_site_url + "/")
    page.get_by_role("link", name="Read the whole digest (243 papers)").click()  # the latest: digest 002
    page.wait_for_load_state()
    assert page.url.endswith("/digests/2026-11-30/")
    assert page.locator("li.paper-card").count() == 243
    # back through the archive, digest by digest, to the Nov 20, 2025 digest
    page.locator(".digest-nav__previous").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/digests/2026-03-14/")
    page.locator(".digest-nav__previous").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/digests/2025-11-20/")
    cards = page.locator("li.paper-card")
    assert cards.count() == 104
    first = cards.first
    assert first.locator("h2 a").inner_text().startswith("h-calibration")
    assert first.locator(".paper-card__summary").is_visible()
    assert not first.locator(".paper-card__more p").is_visible()  # the rest of the abstract is folded
    first.locator(".paper-card__more summary").click()
    assert first.locator(".paper-card__more p").is_visible()
    assert first.locator(".paper-card__topics a.md-tag").count() >= 1
    # the digest before, from the digest's own page
    assert page.locator(".digest-nav__previous").first.get_attribute("href") == "../2025-03-14/"
    page.locator("li.paper-card", has_text="WINA").locator("h2 a").click()
    page.wait_for_load_state()
    assert page.url.endswith(PAPER_WITH_CODE)
    code = page.locator(".paper-links a.paper-code").first
    box = code.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], "the code link is below the fold"
    assert code.get_attribute("href") == "https://github.com/microsoft/wina"
    abstract = page.locator(".paper-abstract").bounding_box()
    assert abstract is not None and box["y"] < abstract["y"]  # the links come before the abstract
    assert page.locator(".paper-links a", has_text="arXiv").bounding_box()["y"] < PHONE["height"]


def test_paper_page_neighbours_related_papers_and_dates(phone: Any, real_site_url: str) -> None:
    page = phone
    page.goto(real_site_url + PAPER_WITH_CODE)
    pager = page.locator("article nav.paper-pager")
    assert pager.locator(".paper-pager__digest").inner_text() == "Paper 8 of 104 in the digest of Nov 20, 2025"
    assert "DPM-OT" in pager.locator("a[rel=prev]").inner_text()
    assert "Better Neural PDE Solvers" in pager.locator("a[rel=next]").inner_text()
    items = page.locator(".related-list > li")
    assert items.count() >= 3
    for i in range(items.count()):
        item = items.nth(i)
        assert item.locator("time").count() == 1 and "," in item.locator("time").inner_text()  # "Mar 14, 2025"
        assert item.locator(".related-list__why").inner_text().strip()
    meta = page.locator(".paper-meta").inner_text()
    assert "Published May 25, 2025" in meta and "2025-05-25" not in page.locator("article").inner_text()


def test_every_section_is_reachable_at_every_width(browser: Any, real_site_url: str) -> None:
    for width in (390, 1000, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        try:
            for path in (PAGES["paper"], PAGES["home"], PAGES["digest"]):
                page.goto(real_site_url + path)
                if page.locator(".md-tabs").is_visible():
                    names = [t.strip() for t in page.locator(".md-tabs a.md-tabs__link").all_inner_texts()]
                    assert names == [*NAV[:5], "Facets", "Stats"], (width, path)
                else:
                    page.locator("label.md-header__button[for='__drawer']").click()
                    drawer = page.locator("nav.md-nav--primary")
                    for name in NAV:
                        if (name, path) == ("Home", "/"):
                            continue  # the page itself: Material shows its label, not a link
                        assert drawer.get_by_role("link", name=name, exact=True).first.is_visible(), (width, path, name)
                    page.keyboard.press("Escape")
        finally:
            context.close()


def test_search_lists_every_match_with_its_date_and_topics(phone: Any, real_site_url: str) -> None:
    page = phone
    page.goto(real_site_url + "/")
    stated = open_search(page, "diffusion")
    assert stated > 10  # more than one screenful: the "More results" button is needed
    assert page.locator(".md-search-result__link").count() == 10
    while page.locator(".search-result__more-button").count():
        page.locator(".search-result__more-button").click()
        page.wait_for_timeout(200)
    links = page.eval_on_selector_all(".md-search-result__link", "as => as.map(a => a.href)")
    assert len(links) == len(set(links)) == stated
    facts = page.locator(".md-search-result__item .search-result__facts").all_inner_texts()
    assert len(facts) == stated
    assert all(f.split(" · ")[0].count(",") == 1 for f in facts)  # "Mar 14, 2025 · Topic"
    assert any("Diffusion and generative models" in f for f in facts)


def test_search_from_the_keyboard(page: Any, real_site_url: str) -> None:
    page.goto(real_site_url + PAGES["digest"])
    open_search(page, "LayerCast")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.className")
    assert "md-search-result__link" in focused
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert "/papers/" in page.url
    page.keyboard.press("/")
    page.keyboard.type("diffusion")
    page.locator(".md-search-result__item a").first.wait_for()
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cards_tables_and_search_results_are_accessible(browser: Any, real_site_url: str, scheme: str) -> None:
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(color_scheme=scheme, viewport=viewport)
        page = context.new_page()
        try:
            for name in ("all-papers", "facet", "digests", "home"):
                page.goto(real_site_url + PAGES[name])
                problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in _axe(page)]
                assert problems == [], f"{name}, {scheme}, {viewport['width']}px"
            page.goto(real_site_url + PAGES["digest"])
            open_search(page, "diffusion")
            problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in _axe(page)]
            assert problems == [], f"search results, {scheme}, {viewport['width']}px"
        finally:
            context.close()


TEX = """Nov 20, 2025

iFairy: 2-bit weights in $\\{\\pm1, \\pm i\\}$

Balanced: the loss \\(L = \\sum_i x_i^2\\) and $O(n \\log n)$ time. It costs $5 and $10 to run.

A mangled formula paper

We break $\\frac{1}{$ here and leave $x too. Then $\\href{javascript:alert(1)}{click}$ and
\\(\\url{https://evil.example}\\) and $\\htmlClass{x}{y}$.

  • 2 authors
·
Jun 22, 2024
"""


@pytest.fixture(scope="module")
def tex_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from .conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("tex") / "project", digests=None)
    (project / "digests").mkdir()
    (project / "digests" / "001.txt").write_text(TEX, encoding="utf-8")
    yield from serve(build_site(project))


def test_balanced_tex_renders_and_the_rest_stays_text(phone: Any, tex_site: str) -> None:
    page = phone
    page.goto(tex_site + "/all-papers/")
    page.wait_for_load_state("networkidle")
    titles = "tbody td:first-child > a:first-child"
    slugs = page.eval_on_selector_all(titles, "as => as.map(a => a.getAttribute('href'))")
    by_title = {s.split("/")[-2]: s for s in slugs}
    ifairy = next(s for s in by_title if s.startswith("ifairy"))
    page.goto(tex_site + f"/papers/{ifairy}/")
    page.wait_for_selector("h1 .katex")
    assert page.locator("h1 .katex annotation").text_content() == "\\{\\pm1, \\pm i\\}"
    abstract = page.locator(".paper-abstract")
    assert abstract.locator(".katex").count() == 2  # \\(L = ...\\) and $O(n \\log n)$
    assert "It costs $5 and $10 to run." in abstract.inner_text()  # dollars are not math
    # The page's HTML, the search index's source, keeps the text as written.
    html = page.evaluate("fetch(location.href).then(r => r.text())")
    assert "$\\{\\pm1, \\pm i\\}$" in html

    mangled = next(s for s in by_title if s.startswith("a-mangled"))
    page.goto(tex_site + f"/papers/{mangled}/")
    page.wait_for_load_state("networkidle")
    text = page.locator(".paper-abstract").inner_text()
    assert "$\\frac{1}{$" in text and "$x too" in text  # KaTeX cannot read it: plain text
    # trust is off: no link, URL or class made from the text
    assert page.locator(".paper-abstract .katex").count() >= 1  # \\href and co. shown as unsupported, in red
    assert page.locator(".paper-abstract .katex a, .paper-abstract .katex .x").count() == 0
    assert page.locator("[href*='javascript'], .katex [href]").count() == 0  # (https links are the abstract's own)


def test_a_page_without_math_loads_no_math_assets(browser: Any, real_site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(real_site_url + PAPER_WITH_CODE)
        page.wait_for_load_state("networkidle")
        assert not [u for u in requested if "vendor/katex" in u]
        page.goto(real_site_url + "/papers/ifairy-the-first-2-bit-complex-llm-with-all-parameters-in/")
        page.wait_for_selector("h1 .katex")
        assert [u for u in requested if u.endswith("katex.min.js")]
    finally:
        context.close()


def test_vendored_katex_is_the_pinned_package() -> None:
    import hashlib
    import re

    folder = ROOT / "docs" / "assets" / "vendor" / "katex"
    script = (ROOT / "scripts" / "vendor-katex").read_text(encoding="utf-8")
    version = re.search(r"^VERSION=(\S+)$", script, re.MULTILINE)
    assert version and (folder / "VERSION").read_text(encoding="utf-8").strip() == version[1]
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) > 20
    for line in sums:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    css = (folder / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert fonts and all(f.endswith(".woff2") and (folder / f).is_file() for f in fonts)
    assert "MIT" in (folder / "LICENSE.txt").read_text(encoding="utf-8")


def test_digests_of_one_day_are_told_apart() -> None:
    from datetime import date

    from generator.model import Digest

    def digest(name: str, day: date) -> Digest:
        return Digest(name, Path(f"{name}.txt"), day, "header", ())

    days = [digest("a", date(2025, 3, 14)), digest("b", date(2025, 3, 14)), digest("c", date(2025, 3, 15))]
    assert digest_labels(days) == {"a": "Mar 14, 2025", "b": "Mar 14, 2025 · 2nd digest", "c": "Mar 15, 2025"}
    assert digest_label("2025-03-14-2") == "Mar 14, 2025 · 2nd digest"
    assert digest_label("2025-03-14-11") == "Mar 14, 2025 · 11th digest"
    assert digest_label(date(2025, 11, 20)) == human_date("2025-11-20") == "Nov 20, 2025"
    assert digest_label("not-a-date") == "not-a-date"


def test_related_papers_say_why() -> None:
    assert shared_words("Sparse Activation for LLM Inference", "Faster LLM inference with sparse experts") == [
        "LLM", "inference", "sparse"]
    assert shared_words("A Study of Things", "The Other Thing") == []


def test_table_state_is_in_the_address(phone: Any, real_site_url: str) -> None:
    page = phone
    page.goto(real_site_url + "/topics/large-language-models/")
    page.wait_for_selector("[data-paper-table] .paper-table__sort")
    date_header = page.locator("th[data-sort=date]")
    assert date_header.get_attribute("aria-sort") == "descending"
    page.set_viewport_size(DESKTOP)
    date_header.locator("button").click()
    assert date_header.get_attribute("aria-sort") == "ascending"
    assert "sort=oldest" in page.url
    page.check("[data-paper-table] input[data-code-only]")
    assert "code=1" in page.url
    dates = page.eval_on_selector_all("tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.date)")
    page.reload()
    page.wait_for_selector("[data-paper-table] .paper-table__sort")
    assert page.locator("th[data-sort=date]").get_attribute("aria-sort") == "ascending"
    assert page.is_checked("[data-paper-table] input[data-code-only]")
    assert page.eval_on_selector_all("tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.date)") == dates
    assert dates == sorted(dates)
    page.locator("th[data-sort=title] button").click()
    shown = "tbody tr:not([hidden]) td:first-child > a:first-child"
    titles = page.eval_on_selector_all(shown, "as => as.map(a => a.textContent)")
    in_order = "ts => [...ts].sort((a, b) => a.toLocaleLowerCase().localeCompare(b.toLocaleLowerCase()))"
    assert "sort=title" in page.url and page.evaluate(in_order, titles) == titles
    assert page.locator("th[data-sort=title]").get_attribute("aria-sort") == "ascending"
    assert page.locator("th[data-sort=date]").get_attribute("aria-sort") is None


def test_a_very_long_digest_links_to_the_rest_of_each_abstract() -> None:
    """A digest whose page would pass ~300 KB with every whole abstract folds none in: each card
    links to its paper for the rest (the 243-paper digest 002); the 104-paper digest of Nov 20,
    2025 keeps them inline."""
    from generator.render.base import environment
    from generator.render.digests import folds_abstracts, render_digests
    from generator.render.listing import digest_papers, paper_cards

    from .reader_site import real_model

    site = real_model()
    short, long_digest = (next(d for d in site.digests if d.id.startswith(n)) for n in ("003_", "002_"))
    assert len(long_digest.listings) == 243
    assert folds_abstracts(paper_cards(digest_papers(site, short), site.topic_names))
    assert not folds_abstracts(paper_cards(digest_papers(site, long_digest), site.topic_names))
    pages = render_digests(site, environment())
    assert "<details" in pages[f"digests/{site.digest_slugs[short.id]}.md"]
    page = pages[f"digests/{site.digest_slugs[long_digest.id]}.md"]
    assert "<details" not in page and '<p class="paper-card__more"><a href="../../papers/' in page

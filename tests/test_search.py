"""Search at scale, in headless Chromium: Pagefind on synthetic sites of 500 and 10,000 papers
(one shard, and two merged in the browser).

Each site is built once per session, as `make site` builds it (generator, MkDocs, Pagefind).
A query must find a paper by a made-up word of its title or of its abstract, lead to the
paper's page, and cost the reader kilobytes, not the whole index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import abstract_word, title_word
from generator.search.index import index_site
from generator.search.shards import PAGES_PER_SHARD
from tests.conftest import mkdocs_build, run_generator, serve
from tests.synthetic import indexed_pages, slug_of, synthetic_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]
QUERY_BUDGET = 600 * 1024  # bytes one query may cost a reader (issue 7: at 30,000 papers)
LISTING_BUDGET = 300 * 1024  # bytes of HTML of any page


class Built:
    def __init__(self, project: Path, papers: int) -> None:
        generated = run_generator(project, "build", "--quiet")
        assert generated.returncode == 0, generated.stderr
        self.project, self.papers = project, papers
        self.site = mkdocs_build(project)
        self.report = index_site(self.site)
        self.indexed = indexed_pages(self.report)


def _built(factory: pytest.TempPathFactory, papers: int) -> Iterator[tuple[Built, str]]:
    built = Built(synthetic_project(factory.mktemp(f"n{papers}") / "project", papers), papers)
    for url in serve(built.site):
        yield built, url


@pytest.fixture(scope="module", params=[500, 10_000], ids=["500-papers", "10000-papers"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Built, str]]:
    yield from _built(tmp_path_factory, request.param)


def search(page: Any, url: str, query: str) -> tuple[Any, int]:
    """Type `query` in the header search box; return the first result and the bytes fetched."""
    page.goto(f"{url}/")
    page.wait_for_load_state("networkidle")
    fetched: list[int] = []
    page.on("response", lambda response: fetched.append(len(response.body())))
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(query)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    return first, sum(fetched)


def test_every_paper_page_is_in_the_search_index(site: tuple[Built, str]) -> None:
    built, _ = site
    assert built.indexed == built.papers
    # a large site is indexed in shards, merged in the browser (pagefind-shards.js)
    shards = -(-built.papers // PAGES_PER_SHARD)
    assert f"(in {shards} shard{'s' if shards > 1 else ''})" in built.report
    listed = json.loads((built.site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert listed == ["pagefind/"] + [f"pagefind-{k}/" for k in range(1, shards)]


@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_a_word_of_the_title_finds_the_paper_and_leads_to_it(site: tuple[Built, str], page: Any, position: str) -> None:
    built, url = site
    n = {"first": 0, "middle": built.papers // 2, "last": built.papers - 1}[position]
    first, cost = search(page, url, title_word(n))
    slug = slug_of(built.project, title_word(n))
    assert f"/papers/{slug}/" in (first.get_attribute("href") or "")
    assert cost < QUERY_BUDGET, f"one query fetched {cost} bytes"
    first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/papers/{slug}/")
    assert abstract_word(n) in page.locator(".paper-abstract").inner_text()


def test_a_word_of_the_abstract_finds_the_paper(site: tuple[Built, str], page: Any) -> None:
    built, url = site
    n = built.papers // 3
    first, _ = search(page, url, abstract_word(n))
    assert f"/papers/{slug_of(built.project, title_word(n))}/" in (first.get_attribute("href") or "")
    assert abstract_word(n) in first.inner_text().lower()


def test_no_page_exceeds_300_kb_of_html(site: tuple[Built, str]) -> None:
    built, _ = site
    sizes = {p.relative_to(built.site).as_posix(): p.stat().st_size for p in built.site.rglob("*.html")}
    too_big = {page: size for page, size in sizes.items() if size > LISTING_BUDGET}
    assert not too_big

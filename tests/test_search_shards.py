"""Search in shards finds what one index finds, in headless Chromium, on 600 real papers.

The same built site is indexed twice: once as one Pagefind index, once in shards merged in the
browser (generator/search/shards.py, pagefind-shards.js): two complete blocks of 250 pages and
two tail blocks of 50. For probe queries
(a distinctive word of a paper's title from each shard, whole titles, common words and
phrases), the search box's own loader must return the same pages from both, and the paper a
title names first.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from bench.corpus import arxiv_papers, write_real_corpus
from generator.search.index import index_site
from tests.conftest import copy_project, mkdocs_build, run_generator, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAPERS = 600
COMMON = ["diffusion", "reinforcement learning", "benchmark", "segmentation", "robot", "language model"]

# Every result's URL, loaded as the search box loads Pagefind (all shards merged).
ALL_RESULTS = """async (query) => {
  const base = new URL("./", window.location.href);
  const shards = await import(new URL("assets/javascripts/pagefind-shards.js", base).href);
  const pagefind = await shards.loadShards(base);
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.map((r) => r.data()));
  return data.map((d) => d.url);
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], str, str]]:
    project = copy_project(tmp_path_factory.mktemp("shards") / "project", digests=None)
    write_real_corpus(project / "digests", arxiv_papers(), PAPERS)
    done = run_generator(project, "build", "--quiet")
    assert done.returncode == 0, done.stderr
    sharded = mkdocs_build(project)
    single = project / "site-one"
    shutil.copytree(sharded, single, copy_function=os.link)
    assert "(in 1 shard)" in index_site(single, per_shard=10**9, tail=10**9)
    assert "(in 4 shards)" in index_site(sharded, per_shard=250, tail=50)
    papers = json.loads((project / "docs" / "papers.json").read_text(encoding="utf-8"))["papers"]
    for one_url in serve(single):
        for sharded_url in serve(sharded):
            yield {"papers": papers}, one_url, sharded_url


def results(page: Any, url: str, query: str) -> list[str]:
    page.goto(f"{url}/")
    found: list[str] = page.evaluate(ALL_RESULTS, query)
    return found


def test_the_shards_find_the_same_pages_as_one_index(sites: tuple[dict[str, Any], str, str], page: Any) -> None:
    data, one, sharded = sites
    papers = data["papers"]
    picked = [papers[n] for n in (0, 170, 320, 470, PAPERS - 1)]  # one paper in each shard
    words = [max(p["title"].split(), key=len).strip(",.:;()!?") for p in picked]
    compared = 0
    for query in [*words, *COMMON]:
        from_one, from_shards = results(page, one, query), results(page, sharded, query)
        assert from_one, query
        # What one index finds, the shards find, ranked first.
        assert sorted(from_shards[: len(from_one)]) == sorted(from_one), query
        if "-" not in query:  # see below
            assert sorted(from_shards) == sorted(from_one), query
            compared += 1
    assert compared >= len(COMMON) + 2


def test_a_term_one_shard_lacks_adds_only_lower_ranked_pages(
    sites: tuple[dict[str, Any], str, str], page: Any
) -> None:
    """Where merged indexes differ from one (Pagefind's search.rs, `find_word_extensions`): a shard
    in which no word starts with a query term answers with the longest indexed word the term
    starts with ("temporal" for "temporal-consistent"), so such a query also lists those pages,
    after every page one index finds."""
    _, one, sharded = sites
    from_one, from_shards = results(page, one, "temporal-consistent"), results(page, sharded, "temporal-consistent")
    assert len(from_one) == 1 and from_shards[0] == from_one[0] and len(from_shards) > 1


def test_a_title_finds_its_paper_first_in_any_shard(sites: tuple[dict[str, Any], str, str], page: Any) -> None:
    data, _, sharded = sites
    for paper in (data["papers"][n] for n in (0, 170, 320, 470, PAPERS - 1)):
        found = results(page, sharded, paper["title"])
        assert found and found[0].endswith(f"/papers/{paper['slug']}/"), paper["title"]


def test_a_result_shows_the_papers_date_and_topics(sites: tuple[dict[str, Any], str, str], page: Any) -> None:
    """The date and topics are not indexed (a curator may change them on any paper, a paper
    listed again may gain a date): the search box reads them from pagefind-facts/ and shows
    them under the title, as before."""
    data, _, sharded = sites
    paper = next(p for p in data["papers"][300:] if p["topics"])
    page.goto(f"{sharded}/")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill(paper["title"])
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=30_000)
    assert (first.get_attribute("href") or "").endswith(f"/papers/{paper['slug']}/")
    facts = first.locator(".search-result__facts").inner_text()
    names = [t["name"] if isinstance(t, dict) else str(t) for t in paper["topics"]]
    assert all(name in facts for name in names), facts
    assert any(ch.isdigit() for ch in facts), facts  # the date

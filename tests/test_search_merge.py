"""A large site is indexed by several Pagefind runs whose indexes are merged (see
generator/search/merge.py). The merged index must be the one a single run writes: the same
pages, words, locations and excerpts, the same results in Pagefind's own search code.

The sites here are hand-written HTML (no MkDocs), a dozen pages, indexed three pages a run.
"""

from __future__ import annotations

import gzip
import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.search.index import index_site, marks_body, pagefind
from generator.search.merge import SIGNATURE, merge, read
from tests.conftest import serve

TITLES = [
    "Café latte gradients",
    "Cafe racer <script>alert(1)</script> & \"quoted\" 'titles'",
    "Naïve Bayes meets café society",
    "Sparse attention for long documents",
    "Attention is a naive baseline",
    "Zebra stripes & diffusion",
    "Quantised adapters for café menus",
    "Long documents, sparse rewards",
    "Naive diffusion of zebras",
    "Bayes optimal adapters",
    "Gradients of gradients",
]
QUERIES = ["café", "cafe", "naive", "naïve", "attention", "zebra", "gradients", "script", "quoted", "listingonly"]


def page_html(title: str, body: str, indexed: bool) -> str:
    marked = " data-pagefind-body" if indexed else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} - Digest</title></head>"
        f"<body><nav>Chrome listingonly navigation</nav><div{marked}><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(body)}</p></div></body></html>"
    )


def url(n: int) -> str:
    """The last page's folder has the characters a Pagefind glob must escape."""
    return f"/papers/paper-{n:02d}/" if n < len(TITLES) - 1 else "/papers/paper-{odd},[name] (x)*?!/"


def abstract(n: int) -> str:
    return f"We study {TITLES[n].lower()} with word{n} and a shared abstract about {TITLES[n - 1].lower()}."


def write_site(site: Path) -> Path:
    """Paper pages that mark their body, and listings that do not (they must not be indexed)."""
    for n, title in enumerate(TITLES):
        paper = site / url(n).strip("/") / "index.html"
        paper.parent.mkdir(parents=True)
        paper.write_text(page_html(title, abstract(n), indexed=True), encoding="utf-8")
    listings = {"index.html": " ".join(TITLES), "topics/all/index.html": "zebra"}
    for path, text in listings.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(page_html("Listing", f"listingonly {text}", indexed=False), encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The same site indexed by one Pagefind run, and by four runs merged."""
    single = write_site(tmp_path_factory.mktemp("single") / "site")
    merged = write_site(tmp_path_factory.mktemp("merged") / "site")
    index_site(single)
    report = index_site(merged, pages_per_run=3)
    return single, merged, report


def decoded(site: Path) -> dict[str, Any]:
    """What the index says, with page numbers replaced by the pages' URLs (the numbering
    follows the order Pagefind walked the files in, which is not part of the result)."""
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    fragments = []
    for name, _ in meta[1]:
        raw = gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())
        fragments.append(json.loads(raw[len(SIGNATURE):]))
    urls = [fragment["url"] for fragment in fragments]

    def by_url(pages: list[Any]) -> dict[str, Any]:
        found, number = {}, 0
        for delta, locations, meta_locations in pages:
            number += delta
            found[urls[number]] = (locations, meta_locations)
        return found

    words = {}
    for _, _, chunk in meta[2]:
        for word, pages, variants in read(bundle / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (by_url(pages), {form: by_url(v) for form, v in variants})
    return {
        "page_count": entry["languages"]["en"]["page_count"],
        "pages": {f["url"]: (f, word_count) for f, (_, word_count) in zip(fragments, meta[1], strict=True)},
        "words": words,
        "fields": meta[5],
    }


def test_the_site_was_indexed_in_several_runs(sites: tuple[Path, Path, str]) -> None:
    _, _, report = sites
    assert "Indexed 11 pages" in report and "in 4 runs" in report


def test_the_merged_index_is_the_one_a_single_run_writes(sites: tuple[Path, Path, str]) -> None:
    single, merged, _ = sites
    one, joined = decoded(single), decoded(merged)
    assert joined == one
    assert joined["page_count"] == len(TITLES)
    assert any(variants for _, variants in joined["words"].values()), "no accented variant was merged"


def test_only_pages_that_mark_their_body_are_indexed(sites: tuple[Path, Path, str]) -> None:
    _, merged, _ = sites
    index = decoded(merged)
    assert sorted(index["pages"]) == sorted(url(n) for n in range(len(TITLES)))
    assert "listingonli" not in index["words"] and "listingonly" not in index["words"]


def test_a_hostile_title_is_indexed_as_text(sites: tuple[Path, Path, str]) -> None:
    _, merged, _ = sites
    fragment, _ = decoded(merged)["pages"]["/papers/paper-01/"]
    assert fragment["meta"]["title"] == TITLES[1]
    assert fragment["content"].startswith(TITLES[1])


def test_merging_one_run_rewrites_pagefinds_own_files(tmp_path: Path) -> None:
    """Byte for byte (once gunzipped): names, chunks, page list, entry."""

    def files(folder: Path) -> dict[str, bytes]:
        def text(p: Path) -> bytes:
            return gzip.decompress(p.read_bytes()) if p.suffix.startswith(".pf_") else p.read_bytes()

        return {p.relative_to(folder).as_posix(): text(p) for p in folder.rglob("*") if p.is_file()}

    pagefind(write_site(tmp_path / "site"), tmp_path / "run")
    written = files(tmp_path / "run")
    merge([tmp_path / "run"], tmp_path / "merged")  # moves the fragments out of run/
    assert files(tmp_path / "merged") == written


@pytest.fixture(scope="module")
def urls(sites: tuple[Path, Path, str]) -> Iterator[tuple[str, str]]:
    single, merged, _ = sites
    for one in serve(single):
        for joined in serve(merged):
            yield one, joined


SEARCH = """async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.map((result) => result.data()));
  return data.map((d) => [d.url, d.meta.title, d.excerpt]);
}"""


@pytest.mark.browser
def test_pagefinds_own_search_gives_the_same_results(urls: tuple[str, str], page: Any) -> None:
    """Every query, through pagefind.js and its WebAssembly in Chromium: same URLs, titles,
    excerpts (pages that tie on score may come in another order, so compared as sets)."""
    results = []
    for base in urls:
        page.goto(f"{base}/")
        results.append({query: sorted(page.evaluate(SEARCH, query)) for query in QUERIES})
    one, joined = results
    assert joined == one
    assert [title for _, title, _ in joined["naive"]], "the query found nothing"
    assert joined["listingonly"] == []
    zebras = {url(n) for n, title in enumerate(TITLES) if "zebra" in (title + abstract(n)).lower()}
    assert {u for u, _, _ in joined["zebra"]} == zebras


@pytest.mark.parametrize(("html_text", "marked"), [
    (b'<div data-pagefind-body>\n<h1>Title</h1></div>', True),
    (b'<div class="x"\n  data-pagefind-body="">', True),
    (b"<h1>How data-pagefind-body works</h1>", False),  # a title naming the attribute
    (b"<title>&lt;div data-pagefind-body&gt; &amp; &quot;x&quot;</title>", False),  # escaped markup
    (b"<div data-pagefind-bodyguard>", False),
])
def test_only_a_tag_marks_a_page_for_indexing(html_text: bytes, marked: bool) -> None:
    assert marks_body(html_text) is marked


def test_runs_that_cannot_be_merged_give_way_to_one_run(tmp_path: Path) -> None:
    """Pages in two languages make one index per language, which the merge does not join."""
    site = write_site(tmp_path / "site")
    french = site / url(3).strip("/") / "index.html"
    french.write_text(french.read_text(encoding="utf-8").replace('lang="en"', 'lang="fr"'), encoding="utf-8")
    report = index_site(site, pages_per_run=3)
    assert "in one run" in report and "Indexed 11 pages" in report
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["en", "fr"]


def test_runs_keep_their_glob_short_enough_for_pagefind() -> None:
    """Pagefind silently matches nothing once a glob is too long (5,000 paper paths did)."""
    from generator.search.index import GLOB_LIMIT, glob_of, shares

    pages = [Path(f"papers/{'x' * 100}-{n}/index.html") for n in range(6_000)]
    runs = shares(pages, 2_500)
    assert [page for run in runs for page in run] == pages
    assert all(len(run) <= 2_500 and len(glob_of(run)) <= GLOB_LIMIT + 100 for run in runs)
    assert len(runs) > 6_000 // 2_500 + 1  # the character limit, not only the count, cut them


def test_the_body_marker_scan_finds_what_the_attribute_regex_finds() -> None:
    """marks_body searches for the name, then checks around it: the same answers as a regex."""
    import random
    import re

    from generator.search.index import marks_body

    pattern = re.compile(rb"\sdata-pagefind-body[\s=/>]")

    def by_regex(html: bytes) -> bool:
        return any(html.rfind(b"<", 0, m.start()) > html.rfind(b">", 0, m.start()) for m in pattern.finditer(html))

    pieces = [b"<div", b">", b"<", b" ", b"\t", b"\n", b"\x0b", b"=", b"/", b"x", b'"', b"data-pagefind-body",
              b"data-pagefind-bodyx"]
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    texts = [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(20_000)]
    assert [marks_body(t) for t in texts] == [by_regex(t) for t in texts]
    assert 50 < sum(map(marks_body, texts)) < 19_000  # both answers occur

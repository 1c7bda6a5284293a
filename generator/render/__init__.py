"""Stage 4: render every page of docs/ as text, from the `Site` (papers, digests, topics).

One module per kind of page, each a function `Site -> {path under docs/: text}`; they share
`base` (the Jinja environment) and `listing` (how listings are split and tabled), never each
other. The quality page is rendered by build.py, which knows the run's hand-edit conflicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial

from generator.model import Site
from generator.parallel import run_parts, workers
from generator.render import all_papers, digests, export, facets, feeds, papers, stats, topics
from generator.render.base import environment
from generator.render.memo import Earlier, PageMemo, nothing_earlier

PARALLEL_FROM = 1_000  # papers: below this, starting worker processes costs more than it saves

Pages = dict[str, str]


def _plain(renderer: Callable[..., Pages], *args: object) -> tuple[Pages, dict[str, str]]:
    """A renderer's pages, with no keys (pages rendered every run, or reused by render_keys)."""
    return renderer(*args), {}


def _remembered(renderer: Callable[..., Pages], earlier: Earlier, *args: object) -> tuple[Pages, dict[str, str]]:
    """A listing renderer's pages and their keys (the keys go back to the parent process)."""
    memo = PageMemo(earlier)
    return renderer(*args, memo=memo), memo.keys


def render_site(
    site: Site, parallel: bool | None = None, reuse: Mapping[str, str] | None = None,
    earlier: Earlier = nothing_earlier, keys: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every generated file but the quality page, as {path relative to docs/: text}. One renderer per kind of page;
    the paper pages, most of the work, in one part per worker (generator/parallel.py). Paper pages
    in `reuse` (path -> the text rendered last time from the same inputs) are not rendered again;
    nor are listing pages `earlier` has under their key (render/memo.py). The listing pages'
    keys are added to `keys`, for the next run."""
    env = environment()
    reuse = reuse or {}
    todo = tuple(p for p in site.papers if f"papers/{p.slug}.md" not in reuse)
    if parallel is None:
        parallel = len(site.papers) >= PARALLEL_FROM
    site.by_key, site.by_topic  # computed once here, before the workers fork  # noqa: B018
    count = workers() if parallel else 1
    shares = [todo[i::count] for i in range(count)]
    memoized = (topics.render_topics, all_papers.render_all, facets.render_code)
    reader_features = (feeds.render_feeds, export.render_export)
    # Longest first, so no worker starts a long part last: the charts (importing matplotlib
    # alone takes ~1 s at any size), then the paper pages, then the listings.
    parts = [partial(_plain, stats.render_stats, site, env)]
    parts += [partial(_plain, papers.render_papers, replace(site, papers=h), env) for h in shares]
    parts += [partial(_remembered, digests.render_digests, earlier, site, env, share, count) for share in range(count)]
    parts += [partial(_remembered, renderer, earlier, site, env) for renderer in memoized]
    parts += [partial(_plain, renderer, site, env) for renderer in (digests.render_home, *reader_features)]
    pages: dict[str, str] = dict(reuse)
    for rendered, part_keys in run_parts(parts, parallel):
        pages.update(rendered)
        if keys is not None:
            keys.update(part_keys)
    return pages


def render_paper_pages(site: Site) -> dict[str, str]:
    """Only the paper pages of `site` (the writer renders hand-overridden papers from digest data)."""
    return papers.render_papers(site, environment())

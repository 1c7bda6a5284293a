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

PARALLEL_FROM = 1_000  # papers: below this, starting worker processes costs more than it saves


def render_site(site: Site, parallel: bool | None = None, reuse: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every generated file but the quality page, as {path relative to docs/: text}. One renderer per kind of page;
    the paper pages, most of the work, in one part per worker (generator/parallel.py). Paper pages
    in `reuse` (path -> the text rendered last time from the same inputs) are not rendered again."""
    env = environment()
    reuse = reuse or {}
    todo = tuple(p for p in site.papers if f"papers/{p.slug}.md" not in reuse)
    if parallel is None:
        parallel = len(site.papers) >= PARALLEL_FROM
    site.by_key, site.by_topic  # computed once here, before the workers fork  # noqa: B018
    count = workers() if parallel else 1
    shares = [todo[i::count] for i in range(count)]
    listings = (topics.render_topics, digests.render_home, all_papers.render_all, facets.render_code)
    reader_features = (feeds.render_feeds, export.render_export)
    # Longest first, so no worker starts a long part last: the charts (importing matplotlib
    # alone takes ~1 s at any size), then the paper pages, then the listings.
    parts: list[Callable[[], dict[str, str]]] = [partial(stats.render_stats, site, env)]
    parts += [partial(papers.render_papers, replace(site, papers=h), env) for h in shares]
    parts += [partial(digests.render_digests, site, env, share, count) for share in range(count)]
    parts += [partial(renderer, site, env) for renderer in (*listings, *reader_features)]
    pages: dict[str, str] = dict(reuse)
    for rendered in run_parts(parts, parallel):
        pages.update(rendered)
    return pages


def render_paper_pages(site: Site) -> dict[str, str]:
    """Only the paper pages of `site` (the writer renders hand-overridden papers from digest data)."""
    return papers.render_papers(site, environment())

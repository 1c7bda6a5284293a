"""The all-papers page (docs/all-papers.md): every paper in one sortable, filterable table.

The table's markup is the `paper_table` macro of templates/_table.md.j2, fed by
`table_rows`, so topic pages can include the same table. docs/assets/javascripts/
paper-table.js adds sorting and the "with code" filter in the browser; without JavaScript
the table is complete and newest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from jinja2 import Environment

from generator.facets import is_code_url
from generator.front_matter import front_matter
from generator.model import Paper
from generator.render import PAGE_LIMIT, Site, human_date, listing_parts, newest_first

ALL_PAPERS_PATH = "all-papers.md"  # not papers.md: docs/papers/ holds the paper pages


@dataclass(frozen=True)
class Row:
    """One table row, every value ready to print (the macro only escapes)."""

    slug: str
    title: str
    topics: str
    date: str  # ISO date the row sorts by: published, else first listed (digits and dashes)
    date_text: str  # `human_date`: a month's abbreviation and digits
    upvotes: int | None
    code: str | None  # the first code link, as the paper page's "Code" button (facets.is_code_url)


@lru_cache(maxsize=4096)
def _day(when: date) -> str:
    """`human_date`, once per distinct date: thousands of rows share a few hundred dates."""
    return human_date(when)


def table_rows(papers: Iterable[Paper], names: Mapping[str, str]) -> list[Row]:
    """Rows of `papers`, which come newest first (`newest_first`, as every listing holds them):
    the order a reader without JavaScript gets."""
    return [
        Row(
            slug=p.slug,
            title=p.title,
            topics=", ".join(names[s] for s in p.topics),
            date=p.sort_date.isoformat(),
            date_text=_day(p.published) if p.published else f"listed {_day(p.first_listed)}",
            upvotes=p.upvotes,
            code=next((link for link in p.links if is_code_url(link)), None),
        )
        for p in papers
    ]


def render_all(site: Site, env: Environment) -> dict[str, str]:
    """One table of every paper; above PAGE_LIMIT papers, one table per year (or month) on its
    own page, so that no page grows with the site."""
    names = {t.slug: t.name for t in site.taxonomy}
    papers = newest_first(site.papers)
    template = env.get_template("all-papers.md.j2")
    with_code = sum(1 for p in papers if any(is_code_url(link) for link in p.links))
    common = {"total": len(papers), "with_code": with_code}
    if len(papers) <= PAGE_LIMIT:
        text = template.render(rows=table_rows(papers, names), parts=None, prefix="../papers/", up="", **common)
        return {ALL_PAPERS_PATH: front_matter({"title": "All papers"}) + text}
    parts = listing_parts(papers)
    pages = {
        f"all-papers/{name}.md": front_matter({"title": f"All papers: {heading}"})
        + template.render(
            rows=table_rows(listed, names), parts=None, prefix="../../papers/", up="../", heading=heading, **common
        )
        for name, (heading, listed) in parts.items()
    }
    index = [(name, heading, len(listed)) for name, (heading, listed) in parts.items()]
    pages[ALL_PAPERS_PATH] = front_matter({"title": "All papers"}) + template.render(
        rows=[], parts=index, prefix="../papers/", up="", **common
    )
    return pages

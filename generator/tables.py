"""The all-papers page (docs/all-papers.md): every paper in one sortable, filterable table.

The table's markup is the `paper_table` macro of templates/_table.md.j2, fed by
`table_rows`, so topic pages can include the same table. docs/assets/javascripts/
paper-table.js adds sorting and the "with code" filter in the browser; without JavaScript
the table is complete and newest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from jinja2 import Environment

from generator.model import Paper
from generator.render import Site, front_matter, human_date, newest_first

ALL_PAPERS_PATH = "all-papers.md"  # not papers.md: docs/papers/ holds the paper pages
CODE_HOSTS = ("github.com", "gitlab.com")


@dataclass(frozen=True)
class Row:
    """One table row, every value ready to print (the macro only escapes)."""

    slug: str
    title: str
    topics: str
    date: str  # ISO date the row sorts by: published, else first listed
    date_text: str
    upvotes: int | None
    code: str | None  # the first link to a code host


def has_code(url: str) -> bool:
    """A link to a code host, as the paper page's "Code" button decides it."""
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in CODE_HOSTS)


def table_rows(papers: Iterable[Paper], names: Mapping[str, str]) -> list[Row]:
    """Rows newest first: the order a reader without JavaScript gets."""
    return [
        Row(
            slug=p.slug,
            title=p.title,
            topics=", ".join(names[s] for s in p.topics),
            date=p.sort_date.isoformat(),
            date_text=human_date(p.published) if p.published else f"listed {human_date(p.first_listed)}",
            upvotes=p.upvotes,
            code=next((link for link in p.links if has_code(link)), None),
        )
        for p in newest_first(papers)
    ]


def render_all(site: Site, env: Environment) -> dict[str, str]:
    rows = table_rows(site.papers, {t.slug: t.name for t in site.taxonomy})
    text = env.get_template("all-papers.md.j2").render(rows=rows, with_code=sum(1 for r in rows if r.code))
    return {ALL_PAPERS_PATH: front_matter({"title": "All papers"}) + text}

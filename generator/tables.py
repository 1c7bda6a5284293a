"""The all-papers page (docs/all-papers.md): every paper in one sortable, filterable table.

The table's markup is the `paper_table` macro of templates/_table.md.j2, which topic pages
can include too; docs/assets/javascripts/paper-table.js adds sorting and the "with code"
filter in the browser. Without JavaScript the table is complete and newest first.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from jinja2 import Environment

from generator.render import Site, front_matter, newest_first

ALL_PAPERS_PATH = "all-papers.md"  # not papers.md: docs/papers/ holds the paper pages
CODE_HOSTS = ("github.com", "gitlab.com")


def has_code(url: str) -> bool:
    """A link to a code host, as the paper page's "Code" button decides it."""
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in CODE_HOSTS)


def add_table_filters(env: Environment, site: Site) -> None:
    """What `paper_table` needs from the environment that renders it."""
    env.tests["has_code"] = has_code
    env.filters["topic_name"] = lambda slug, names: names.get(slug, slug)


def render_all(site: Site, env: Environment) -> dict[str, str]:
    add_table_filters(env, site)
    papers = newest_first(site.papers)
    names = {t.slug: t.name for t in site.taxonomy}
    text = env.get_template("all-papers.md.j2").render(
        papers=papers, names=names, with_code=sum(1 for p in papers if any(map(has_code, p.links)))
    )
    return {ALL_PAPERS_PATH: front_matter({"title": "All papers"}) + text}

"""The all-papers page (docs/all-papers.md): every paper in one sortable, filterable table.

The table's markup is the `paper_table` macro of templates/_table.md.j2, fed by
`listing.table_rows`, so topic pages show the same table. docs/assets/javascripts/
paper-table.js adds sorting and the "with code" filter in the browser; without JavaScript
the table is complete and newest first.
"""

from __future__ import annotations

from jinja2 import Environment

from generator.curate.facets import is_code_url
from generator.front_matter import front_matter
from generator.model import Site, newest_first
from generator.render.listing import listing_parts, table_rows
from generator.render.memo import PageMemo

ALL_PAPERS_PATH = "all-papers.md"  # not papers.md: docs/papers/ holds the paper pages


def render_all(site: Site, env: Environment, memo: PageMemo | None = None) -> dict[str, str]:
    """One table of every paper; above `listing_page_size` papers, one table per year (or month) on its
    own page, so that no page grows with the site."""
    memo = memo or PageMemo()
    names = {t.slug: t.name for t in site.taxonomy}
    papers = newest_first(site.papers)
    template = env.get_template("all-papers.md.j2")
    with_code = sum(1 for p in papers if any(is_code_url(link) for link in p.links))
    common = {"total": len(papers), "with_code": with_code}
    if len(papers) <= site.settings.listing_page_size:
        text = template.render(rows=table_rows(papers, names), parts=None, prefix="../papers/", up="", **common)
        return {ALL_PAPERS_PATH: front_matter({"title": "All papers"}) + text}
    parts = listing_parts(papers, site.settings.listing_page_size)
    pages = {
        f"all-papers/{name}.md": memo.page(
            f"all-papers/{name}.md", {"title": f"All papers: {heading}"}, template,
            rows=table_rows(listed, names), parts=None, prefix="../../papers/", up="../", heading=heading, **common,
        )
        for name, (heading, listed) in parts.items()
    }
    index = [(name, heading, len(listed)) for name, (heading, listed) in parts.items()]
    pages[ALL_PAPERS_PATH] = front_matter({"title": "All papers"}) + template.render(
        rows=[], parts=index, prefix="../papers/", up="", **common
    )
    return pages

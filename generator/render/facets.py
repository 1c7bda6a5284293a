"""Papers with code (docs/code.md) and one listing per other facet (docs/facets/)."""

from __future__ import annotations

from jinja2 import Environment

from generator.curate.facets import FACETS
from generator.front_matter import front_matter
from generator.model import Site, newest_first
from generator.render.listing import listing_parts, table_rows
from generator.render.memo import PageMemo

# What each facet means, for its page (the rules are generator/curate/facets.py's).
EXPLANATIONS = {
    "benchmark-dataset": "papers that introduce a benchmark, dataset or corpus (its title names one, or the abstract"
    " says it introduces, presents or releases one).",
    "survey": "surveys, tutorials, reviews and overviews (by their title, or an abstract that says it surveys).",
    "theory": "theoretical papers: the title speaks of theory, bounds, convergence, regret or sample complexity,"
    " or the abstract proves things (two phrases such as \u201cwe prove\u201d, \u201clower bound\u201d,"
    " \u201cminimax\u201d).",
}


def render_code(site: Site, env: Environment, memo: PageMemo | None = None) -> dict[str, str]:
    """"Papers with code" (code.md) and one listing per other facet (facets/<facet>.md); above
    `listing_page_size` papers a listing moves to one page per year or month, like a topic's."""
    memo = memo or PageMemo()
    template = env.get_template("code.md.j2")
    pages: dict[str, str] = {}
    newest = newest_first(site.papers)
    for facet, name in FACETS.items():
        listed = [p for p in newest if facet in p.facets]
        path = "code.md" if facet == "code" else f"facets/{facet}.md"
        title = "Papers with code" if facet == "code" else name
        common = {
            "facet": facet, "total": len(site.papers), "facets": FACETS, "count": len(listed),
            "explanation": EXPLANATIONS.get(facet, ""),
        }
        if len(listed) <= site.settings.listing_page_size:
            page = template.render(rows=table_rows(listed, site.topic_names), parts=None, depth=0, heading="", **common)
            pages[path] = front_matter({"title": title}) + page
            continue
        parts = listing_parts(listed, site.settings.listing_page_size)
        folder = path.removesuffix(".md")
        for part, (heading, in_part) in parts.items():
            pages[f"{folder}/{part}.md"] = memo.page(
                f"{folder}/{part}.md", {"title": f"{title}: {heading}"}, template,
                rows=table_rows(in_part, site.topic_names), parts=None, depth=1, heading=heading, **common,
            )
        index = [(f"{folder.rsplit('/', 1)[-1]}/{part}.md", heading, len(p)) for part, (heading, p) in parts.items()]
        pages[path] = front_matter({"title": title}) + template.render(
            rows=[], parts=index, depth=0, heading="", **common
        )
    return pages

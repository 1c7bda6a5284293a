"""Papers with code (docs/code.md) and one listing per other facet (docs/facets/)."""

from __future__ import annotations

from jinja2 import Environment

from generator.curate.facets import FACETS
from generator.front_matter import front_matter
from generator.model import Site, newest_first
from generator.render.listing import PAGE_LIMIT, listing_parts


def render_code(site: Site, env: Environment) -> dict[str, str]:
    """"Papers with code" (code.md) and one listing per other facet (facets/<facet>.md); above
    PAGE_LIMIT papers a listing moves to one page per year or month, like a topic's."""
    template = env.get_template("code.md.j2")
    pages: dict[str, str] = {}
    for facet, name in FACETS.items():
        listed = [p for p in newest_first(site.papers) if facet in p.facets]
        path = "code.md" if facet == "code" else f"facets/{facet}.md"
        title = "Papers with code" if facet == "code" else name
        common = {"facet": facet, "total": len(site.papers), "facets": FACETS, "count": len(listed)}
        if len(listed) <= PAGE_LIMIT:
            page = template.render(papers=listed, parts=None, depth=0, heading="", **common)
            pages[path] = front_matter({"title": title}) + page
            continue
        parts = listing_parts(listed)
        folder = path.removesuffix(".md")
        for part, (heading, in_part) in parts.items():
            page = template.render(papers=in_part, parts=None, depth=1, heading=heading, **common)
            pages[f"{folder}/{part}.md"] = front_matter({"title": f"{title}: {heading}"}) + page
        index = [(f"{folder.rsplit('/', 1)[-1]}/{part}.md", heading, len(p)) for part, (heading, p) in parts.items()]
        pages[path] = front_matter({"title": title}) + template.render(
            papers=[], parts=index, depth=0, heading="", **common
        )
    return pages

"""The digest pages (docs/digests/), the digest archive and the home page (the latest digest)."""

from __future__ import annotations

from jinja2 import Environment

from generator.front_matter import front_matter
from generator.model import Site
from generator.render.base import human_date
from generator.render.listing import digest_papers


def render_digests(site: Site, env: Environment) -> dict[str, str]:
    pages: dict[str, str] = {}
    template = env.get_template("digest.md.j2")
    for digest in site.digests:
        title = f"Digest of {human_date(digest.date)}"
        pages[f"digests/{site.digest_slugs[digest.id]}.md"] = front_matter({"title": title}) + template.render(
            digest=digest, papers=digest_papers(site, digest)
        )
    pages["digests/index.md"] = front_matter({"title": "Digests"}) + env.get_template("digests.md.j2").render(
        digests=list(reversed(site.digests)), slugs=site.digest_slugs
    )
    return pages


def render_home(site: Site, env: Environment) -> dict[str, str]:
    latest = site.digests[-1]
    counts = {slug: len(papers) for slug, papers in site.by_topic.items()}
    home = env.get_template("home.md.j2").render(
        settings=site.settings,
        latest=latest,
        latest_slug=site.digest_slugs[latest.id],
        latest_papers=digest_papers(site, latest)[:10],
        papers=len(site.papers),
        digests=len(site.digests),
        taxonomy=site.taxonomy,
        counts=counts,
    )
    return {"index.md": front_matter({"hide": ["navigation"]}) + home}

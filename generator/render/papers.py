"""The paper pages (docs/papers/<slug>.md): front matter a curator can edit, then the abstract."""

from __future__ import annotations

import hashlib
from typing import Any

from jinja2 import Environment

from generator.curate.facets import split_links
from generator.front_matter import front_matter
from generator.model import Paper, Site
from generator.render.base import first_sentence

__all__ = ["first_sentence", "paper_meta", "render_keys", "render_papers"]


def paper_meta(paper: Paper, site: Site) -> dict[str, Any]:
    """A paper page's front matter, in the order a curator reads it."""
    topic_names = {t.slug: t.name for t in site.taxonomy}
    meta: dict[str, Any] = {"title": paper.title, "template": "paper.html"}
    if paper.published:
        meta["published"] = paper.published
        if paper.published_year_inferred:
            meta["published_year_inferred"] = True
    if paper.author_count is not None:
        meta["author_count"] = paper.author_count
    if paper.upvotes is not None:
        meta["upvotes"] = paper.upvotes
    if paper.authors:
        meta["authors"] = list(paper.authors)  # from enrichment: arXiv's list
    if paper.arxiv:
        meta["arxiv"] = paper.arxiv  # a curator may pin another id here: `paper-digest enrich` looks it up
    meta["digests"] = [site.digest_slugs[d] for d in paper.digest_ids]
    if len({a.upvotes for a in paper.appearances}) > 1:  # shown per digest on the page's history
        meta["digest_upvotes"] = {site.digest_slugs[a.digest_id]: a.upvotes for a in paper.appearances}
    meta["tags"] = [topic_names[t] for t in paper.topics]
    code, links = split_links(paper.links)
    if code:
        meta["code"] = list(code)
    if links:
        meta["links"] = list(links)
    if paper.facets:
        meta["facets"] = list(paper.facets)
    meta["related"] = list(paper.related)
    if paper.related_why:  # {related slug: why}: keyed, so a curator's edit of `related` never misaligns it
        meta["related_why"] = dict(zip(paper.related, paper.related_why, strict=True))
    if paper.formerly:
        meta["formerly"] = list(paper.formerly)  # the old URLs that redirect here
    if paper.abstract:
        meta["description"] = first_sentence(paper.abstract)  # meta description and link previews
    return meta


def render_keys(site: Site) -> dict[str, str]:
    """Per paper page, a hash of everything it is rendered from: the Paper (every field, its
    listings included), the slugs of its digests and the names of its topics. Equal keys (and
    the same generator code) give the same page, so a run may reuse the page it rendered last
    time (build.py, Run.rendered_before)."""
    names = {t.slug: t.name for t in site.taxonomy}
    keys = {}
    for paper in site.papers:
        inputs = (paper, [site.digest_slugs[d] for d in paper.digest_ids], [names[t] for t in paper.topics])
        keys[f"papers/{paper.slug}.md"] = hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]
    return keys


def render_papers(site: Site, env: Environment) -> dict[str, str]:
    template = env.get_template("paper.md.j2")
    return {
        f"papers/{paper.slug}.md": front_matter(paper_meta(paper, site)) + template.render(paper=paper)
        for paper in site.papers
    }


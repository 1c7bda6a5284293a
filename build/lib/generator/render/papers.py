"""The paper pages (docs/papers/<slug>.md): front matter a curator can edit, then the abstract."""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment

from generator.curate.facets import split_links
from generator.front_matter import front_matter
from generator.model import Paper, Site


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
    if paper.abstract:
        meta["description"] = first_sentence(paper.abstract)  # meta description and link previews
    return meta


# A stop then a capital or digit ends a sentence, except after "e.g.", "i.e.", "et al.", "vs.", "cf.".
_SENTENCE_END = re.compile(r"(?<![ (]e\.g\.)(?<![ (]i\.e\.)(?<! al\.)(?<! vs\.)(?<![ (]cf\.)(?<=[.!?])\s+(?=[A-Z0-9])")


def first_sentence(text: str, limit: int = 200) -> str:
    """The abstract's first sentence, cut at a word near `limit` characters."""
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def render_papers(site: Site, env: Environment) -> dict[str, str]:
    template = env.get_template("paper.md.j2")
    return {
        f"papers/{paper.slug}.md": front_matter(paper_meta(paper, site)) + template.render(paper=paper)
        for paper in site.papers
    }


"""The topic pages (docs/topics/): one per topic, split by year above `listing_page_size` papers,
and the topics overview."""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import Environment

from generator.front_matter import front_matter
from generator.model import Paper, Site, Topic, newest_first
from generator.render.listing import UNCLASSIFIED, listing_parts, table_rows
from generator.render.memo import PageMemo


def render_topic(
    topic: Topic, listed: list[Paper], env: Environment, names: Mapping[str, str], limit: int, memo: PageMemo
) -> dict[str, str]:
    """A topic's page: its papers in the sortable table of the all-papers page (`tables.py`);
    above `listing_page_size` papers the table moves to one page per year or month."""

    top = [p for p in sorted(listed, key=lambda p: (-(p.upvotes or 0), p.slug))[:5] if p.upvotes]
    parts = listing_parts(listed, limit) if len(listed) > limit else {}
    path = f"topics/{topic.slug}.md"
    pages = {
        path: memo.page(
            path, {"title": topic.name}, env.get_template("topic.md.j2"),
            topic=topic, count=len(listed), rows=[] if parts else table_rows(listed, names), top=top, parts=parts,
        )
    }
    part_template = env.get_template("topic_part.md.j2")
    for name, (heading, papers) in parts.items():
        path = f"topics/{topic.slug}/{name}.md"
        pages[path] = memo.page(
            path, {"title": f"{topic.name}: {heading}"}, part_template,
            topic=topic, heading=heading, rows=table_rows(papers, names),
        )
    return pages


def render_topics(site: Site, env: Environment, memo: PageMemo | None = None) -> dict[str, str]:
    memo = memo or PageMemo()
    pages: dict[str, str] = {}
    names = {t.slug: t.name for t in site.taxonomy}
    limit = site.settings.listing_page_size
    for topic in site.taxonomy:
        pages.update(render_topic(topic, site.by_topic[topic.slug], env, names, limit, memo))
    unclassified = newest_first(p for p in site.papers if not p.topics)
    paged = len(unclassified) > limit
    if paged:
        pages.update(render_topic(UNCLASSIFIED, unclassified, env, names, limit, memo))
    counts = {slug: len(papers) for slug, papers in site.by_topic.items()}
    from generator.curate.topic_model import evaluation  # here: numpy is not needed by a no-op run

    figures = evaluation()
    confusion = [(names.get(a, a), names.get(b, b), n) for a, b, n in figures["confusion"][:5]]
    pages["topics/index.md"] = front_matter({"title": "Topics"}) + env.get_template("topics.md.j2").render(
        taxonomy=site.taxonomy, counts=counts, unclassified=unclassified, paged=paged, total=len(site.papers),
        figures=figures, confusion=confusion,
    )
    return pages

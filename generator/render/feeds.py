"""Feeds: an Atom feed and a JSON Feed 1.1 of the newest papers, for the site and per topic.

A paper's feed date is the day it entered the digest (its first digest's date), the date a
subscriber cares about. Atom is built by feedgen (well-formed, escaped XML without hand-built
tags); JSON Feed is plain `json`. Both are deterministic: the feed's own `updated` is the
newest entry's date, never the clock. Abstracts travel as text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator
from jinja2 import Environment

from generator.model import Paper, Site
from generator.render.base import json_dumps, paper_url

FEED_SIZE = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def feed_paths(topic_slug: str | None = None) -> tuple[str, str]:
    """(Atom, JSON Feed) paths under docs/ for the whole site or one topic."""
    base = "feeds/all" if topic_slug is None else f"feeds/topics/{topic_slug}"
    return f"{base}.xml", f"{base}.json"


def newest_entries(papers: Iterable[Paper], limit: int = FEED_SIZE) -> list[Paper]:
    """Newest in the digest first; within a digest, in the digest's own order."""
    return sorted(papers, key=lambda p: (-p.first_listed.toordinal(), p.appearances[0].position, p.slug))[:limit]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def atom_feed(site: Site, title: str, home: str, path: str, papers: Sequence[Paper]) -> str:
    names = {t.slug: t.name for t in site.taxonomy}
    fg = FeedGenerator()
    fg.id(site.settings.url + path)
    fg.title(title)
    fg.subtitle(site.settings.description or title)
    fg.author(name=site.settings.title)
    fg.link(href=home, rel="alternate")
    fg.link(href=site.settings.url + path, rel="self")
    fg.language("en")
    fg.updated(_moment(papers[0].first_listed if papers else date(1970, 1, 1)))
    for paper in papers:
        entry = fg.add_entry(order="append")
        url = paper_url(site, paper)
        entry.id(url)
        entry.title(paper.title)
        entry.link(href=url, rel="alternate")
        entry.published(_moment(paper.first_listed))
        entry.updated(_moment(paper.first_listed))
        entry.summary(paper.abstract)
        for name in paper.authors:
            entry.author(name=name)
        for slug in paper.topics:
            entry.category(term=names[slug])
    text: bytes = fg.atom_str(pretty=True, encoding="UTF-8")
    return text.decode("utf-8")


def json_feed(site: Site, title: str, home: str, path: str, papers: Sequence[Paper]) -> str:
    names = {t.slug: t.name for t in site.taxonomy}
    items = [
        {
            "id": paper_url(site, paper),
            "url": paper_url(site, paper),
            "title": paper.title,
            "content_text": paper.abstract,
            "date_published": _moment(paper.first_listed).isoformat(),
            "tags": [names[s] for s in paper.topics],
            **({"external_url": paper.links[0]} if paper.links else {}),
            **({"authors": [{"name": name} for name in paper.authors]} if paper.authors else {}),
        }
        for paper in papers
    ]
    feed = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": home,
        "feed_url": site.settings.url + path,
        "description": site.settings.description or title,
        "language": "en",
        "authors": [{"name": site.settings.title}],
        "items": items,
    }
    return json_dumps(feed)


def render_feeds(site: Site, env: Environment) -> dict[str, str]:
    """feeds/all.{xml,json} and feeds/topics/<slug>.{xml,json}."""
    url = site.settings.url
    files: dict[str, str] = {}
    channels: list[tuple[str | None, str, str, list[Paper]]] = [
        (None, site.settings.title, url, newest_entries(site.papers))
    ]
    for topic in site.taxonomy:
        papers = newest_entries(site.by_topic[topic.slug])
        channels.append((topic.slug, f"{site.settings.title}: {topic.name}", f"{url}topics/{topic.slug}/", papers))
    for slug, title, home, papers in channels:
        atom, jsonfeed = feed_paths(slug)
        files[atom] = atom_feed(site, title, home, atom, papers)
        files[jsonfeed] = json_feed(site, title, home, jsonfeed, papers)
    return files

"""Feeds: valid Atom and JSON Feed for the site and every topic, linked from the pages."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

from generator.render.base import environment
from generator.render.feeds import FEED_SIZE, newest_entries, render_feeds

from .reader_site import real_model

JSON_FEED_REQUIRED = ("version", "title", "items")


def feeds_of(project: Path) -> list[Path]:
    return sorted((project / "docs" / "feeds").rglob("*.xml"))


def test_every_atom_feed_parses_without_bozo(real_project: Path) -> None:
    feeds = feeds_of(real_project)
    assert len(feeds) == 1 + len(real_model().taxonomy)
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"
        assert parsed.feed.title


def test_site_feed_holds_the_newest_papers_with_date_topics_and_abstract(real_project: Path) -> None:
    parsed = feedparser.parse((real_project / "docs/feeds/all.xml").read_bytes())
    assert len(parsed.entries) == FEED_SIZE
    newest = max(p.first_listed for p in real_model().papers)
    first = parsed.entries[0]
    assert first.published.startswith(newest.isoformat())
    by_url = {f"https://paper-digest.example.org/papers/{p.slug}/": p for p in real_model().papers}
    paper = by_url[first.link]
    assert first.title == paper.title
    assert first.summary == paper.abstract
    assert parsed.feed.updated.startswith(newest.isoformat())  # not the clock: reproducible
    tagged = next(e for e in parsed.entries if by_url[e.link].topics)
    names = {t.slug: t.name for t in real_model().taxonomy}
    assert [t.term for t in tagged.tags] == [names[s] for s in by_url[tagged.link].topics]
    dates = [e.published for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)


def test_topic_feed_holds_only_that_topics_papers(real_project: Path) -> None:
    topic = real_model().taxonomy[0]
    parsed = feedparser.parse((real_project / f"docs/feeds/topics/{topic.slug}.xml").read_bytes())
    assert parsed.entries
    assert all(topic.name in [t.term for t in e.tags] for e in parsed.entries)


def test_json_feeds_have_the_required_fields(real_project: Path) -> None:
    paths = sorted((real_project / "docs/feeds").rglob("*.json"))
    assert len(paths) == 1 + len(real_model().taxonomy)
    for path in paths:
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert all(key in feed for key in JSON_FEED_REQUIRED), path
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"].endswith(path.relative_to(real_project / "docs").as_posix())
        for item in feed["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_text") or item.get("content_html")
            assert item["url"].startswith("https://") and item["title"] and item["date_published"]


def test_feeds_are_byte_identical_across_runs() -> None:
    assert render_feeds(real_model(), environment()) == render_feeds(real_model(), environment())


def test_markup_in_digest_text_stays_text_in_feeds() -> None:
    site = real_model()
    newest = newest_entries(site.papers)[0]
    nasty = replace(newest, title="A <script>alert(1)</script> & B", abstract="<img src=x onerror=alert(1)> & more.")
    papers = tuple(nasty if p is newest else p for p in site.papers)
    files = render_feeds(replace(site, papers=papers), environment())
    atom, jsonfeed = files["feeds/all.xml"], files["feeds/all.json"]
    assert "<script" not in atom and "<img" not in atom and "&lt;script&gt;" in atom
    assert "<" not in jsonfeed
    parsed = feedparser.parse(atom.encode())
    entry = next(e for e in parsed.entries if e.link.endswith(f"/{nasty.slug}/"))
    assert entry.title == nasty.title
    item = next(i for i in json.loads(jsonfeed)["items"] if i["id"].endswith(f"/{nasty.slug}/"))
    assert item["title"] == nasty.title and item["content_text"] == nasty.abstract


def test_pages_link_their_feeds_and_show_a_subscribe_button(real_site: Path) -> None:
    def alternates(path: Path) -> list[str]:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        feed_types = ("application/atom+xml", "application/feed+json")
        return [str(el["href"]) for el in doc.select('link[rel~="alternate"]') if el.get("type") in feed_types]

    paper = next((real_site / "papers").glob("*/index.html"))
    assert alternates(paper) == ["../../feeds/all.xml", "../../feeds/all.json"]
    slug = real_model().taxonomy[0].slug
    topic = real_site / "topics" / slug / "index.html"
    assert f"../../feeds/topics/{slug}.xml" in alternates(topic)
    for page, feed in ((real_site / "index.html", "feeds/all.xml"), (topic, f"../../feeds/topics/{slug}.xml")):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        buttons = [str(a["href"]) for a in doc.select(".feed-buttons a")]
        assert feed in buttons, page
        assert (page.parent / feed).resolve().is_file()

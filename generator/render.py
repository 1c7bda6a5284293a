"""Stage 4: render every page of docs/ as text, from papers, digests and topics.

Markdown lives in Jinja templates (`generator/templates/`); front matter is written only by
the YAML dumper, never by a template, so no title can break it. Digest text reaches a template
only through the `md` filter (`text.markdown_text`), which makes it render exactly as written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.model import Digest, Paper
from generator.settings import Settings
from generator.text import markdown_text, title_key
from generator.topics import Topic

TEMPLATES = Path(__file__).parent / "templates"
try:  # libyaml when present: ~10x faster, and byte-identical to the pure-Python dumper
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]


def front_matter(meta: Mapping[str, Any]) -> str:
    """YAML front matter: every string quoted where YAML would read it as something else."""
    dumped = yaml.dump(dict(meta), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n"


def human_date(when: date) -> str:
    return f"{when:%b} {when.day}, {when.year}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - the output is Markdown; digest text goes through `md`
    )
    env.filters["md"] = markdown_text
    env.filters["link_text"] = lambda text: markdown_text(text, links=False)
    env.filters["human_date"] = human_date
    env.filters["query"] = lambda text: quote(text, safe="")
    return env


@dataclass(frozen=True)
class Site:
    """Everything the listing pages need, computed once."""

    settings: Settings
    papers: tuple[Paper, ...]
    digests: tuple[Digest, ...]  # oldest first
    digest_slugs: Mapping[str, str]  # digest id -> page slug
    taxonomy: tuple[Topic, ...]

    @property
    def by_slug(self) -> dict[str, Paper]:
        return {p.slug: p for p in self.papers}


def digest_slugs(digests: Iterable[Digest]) -> dict[str, str]:
    """A digest's page is named by its date; a second digest of the same day gets "-2"."""
    slugs: dict[str, str] = {}
    counts: Counter[date] = Counter()
    for digest in digests:
        counts[digest.date] += 1
        n = counts[digest.date]
        slugs[digest.id] = digest.date.isoformat() + (f"-{n}" if n > 1 else "")
    return slugs


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (-p.sort_date.toordinal(), -(p.upvotes or 0), p.slug))


def render_site(site: Site) -> dict[str, str]:
    """Every generated page, as {path relative to docs/: text}."""
    env = _environment()
    topic_names = {t.slug: t.name for t in site.taxonomy}
    pages: dict[str, str] = {}
    paper_template = env.get_template("paper.md.j2")
    for paper in site.papers:
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
        meta["tags"] = [topic_names[t] for t in paper.topics]
        if paper.links:
            meta["links"] = list(paper.links)
        pages[f"papers/{paper.slug}.md"] = front_matter(meta) + paper_template.render(paper=paper)

    by_topic: dict[str, list[Paper]] = defaultdict(list)
    for paper in site.papers:
        for slug in paper.topics:
            by_topic[slug].append(paper)
    topic_template = env.get_template("topic.md.j2")
    for topic in site.taxonomy:
        listed = newest_first(by_topic[topic.slug])
        years: dict[int, list[Paper]] = defaultdict(list)
        for paper in listed:
            years[paper.sort_date.year].append(paper)
        top = sorted(listed, key=lambda p: (-(p.upvotes or 0), p.slug))[:5]
        top = [p for p in top if p.upvotes]
        pages[f"topics/{topic.slug}.md"] = front_matter({"title": topic.name}) + topic_template.render(
            topic=topic, count=len(listed), years=years, top=top
        )
    unclassified = newest_first(p for p in site.papers if not p.topics)
    counts = {t.slug: len(by_topic[t.slug]) for t in site.taxonomy}
    pages["topics/index.md"] = front_matter({"title": "Topics"}) + env.get_template("topics.md.j2").render(
        taxonomy=site.taxonomy, counts=counts, unclassified=unclassified, total=len(site.papers)
    )

    by_slug = site.by_slug
    key_to_slug = {p.key: p.slug for p in site.papers}
    digest_template = env.get_template("digest.md.j2")
    for digest in site.digests:
        entries = [(listing, by_slug[key_to_slug[title_key(listing.title)]]) for listing in digest.listings]
        slug = site.digest_slugs[digest.id]
        title = f"Digest of {human_date(digest.date)}"
        pages[f"digests/{slug}.md"] = front_matter({"title": title}) + digest_template.render(
            digest=digest, entries=entries
        )
    archive = list(reversed(site.digests))
    pages["digests/index.md"] = front_matter({"title": "Digests"}) + env.get_template("digests.md.j2").render(
        digests=archive, slugs=site.digest_slugs
    )
    latest = archive[0]
    pages["index.md"] = front_matter({"hide": ["navigation"]}) + env.get_template("home.md.j2").render(
        settings=site.settings,
        latest=latest,
        latest_slug=site.digest_slugs[latest.id],
        latest_papers=[by_slug[key_to_slug[title_key(listing.title)]] for listing in latest.listings][:10],
        papers=len(site.papers),
        digests=len(site.digests),
        taxonomy=site.taxonomy,
        counts=counts,
    )
    return pages

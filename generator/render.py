"""Stage 4: render every page of docs/ as text, from papers, digests and topics.

Markdown lives in Jinja templates (`generator/templates/`); front matter is written only by
the YAML dumper, never by a template, so no title can break it. Digest text reaches a template
only through the `md` filter (`text.markdown_text`), which makes it render exactly as written.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.facets import FACETS, is_code_url, split_links
from generator.front_matter import front_matter
from generator.model import Digest, Paper
from generator.parallel import run_parts, workers
from generator.settings import Settings
from generator.text import markdown_text, title_key
from generator.topics import Topic

TEMPLATES = Path(__file__).parent / "templates"
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
    env.tests["is_code_url"] = is_code_url
    return env


@dataclass(frozen=True)
class Site:
    """Everything the listing pages need, computed once."""

    settings: Settings
    papers: tuple[Paper, ...]
    digests: tuple[Digest, ...]  # oldest first
    digest_slugs: Mapping[str, str]  # digest id -> page slug
    taxonomy: tuple[Topic, ...]

    @cached_property
    def by_key(self) -> dict[str, Paper]:
        """Papers by title key, built once: looking each digest's papers up is then O(listings)."""
        return {p.key: p for p in self.papers}

    @cached_property
    def by_topic(self) -> dict[str, list[Paper]]:
        """Each topic's papers, newest first; the topic pages and the home page both need them."""
        return papers_by_topic(self)


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


PARALLEL_FROM = 1_000  # papers: below this, starting worker processes costs more than it saves


def render_site(site: Site, parallel: bool | None = None) -> dict[str, str]:
    """Every generated file but the quality page, as {path relative to docs/: text}. One renderer per kind of page;
    the paper pages, most of the work, in one part per worker (generator/parallel.py)."""
    from generator import export, feeds, stats, tables  # imported here: they import Site from this module

    env = _environment()
    if parallel is None:
        parallel = len(site.papers) >= PARALLEL_FROM
    site.by_key, site.by_topic  # computed once here, before the workers fork  # noqa: B018
    count = workers() if parallel else 1
    shares = [site.papers[i::count] for i in range(count)]
    listings = (render_topics, render_digests, render_home, tables.render_all, render_code)
    # The data-quality page is not here: build.compute renders it with the run's hand-edit conflicts.
    reader_features = (feeds.render_feeds, export.render_export)
    # Longest first, so no worker starts a long part last: the charts (importing matplotlib
    # alone takes ~1 s at any size), then the paper pages, then the listings.
    parts: list[Callable[[], dict[str, str]]] = [partial(stats.render_stats, site, env)]
    parts += [partial(render_papers, replace(site, papers=h), env) for h in shares]
    parts += [partial(renderer, site, env) for renderer in (*listings, *reader_features)]
    pages: dict[str, str] = {}
    for rendered in run_parts(parts, parallel):
        pages.update(rendered)
    return pages


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


def papers_by_topic(site: Site) -> dict[str, list[Paper]]:
    """Each topic's papers, newest first."""
    by_topic: dict[str, list[Paper]] = {t.slug: [] for t in site.taxonomy}
    for paper in site.papers:
        for slug in paper.topics:
            by_topic[slug].append(paper)
    return {slug: newest_first(papers) for slug, papers in by_topic.items()}


PAGE_LIMIT = 300  # papers on one listing page: ~100 KB of HTML; a larger topic is split by year
UNCLASSIFIED = Topic("unclassified", "Not yet in a topic", "Papers that matched no topic in topics.yml.", ())


def by_year(papers: list[Paper]) -> dict[int, list[Paper]]:
    years: dict[int, list[Paper]] = defaultdict(list)
    for paper in papers:
        years[paper.sort_date.year].append(paper)
    return years


def listing_parts(papers: list[Paper]) -> dict[str, tuple[str, list[Paper]]]:
    """A long listing's pages: {page name: (heading, papers)}, one per year, or per month for a
    year above PAGE_LIMIT. By date rather than by count: a new digest then changes the pages
    of the dates it adds, not every page after them."""
    parts: dict[str, tuple[str, list[Paper]]] = {}
    for year, listed in by_year(papers).items():
        if len(listed) <= PAGE_LIMIT:
            parts[str(year)] = (str(year), listed)
            continue
        months: dict[int, list[Paper]] = defaultdict(list)
        for paper in listed:
            months[paper.sort_date.month].append(paper)
        for month, in_month in months.items():
            parts[f"{year}-{month:02d}"] = (f"{date(year, month, 1):%B} {year}", in_month)
    return parts


def render_topic(topic: Topic, listed: list[Paper], env: Environment, names: Mapping[str, str]) -> dict[str, str]:
    """A topic's page: its papers in the sortable table of the all-papers page (`tables.py`);
    above PAGE_LIMIT papers the table moves to one page per year or month."""
    from generator.tables import table_rows  # imported here: tables imports this module

    top = [p for p in sorted(listed, key=lambda p: (-(p.upvotes or 0), p.slug))[:5] if p.upvotes]
    parts = listing_parts(listed) if len(listed) > PAGE_LIMIT else {}
    pages = {
        f"topics/{topic.slug}.md": front_matter({"title": topic.name})
        + env.get_template("topic.md.j2").render(
            topic=topic, count=len(listed), rows=[] if parts else table_rows(listed, names), top=top, parts=parts
        )
    }
    part_template = env.get_template("topic_part.md.j2")
    for name, (heading, papers) in parts.items():
        pages[f"topics/{topic.slug}/{name}.md"] = front_matter({"title": f"{topic.name}: {heading}"}) + (
            part_template.render(topic=topic, heading=heading, rows=table_rows(papers, names))
        )
    return pages


def render_topics(site: Site, env: Environment) -> dict[str, str]:
    pages: dict[str, str] = {}
    names = {t.slug: t.name for t in site.taxonomy}
    for topic in site.taxonomy:
        pages.update(render_topic(topic, site.by_topic[topic.slug], env, names))
    unclassified = newest_first(p for p in site.papers if not p.topics)
    paged = len(unclassified) > PAGE_LIMIT
    if paged:
        pages.update(render_topic(UNCLASSIFIED, unclassified, env, names))
    counts = {slug: len(papers) for slug, papers in site.by_topic.items()}
    pages["topics/index.md"] = front_matter({"title": "Topics"}) + env.get_template("topics.md.j2").render(
        taxonomy=site.taxonomy, counts=counts, unclassified=unclassified, paged=paged, total=len(site.papers)
    )
    return pages


def digest_papers(site: Site, digest: Digest) -> list[Paper]:
    """A digest's papers in the digest's own order."""
    keys = (title_key(listing.title) for listing in digest.listings)
    return [site.by_key[key] for key in keys if key in site.by_key]  # hidden papers are left out


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


def render_paper_pages(site: Site) -> dict[str, str]:
    """Only the paper pages of `site` (the writer renders hand-overridden papers from digest data)."""
    return render_papers(site, _environment())


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

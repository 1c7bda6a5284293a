"""What the listing pages share (topics, digests, facets, all papers): splitting a long list
into pages by date, the rows of the sortable paper table (`paper_table` in
templates/_table.md.j2) and the paper cards of the digest and home pages (`paper_cards` in
templates/_cards.md.j2). Not a renderer: renderers import it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from generator.curate.facets import is_code_url
from generator.model import Digest, Paper, Site, Topic
from generator.render.base import human_date, lead

UNCLASSIFIED = Topic("unclassified", "Not yet in a topic", "Papers that matched no topic in topics.yml.", ())


def by_year(papers: list[Paper]) -> dict[int, list[Paper]]:
    years: dict[int, list[Paper]] = defaultdict(list)
    for paper in papers:
        years[paper.sort_date.year].append(paper)
    return years


def listing_parts(papers: list[Paper], limit: int) -> dict[str, tuple[str, list[Paper]]]:
    """A long listing's pages: {page name: (heading, papers)}, one per year; a year above
    `limit` (site.yml `listing_page_size`) one page per month, and a month above it one per
    day (a day above it in numbered pages). By date rather than by count: a new digest then
    changes the pages of the dates it adds, not every page after them."""
    parts: dict[str, tuple[str, list[Paper]]] = {}
    for year, listed in by_year(papers).items():
        if len(listed) <= limit:
            parts[str(year)] = (str(year), listed)
            continue
        months: dict[int, list[Paper]] = defaultdict(list)
        for paper in listed:
            months[paper.sort_date.month].append(paper)
        for month, in_month in months.items():
            if len(in_month) <= limit:
                parts[f"{year}-{month:02d}"] = (f"{date(year, month, 1):%B} {year}", in_month)
                continue
            days: dict[date, list[Paper]] = defaultdict(list)
            for paper in in_month:
                days[paper.sort_date].append(paper)
            for day, on_day in days.items():
                chunks = [on_day[i : i + limit] for i in range(0, len(on_day), limit)]
                for n, chunk in enumerate(chunks, 1):
                    suffix, more = ("", "") if n == 1 else (f"-{n}", f" ({n})")
                    parts[f"{day.isoformat()}{suffix}"] = (f"{human_date(day)}{more}", chunk)
    return parts


def digest_papers(site: Site, digest: Digest) -> list[Paper]:
    """A digest's papers in the digest's own order."""
    found = (site.by_position.get((digest.id, n)) for n in range(1, len(digest.listings) + 1))
    return [paper for paper in found if paper is not None]  # hidden papers are left out


@dataclass(frozen=True)
class Row:
    """One table row, every value ready to print (the macro only escapes)."""

    slug: str
    title: str
    topics: str
    date: str  # ISO date the row sorts by: published, else first listed (digits and dashes)
    date_text: str  # `human_date`: a month's abbreviation and digits
    upvotes: int | None
    code: str | None  # the first code link, as the paper page's "Code" button (facets.is_code_url)
    authors: str = ""  # the first authors ("A, B, C et al."), when enrichment found them


AUTHORS_SHOWN = 3  # in lists and cards; the paper page names every author


def short_authors(authors: tuple[str, ...]) -> str:
    """The first authors, and "et al." for the rest: what a card or a table row shows."""
    shown = ", ".join(authors[:AUTHORS_SHOWN])
    return shown + " et al." if len(authors) > AUTHORS_SHOWN else shown


@lru_cache(maxsize=4096)
def _day(when: date) -> str:
    """`human_date`, once per distinct date: thousands of rows share a few hundred dates."""
    return human_date(when)


def table_rows(papers: Iterable[Paper], names: Mapping[str, str]) -> list[Row]:
    """Rows of `papers`, which come newest first (`newest_first`, as every listing holds them):
    the order a reader without JavaScript gets."""
    return [
        Row(
            slug=p.slug,
            title=p.title,
            topics=", ".join(names[s] for s in p.topics),
            date=p.sort_date.isoformat(),
            date_text=_day(p.published) if p.published else f"listed {_day(p.first_listed)}",
            upvotes=p.upvotes,
            code=next((link for link in p.links if is_code_url(link)), None),
            authors=short_authors(p.authors),
        )
        for p in papers
    ]


def chronological(site: Site) -> list[Digest]:
    """The digests oldest first by date (digests of one day in the order of their files)."""
    return sorted(site.digests, key=lambda d: d.date)


@dataclass(frozen=True)
class Card:
    """One paper as a digest shows it: every value ready to print (the macro only escapes)."""

    slug: str
    title: str
    date: str  # ISO date: published, else the day a digest first listed it
    date_text: str  # "Jun 22, 2025", or "listed Nov 20, 2025" without a published date
    upvotes: int | None
    code: str | None  # the first code link, as on the paper page
    topics: tuple[tuple[str, str], ...]  # (slug, name), primary first
    summary: str  # the abstract's first sentences
    rest: str  # the rest of the abstract ("" when the summary is all of it)
    authors: str = ""  # `short_authors`, when enrichment found them


def paper_cards(papers: Iterable[Paper], names: Mapping[str, str]) -> list[Card]:
    """Cards of `papers`, in the order given (a digest's own order)."""
    cards = []
    for p in papers:
        summary, rest = lead(p.abstract)
        cards.append(
            Card(
                slug=p.slug,
                title=p.title,
                date=p.sort_date.isoformat(),
                date_text=_day(p.published) if p.published else f"listed {_day(p.first_listed)}",
                upvotes=p.upvotes,
                code=next((link for link in p.links if is_code_url(link)), None),
                topics=tuple((s, names[s]) for s in p.topics),
                summary=summary,
                rest=rest,
                authors=short_authors(p.authors),
            )
        )
    return cards

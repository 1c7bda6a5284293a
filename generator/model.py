"""The values that travel through the pipeline.

A `Listing` is one paper as one digest shows it; a `Paper` is one unique paper, merged from
every listing of it; a `Topic` is one entry of the taxonomy; a `Site` is everything the
renderers need, computed once. All are frozen: each stage returns new values instead of
editing old ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from generator.settings import Settings


@dataclass(frozen=True)
class Listing:
    """One entry of a digest, exactly as the digest gives it (text already sanitised)."""

    title: str
    abstract: str
    line: int  # 1-based line of the title in the digest file
    author_count: int | None = None
    published: date | None = None
    published_year_inferred: bool = False  # the digest showed "Jun 22" without a year
    upvotes: int | None = None


@dataclass(frozen=True)
class Notice:
    """Something unusual the reader read past: a line of the file (None: the file) and what."""

    line: int | None
    text: str


@dataclass(frozen=True)
class DateRecord:
    """A digest date that was inferred (no year, or no date), as the state keeps it."""

    day: date
    first_built: date  # the day the digest was first built, which the date was inferred from
    how: str  # how that day is known: "its first git commit", "the first run that read it"


@dataclass(frozen=True)
class Digest:
    """One digest file: its date and its listings in the digest's own order."""

    id: str  # the file name without ".txt": stable, unique, never shown as a URL
    path: Path
    date: date
    date_source: str  # where the date came from, for the data-quality report
    listings: tuple[Listing, ...]
    heading: str = "Daily papers"
    layout: str = ""  # how the reader read the file (line ends, blank lines, wrap, ...)
    notices: tuple[Notice, ...] = ()  # warnings: what was unusual, read past and reported
    date_record: DateRecord | None = None  # an inferred date, kept in the state
    date_override: str = ""  # for an inferred date: the site.yml entry that sets it instead


@dataclass(frozen=True)
class Appearance:
    """A paper's appearance in one digest: the history readers and maintainers ask about."""

    digest_id: str
    digest_date: date
    position: int  # 1-based rank in that digest
    upvotes: int | None


@dataclass(frozen=True)
class Paper:
    """One unique paper, merged from all its listings; what a paper page is made from."""

    key: str  # the normalised title that identifies the paper across digests
    slug: str
    title: str
    abstract: str
    appearances: tuple[Appearance, ...]
    published: date | None = None
    published_year_inferred: bool = False
    author_count: int | None = None
    upvotes: int | None = None
    topics: tuple[str, ...] = ()  # topic slugs, primary first
    links: tuple[str, ...] = field(default=())  # URLs found in the abstract
    related: tuple[str, ...] = ()  # slugs of the most similar papers, most similar first
    related_why: tuple[str, ...] = ()  # why each of `related` is related, in the same order
    facets: tuple[str, ...] = ()  # facet names from generator/curate/facets.py rules
    formerly: tuple[str, ...] = ()  # slugs this paper's page had before a curator renamed it
    authors: tuple[str, ...] = ()  # from enrichment (generator/enrich/): arXiv's author list
    arxiv: str | None = None  # the arXiv identifier, without version, when enrichment found one
    lookup: str | None = None  # what enrichment decided: matched, pinned, ambiguous, unmatched (None: not asked)
    arxiv_candidates: tuple[str, ...] = ()  # ambiguous: the arXiv ids that all matched (one is to be pinned)
    positions: tuple[tuple[str, int], ...] = ()  # every listing of it: (digest id, 1-based position)

    @property
    def digest_ids(self) -> tuple[str, ...]:
        return tuple(a.digest_id for a in self.appearances)

    @cached_property  # computed once per paper: listings sort by it again and again
    def first_listed(self) -> date:
        return min(a.digest_date for a in self.appearances)

    @cached_property
    def sort_date(self) -> date:
        """Newest-first listings use the published date, else the day a digest first listed it."""
        return self.published or self.first_listed


@dataclass(frozen=True)
class Topic:
    """One topic of the taxonomy (topics.yml): its URL slug, name, description and signal terms."""

    slug: str
    name: str
    description: str
    terms: tuple[str, ...]
    formerly: tuple[str, ...] = ()  # earlier slugs of this topic: their URLs redirect here

    @property
    def profile(self) -> str:
        """The text a paper is compared with: name, description and terms."""
        return " ".join((self.name, self.description, *self.terms))


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """The order of every listing: newest first, then most upvoted, then by slug."""
    return sorted(papers, key=lambda p: (-p.sort_date.toordinal(), -(p.upvotes or 0), p.slug))


def nth_digest(n: int) -> str:
    """How a digest's name tells it from the day's others: "" for the first, " · 2nd digest" for
    the second (slug "2025-03-14-2"), " · 3rd digest", ... (`digest_slugs` counts the same way)."""
    if n <= 1:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f" · {n}{suffix} digest"


def digest_slugs(digests: Iterable[Digest]) -> dict[str, str]:
    """A digest's page is named by its date; a second digest of the same day gets "-2"."""
    slugs: dict[str, str] = {}
    counts: Counter[date] = Counter()
    for digest in digests:
        counts[digest.date] += 1
        n = counts[digest.date]
        slugs[digest.id] = digest.date.isoformat() + (f"-{n}" if n > 1 else "")
    return slugs


@dataclass(frozen=True)
class Site:
    """Everything the renderers need, computed once: the one value every renderer reads."""

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
    def by_position(self) -> dict[tuple[str, int], Paper]:
        """The paper of every listing: (digest id, position) -> paper (hidden papers left out)."""
        return {where: p for p in self.papers for where in p.positions}

    @cached_property
    def by_topic(self) -> dict[str, list[Paper]]:
        """Each topic's papers, newest first; the topic pages and the home page both need them."""
        by_topic: dict[str, list[Paper]] = {t.slug: [] for t in self.taxonomy}
        for paper in self.papers:
            for slug in paper.topics:
                by_topic[slug].append(paper)
        return {slug: newest_first(papers) for slug, papers in by_topic.items()}

    @cached_property
    def topic_names(self) -> dict[str, str]:
        """Topic slug -> name, for chips and tables."""
        return {t.slug: t.name for t in self.taxonomy}

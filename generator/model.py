"""The values that travel through the pipeline.

A `Listing` is one paper as one digest shows it; a `Paper` is one unique paper, merged from
every listing of it. All are frozen: each stage returns new values instead of editing old ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path


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
class Digest:
    """One digest file: its date and its listings in the digest's own order."""

    id: str  # the file name without ".txt": stable, unique, never shown as a URL
    path: Path
    date: date
    date_source: str  # where the date's year came from, for the data-quality report
    listings: tuple[Listing, ...]
    heading: str = "Daily papers"


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
    facets: tuple[str, ...] = ()  # facet names from generator/facets.py rules

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

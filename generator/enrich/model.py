"""The values enrichment passes around: what a source found, and what the store records.

`Candidate` is one arXiv paper as a source describes it; `Record` is one line of the store,
what was decided about one digest paper. Both are frozen. `PaperLike` and `Source` are
Protocols so that this package needs neither the catalogue nor a particular source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

Status = Literal["matched", "ambiguous", "unmatched", "pinned"]
STATUSES: tuple[Status, ...] = ("matched", "ambiguous", "unmatched", "pinned")
SOURCES = ("arxiv-api", "arxiv-snapshot")


class PaperLike(Protocol):
    """What enrichment needs of a paper (the catalogue's `Paper` has it)."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def abstract(self) -> str: ...
    @property
    def published(self) -> date | None: ...


@dataclass(frozen=True)
class Candidate:
    """One arXiv paper as a source gives it; `abstract` is kept for matching, not stored."""

    arxiv: str  # the identifier without its version: 2510.09842, hep-th/9901001
    title: str
    abstract: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]  # primary first
    published: date  # the day version 1 was submitted
    updated: date | None = None  # the day of the latest version, when later than version 1
    doi: str | None = None
    journal_ref: str | None = None


@dataclass(frozen=True)
class Lookup:
    """A source's answer to one title: what it asked and what it found."""

    query: str
    candidates: tuple[Candidate, ...]


class Source(Protocol):
    """Where arXiv metadata comes from: the live API or a downloaded snapshot.

    Titles are searched in batches because a snapshot is read once per call however many
    titles it is asked for; `title_batch` says how many titles one call should carry
    (None: all of them), `id_batch` the same for identifiers.
    """

    @property
    def name(self) -> str:
        """Recorded as the record's `source`: one of SOURCES."""
        ...

    @property
    def title_batch(self) -> int | None: ...
    @property
    def id_batch(self) -> int | None: ...

    def search_titles(self, titles: Sequence[str]) -> dict[str, Lookup]:
        """Candidates for each title (every title of the argument is a key of the answer)."""
        ...

    def by_ids(self, ids: Sequence[str]) -> dict[str, Candidate]:
        """The papers of these identifiers (without version); an unknown id is left out."""
        ...


@dataclass(frozen=True)
class Record:
    """One line of the store: what enrichment decided about one paper, and from what.

    `matched` and `pinned` records carry the paper's metadata; `ambiguous` ones the
    identifiers of every candidate that passed the checks; `unmatched` ones only the query.
    """

    key: str  # generator.text.title_key of the digest's title
    status: Status
    source: str  # one of SOURCES
    query: str  # what was asked: the search query, or the identifier looked up
    fetched: str  # when, ISO 8601 in UTC: 2026-01-31T12:00:00Z
    arxiv: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: date | None = None
    updated: date | None = None
    doi: str | None = None
    journal_ref: str | None = None
    candidates: tuple[str, ...] = ()  # ambiguous: the arXiv ids that all passed

    @property
    def has_paper(self) -> bool:
        """Whether the record names one arXiv paper (matched or pinned)."""
        return self.status in ("matched", "pinned")

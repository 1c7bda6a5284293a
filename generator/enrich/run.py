"""One enrichment run: look up the papers the store has no record of, and record the answers.

Pinned papers are looked up by identifier first (in batches), then the rest by title. The
store is rewritten after every `save_every` new records and whenever the run stops, Ctrl-C
included, so a stopped run loses at most the records since the last write (none on Ctrl-C
or an error) and the next run resumes where it stopped: it looks up only what has no record.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from generator.enrich.clock import Clock, SystemClock, timestamp
from generator.enrich.ids import arxiv_id
from generator.enrich.match import decide
from generator.enrich.model import Candidate, Lookup, PaperLike, Record, Source, Status
from generator.enrich.store import DEFAULT_STORE, read_store, write_store
from generator.enrich.titles import titles_agree
from generator.errors import UserError

T = TypeVar("T")


@dataclass(frozen=True)
class Summary:
    """What a run did, for its closing line."""

    store: Path
    looked_up: int
    counts: Mapping[Status, int]  # of the records this run wrote
    kept: int  # records from before this run, left as they were
    warnings: tuple[str, ...] = ()  # pins that name no paper or another title

    def line(self) -> str:
        c = self.counts
        return (f"Enrichment: looked up {self.looked_up} papers: {c.get('matched', 0)} matched, "
                f"{c.get('ambiguous', 0)} ambiguous, {c.get('unmatched', 0)} unmatched, "
                f"{c.get('pinned', 0)} pinned; kept {self.kept} records from before ({self.store}).")


def enrich(
    papers: Iterable[PaperLike],
    source: Source,
    store_path: Path = DEFAULT_STORE,
    *,
    all: bool = False,  # the name the integrator calls it by, though it hides the builtin
    pins: Mapping[str, str] | None = None,
    progress: bool = True,
    clock: Clock | None = None,
    save_every: int = 20,
) -> Summary:
    """Look up every paper without a record (every paper with `all`) and save the store.

    `pins` maps a paper's key to the arXiv identifier a curator chose for it; such a paper is
    looked up by that identifier only and recorded as `pinned`.
    """
    clock = clock or SystemClock()
    records = read_store(store_path)
    unique: dict[str, PaperLike] = {}
    for paper in papers:
        unique.setdefault(paper.key, paper)
    chosen = _pins(list(unique.values()), pins or {})
    todo = [p for p in unique.values() if all or _needs_lookup(records.get(p.key), chosen.get(p.key))]
    by_id = [p for p in todo if p.key in chosen]
    by_title = [p for p in todo if p.key not in chosen]
    written: dict[str, Record] = {}
    warnings: list[str] = []
    unsaved = 0

    def done(new: dict[str, Record], bar: tqdm[None]) -> None:
        """Take a batch's records, and save the store once `save_every` are waiting."""
        nonlocal unsaved
        written.update(new)
        records.update(new)
        unsaved += len(new)
        bar.update(len(new))
        if unsaved >= save_every:
            write_store(store_path, records)
            unsaved = 0

    with tqdm(total=len(todo), unit="paper", desc="arXiv", disable=not progress or not sys.stderr.isatty()) as bar:
        try:
            for chunk in _chunks(by_id, source.id_batch):
                found = source.by_ids([chosen[p.key] for p in chunk])
                pinned = [_pinned(p, chosen[p.key], found.get(chosen[p.key]), source, clock) for p in chunk]
                warnings += [warning for _, warning in pinned if warning]
                done({record.key: record for record, _ in pinned}, bar)
            for chunk in _chunks(by_title, source.title_batch):
                lookups = source.search_titles([p.title for p in chunk])
                fetched = timestamp(clock.now())
                done({p.key: _searched(p, lookups[p.title], source.name, fetched) for p in chunk}, bar)
        finally:
            if unsaved:
                write_store(store_path, records)
    counts = Counter(r.status for r in written.values())
    return Summary(store_path, len(written), dict(counts), len(records) - len(written), tuple(warnings))


def _pins(papers: Sequence[PaperLike], pins: Mapping[str, str]) -> dict[str, str]:
    """The pins of these papers, as identifiers without version; a pin that is not an arXiv
    identifier stops the run before anything is looked up."""
    chosen: dict[str, str] = {}
    for paper in papers:
        if (pin := pins.get(paper.key)) is None:
            continue
        if (identifier := arxiv_id(str(pin))) is None:
            raise UserError(f"the paper {paper.title!r} is pinned to {pin!r}, which is not an arXiv "
                            "identifier (write it as a quoted string, like arxiv: '2510.09842')")
        chosen[paper.key] = identifier
    return chosen


def _needs_lookup(record: Record | None, pin: str | None) -> bool:
    """No record yet; a pin not yet looked up; or a record from a pin since removed."""
    if record is None:
        return True
    if pin is not None:
        return record.query != _id_query(pin)
    return record.query.startswith("id:")


def _id_query(identifier: str) -> str:
    return f"id:{identifier}"


def _chunks(items: Sequence[T], size: int | None) -> Iterator[Sequence[T]]:
    step = size or max(len(items), 1)
    for start in range(0, len(items), step):
        yield items[start : start + step]


def _pinned(
    paper: PaperLike, pin: str, found: Candidate | None, source: Source, clock: Clock
) -> tuple[Record, str | None]:
    fetched = timestamp(clock.now())
    if found is None:
        record = Record(paper.key, "unmatched", source.name, _id_query(pin), fetched)
        return record, f"the paper {paper.title!r} is pinned to {pin}, which {source.name} does not know"
    record = _paper_record(paper.key, "pinned", found, source.name, _id_query(pin), fetched)
    if titles_agree(paper.title, found.title):
        return record, None
    return record, f"the paper {paper.title!r} is pinned to {pin}, titled {found.title!r} (kept: check the pin)"


def _searched(paper: PaperLike, lookup: Lookup, source: str, fetched: str) -> Record:
    decision = decide(paper, lookup.candidates)
    if decision.status == "matched":
        return _paper_record(paper.key, "matched", decision.passed[0], source, lookup.query, fetched)
    candidates = tuple(c.arxiv for c in decision.passed)
    return Record(paper.key, decision.status, source, lookup.query, fetched, candidates=candidates)


def _paper_record(key: str, status: Status, c: Candidate, source: str, query: str, fetched: str) -> Record:
    return Record(
        key, status, source, query, fetched, arxiv=c.arxiv, title=c.title, authors=c.authors,
        categories=c.categories, published=c.published, updated=c.updated, doi=c.doi, journal_ref=c.journal_ref,
    )

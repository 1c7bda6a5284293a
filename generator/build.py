"""The pipeline, top to bottom: read digests -> catalogue papers -> curate -> render -> write."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from generator.catalogue import catalogue, paper_texts
from generator.curate import curate
from generator.curate.enrichment import add_enrichment
from generator.curate.overrides import add_former_slugs, apply_overrides, drop_hidden_related
from generator.curate.taxonomy import load_taxonomy
from generator.curate.topics import Coverage, coverage
from generator.enrich.store import DEFAULT_STORE, read_store
from generator.model import Digest, Site, digest_slugs
from generator.read import read_digests, record_data, records_from_data
from generator.render import render_paper_pages, render_site
from generator.render.papers import render_keys
from generator.render.quality import render_quality_page
from generator.settings import load_settings
from generator.write import Workspace
from generator.write.fingerprint import DIGESTS_CACHE, EMBEDDINGS, RELATED_CACHE, TOPICS_CACHE
from generator.write.plan import WriteReport
from generator.write.state import StatePaths
from generator.write.workspace import report_from_data

DATES = "digest-dates.json"  # in the state: the digest dates the reader inferred (read/dates.py)


@dataclass(frozen=True)
class Paths:
    digests: Path = Path("digests")
    docs: Path = Path("docs")
    state: Path = Path(".generator")
    topics: Path = Path("topics.yml")
    settings: Path = Path("site.yml")
    enrichment: Path = DEFAULT_STORE  # what `paper-digest enrich` recorded; optional

    def workspace(self) -> Workspace:
        inputs = (self.digests, self.topics, self.settings, self.enrichment)
        return Workspace(self.docs, StatePaths(self.state), inputs=inputs)


@dataclass(frozen=True)
class Summary:
    """What a run reports: what it read, how topics cover the papers, and what it wrote."""

    digests: int
    listings: int
    papers: int
    merged_papers: int
    coverage: Coverage
    report: WriteReport
    changes: tuple[Path, ...] = ()  # every file written (or, for a check, out of date)
    dates: tuple[tuple[str, ...], ...] = ()  # inferred digest dates: (file, date, source, site.yml line)
    warnings: tuple[tuple[str, str], ...] = ()  # (file:line, what) the reader and catalogue report


def build(paths: Paths, *, check: bool = False, resolve: Mapping[str, str] = {}) -> Summary:
    """Run every stage and write what changed; with `check`, write nothing and list it.

    `resolve` decides pages that cannot be merged (no record of what the generator wrote):
    page -> "keep" (its differences become hand edits) or "adopt" (the new page); "*": all.
    """
    with paths.workspace().run(check=check) as run:  # one run at a time; a killed run finished first
        if (known := run.known()) is not None:  # nothing read has changed since a no-op build
            return _summary(known["facts"], report_from_data(known["report"]))
        # Curator data first: a bad setting or taxonomy stops the run before any work.
        settings = load_settings(paths.settings)
        taxonomy = load_taxonomy(paths.topics)
        # 1. Read every digest; any unreadable one stops the run, nothing written yet. Dates the
        #    reader inferred before are taken as recorded; digests read before come from the cache.
        recorded = records_from_data(run.recorded(DATES), paths.state / DATES)
        digests = read_digests(paths.digests, settings, recorded, cache=paths.state / DIGESTS_CACHE, save=not check)
        # What curators changed by hand (hidden, title, tags, slug), the recorded slugs and redirects;
        # a hand-edited page MkDocs would misread stops the run.
        edits = run.curator_edits(paper_texts(digests))
        # 2. Merge the listings into unique papers, reusing every recorded slug.
        found = catalogue(digests, edits.slugs, edits.retired)
        # 3. What enrichment recorded (authors, arXiv id); topics, related papers and facets;
        #    listings then show what curators set by hand.
        papers = add_enrichment(found.papers, read_store(paths.enrichment))
        papers = curate(
            papers, taxonomy, paths.state / EMBEDDINGS, save=not check, topics_cache=paths.state / TOPICS_CACHE,
            related_cache=paths.state / RELATED_CACHE,
        )
        papers = drop_hidden_related(add_former_slugs(papers, edits.redirects), edits.overrides)
        shown, _hidden = apply_overrides(papers, edits.overrides, taxonomy)
        # 4. Render every page in memory; a hand-overridden paper's own page from digest data
        #    (the merge keeps the curator's fields).
        site = Site(settings, shown, tuple(digests), digest_slugs(digests), taxonomy)
        # Paper pages whose inputs are those of the last run are taken from it, not rendered again.
        plain = replace(site, papers=tuple(p for p in shown if p.key not in edits.overrides))
        # So are listing pages whose inputs are those of the last run (render/memo.py).
        listing_keys: dict[str, str] = {}
        reused = run.rendered_before(render_keys(plain))
        pages = render_site(site, reuse=reused, earlier=run.earlier_texts(), keys=listing_keys)
        run.rendered_also(listing_keys)
        pages.update(render_paper_pages(replace(site, papers=tuple(p for p in papers if p.key in edits.overrides))))
        facts = _facts(len(digests), found.listings, len(papers), len(found.merged), coverage(papers, taxonomy))
        facts.update(_reader_facts(digests, found.same_title))
        # 5. Merge with the pages on disk, then swap every changed file in at once (a check only lists them),
        #    with the digest dates to record.
        dates = {d.id: record_data(d.date_record) for d in digests if d.date_record is not None}
        outcome = run.commit(
            pages, {p.key: p.slug for p in papers}, partial(render_quality_page, site), facts, {DATES: dates}, resolve
        )
    return replace(_summary(facts, outcome.report), changes=outcome.changes)


def check(paths: Paths) -> list[str]:
    """The files a build would change (empty when docs/ is what digests and state say). Writes nothing."""
    state = StatePaths(paths.state)
    if state.txn.exists():
        return [f"{state.txn} (a run was interrupted: run build to finish it)"]
    summary = build(paths, check=True)
    unresolved = [f"{paths.docs / rel} (unresolved: build --keep or --adopt it)" for rel in summary.report.unresolved]
    return sorted(os.path.relpath(path) for path in summary.changes) + unresolved


def _facts(digests: int, listings: int, papers: int, merged: int, cov: Coverage) -> dict[str, Any]:
    """A run's counts and coverage as JSON data, kept with the no-op record."""
    return {"counts": [digests, listings, papers, merged], "coverage": asdict(cov)}


def _reader_facts(digests: list[Digest], same_title: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, Any]:
    """What the summary lists besides counts: inferred digest dates and the warnings."""
    dates = [[d.path.as_posix(), d.date.isoformat(), d.date_source, d.date_override]
             for d in digests if d.date_override]
    warnings = [[f"{d.path.as_posix()}:{n.line}" if n.line else d.path.as_posix(), n.text]
                for d in digests for n in d.notices]
    warnings += [["docs/papers/", f"{len(slugs)} different papers share the title {title!r} (different abstracts): "
                  f"{', '.join(slugs)}"] for title, slugs in same_title]
    return {"dates": dates, "warnings": warnings}


def _summary(facts: dict[str, Any], report: WriteReport) -> Summary:
    cov = facts["coverage"]
    found = Coverage(cov["papers"], tuple((name, n) for name, n in cov["counts"]), cov["unclassified"])
    digests, listings, papers, merged = facts["counts"]
    dates = tuple(tuple(d) for d in facts.get("dates", ()))
    warnings = tuple((where, text) for where, text in facts.get("warnings", ()))
    return Summary(digests, listings, papers, merged, found, report, dates=dates, warnings=warnings)

"""The pipeline, top to bottom: read digests -> catalogue papers -> assign topics -> render -> write."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator import fingerprint
from generator.catalogue import catalogue
from generator.facets import add_facets
from generator.memory import release_memory
from generator.pages import check_pages
from generator.quality import CONFLICTS_FILE, QUALITY_PATH, edit_conflicts, render_quality_page
from generator.read import read_digests
from generator.render import Site, digest_slugs, render_paper_pages, render_site
from generator.settings import load_settings
from generator.state import Disk, StatePaths, apply_overrides, dump_json, load_json, read_overrides, renamed_slugs
from generator.topics import Coverage, Topic, assign_topics, coverage, load_taxonomy
from generator.write import Conflict, Plan, WriteReport, apply, interrupted, locked, plan, recover


@dataclass(frozen=True)
class Paths:
    digests: Path = Path("digests")
    docs: Path = Path("docs")
    state: Path = Path(".generator/pages")
    topics: Path = Path("topics.yml")
    settings: Path = Path("site.yml")

    @property
    def state_paths(self) -> StatePaths:
        return StatePaths(self.state.parent)


@dataclass(frozen=True)
class Summary:
    digests: int
    listings: int
    papers: int
    merged_papers: int
    report: WriteReport
    coverage: Coverage | None = None


def build(paths: Paths) -> Summary:
    state = paths.state_paths
    # One run at a time; first finish whatever a killed run left.
    with locked(state):
        recover(state)
        # Nothing changed since a run that wrote nothing: that run's summary (fingerprint.py).
        disk = Disk()  # every file this run reads, read once (state.Disk)
        key = input_fingerprint(paths, disk)
        cached = fingerprint.load(state.root, key)
        if cached is not None:
            return summary_from_data(cached, load_taxonomy(paths.topics))
        run = compute(paths, disk)
        # 6. Swap every changed file in at once (journal + renames).
        apply(state, run.changes)
        disk.wrote(run.changes)
        remember_noop(paths, run, key, disk)
    return run.summary


def remember_noop(paths: Paths, run: Computed, key: str, disk: Disk) -> None:
    """Record what the next run would report if nothing changes, under the inputs' hash.

    A run that wrote nothing is that run; after a run that wrote, the same pages are planned
    again against what is now on disk (what `disk` read, updated with what was written), so
    the very next run is already a fast no-op. Recorded only if that plan changes nothing,
    as idempotence promises.
    """
    if not run.changes:
        fingerprint.remember(paths.state_paths.root, key, summary_data(run.summary))
        return
    again = plan(paths.docs, paths.state_paths, run.pages, run.state_files, disk=disk)
    if not again.changes:
        after = replace(run.summary, report=again.report)
        fingerprint.remember(paths.state_paths.root, input_fingerprint(paths, disk), summary_data(after))


def input_fingerprint(paths: Paths, disk: Disk | None = None) -> str:
    """The hash of everything a build reads (see fingerprint.py)."""
    return fingerprint.fingerprint(
        code=Path(__file__).resolve().parent,
        files=(paths.topics, paths.settings),
        folders=(paths.digests, paths.docs),
        state=paths.state_paths.root,
        disk=disk,
    )


def summary_data(summary: Summary) -> dict[str, Any]:
    """A summary as JSON data, for the no-op cache."""
    r, cov = summary.report, summary.coverage
    return {
        "counts": [summary.digests, summary.listings, summary.papers, summary.merged_papers],
        "report": {
            "written": r.written,
            "unchanged": r.unchanged,
            "merged": r.merged,
            "kept": r.kept,
            "removed": r.removed,
            "conflicts": [[c.page, c.field] for c in r.conflicts],
        },
        "coverage": None
        if cov is None
        else {"papers": cov.papers, "counts": [[t.slug, n] for t, n in cov.counts], "unclassified": cov.unclassified},
    }


def summary_from_data(data: dict[str, Any], taxonomy: tuple[Topic, ...]) -> Summary:
    """The inverse of `summary_data` (the taxonomy is the one the recorded run read)."""
    r = data["report"]
    report = WriteReport(
        list(r["written"]),
        int(r["unchanged"]),
        list(r["merged"]),
        list(r["kept"]),
        list(r["removed"]),
        [Conflict(page, name) for page, name in r["conflicts"]],
    )
    cov = data["coverage"]
    topics = {t.slug: t for t in taxonomy}
    found = (
        None
        if cov is None
        else Coverage(
            int(cov["papers"]), tuple((topics[s], int(n)) for s, n in cov["counts"]), int(cov["unclassified"])
        )
    )
    digests, listings, papers, merged = (int(n) for n in data["counts"])
    return Summary(digests, listings, papers, merged, report, found)


def check(paths: Paths) -> list[str]:
    """The files a build would change (empty when docs/ is what digests and state say). Writes nothing."""
    state = paths.state_paths
    if interrupted(state):
        return [f"{state.txn} (a run was interrupted: run build to finish it)"]
    return sorted(os.path.relpath(p) for p in compute(paths).changes)


@dataclass(frozen=True)
class Computed:
    """A run's result before anything is written: its summary, the changes, and the pages and
    state files they were planned from (planned again after writing: `remember_noop`)."""

    summary: Summary
    changes: dict[Path, str | None]
    pages: dict[str, str]
    state_files: dict[str, str]


def compute(paths: Paths, disk: Disk | None = None) -> Computed:
    state = paths.state_paths
    disk = disk or Disk()  # each page read once, for the overrides and for the plan
    # Curator data first: a bad taxonomy or setting stops the run before any work.
    settings = load_settings(paths.settings)
    taxonomy = load_taxonomy(paths.topics)
    check_pages(paths.docs, state.pages, disk)  # a hand-edited page MkDocs would misread
    # 1. Read every digest; any unreadable one stops the run, nothing written yet.
    digests = read_digests(paths.digests, settings)
    # 2. What curators changed by hand (hidden, title, tags, slug), and the recorded slugs.
    recorded = load_json(state.slugs)
    overrides = read_overrides(paths.docs, state, recorded, disk)
    slugs, redirects, moves = renamed_slugs(recorded, load_json(state.redirects), overrides)
    # 3. Merge the listings into unique papers, reusing every recorded slug.
    retired = [Path(old).stem for old in redirects]
    found = catalogue(digests, slugs, retired)
    # 4. Give each paper its topics; listings show the curator's titles and tags, not hidden papers.
    papers = assign_topics(found.papers, taxonomy)
    release_memory()  # the topics' TF-IDF temporaries (memory.py)
    # Related papers (TF-IDF cosine) and facets (text rules: code, dataset, survey, theory).
    # Imported here: numpy and scipy (~0.4 s) are not needed by a no-op run.
    from generator.related import add_related

    papers = add_facets(add_related(papers))
    release_memory()
    shown, _hidden = apply_overrides(papers, overrides, taxonomy)
    # 5. Render every page in memory; a hand-overridden paper's own page from digest data (the
    #    merge keeps the curator's fields).
    site = Site(settings, shown, tuple(digests), digest_slugs(digests), taxonomy)
    pages = render_site(site)
    overridden = tuple(p for p in papers if p.key in overrides)
    if overridden:
        pages.update(render_paper_pages(replace(site, papers=overridden)))
    state_files = {"slugs.json": dump_json({**slugs, **{p.key: p.slug for p in papers}})}
    if redirects or state.redirects.exists():
        state_files["redirects.json"] = dump_json(redirects)
    # 6. Merge with the pages on disk; nothing is written yet. The quality page lists the
    #    hand-edit conflicts of the last run that wrote pages (quality.py): the recorded ones,
    #    unless this run writes pages, then this run's own.
    recorded = load_json(state.root / CONFLICTS_FILE)

    def planned_with(edits: dict[str, str]) -> tuple[Plan, dict[str, str]]:
        pages.update(render_quality_page(site, edits))
        record = {CONFLICTS_FILE: dump_json(edits)} if edits or (state.root / CONFLICTS_FILE).exists() else {}
        files = {**state_files, **record}
        return plan(paths.docs, state, pages, files, moves, disk), files

    planned, files = planned_with(recorded)
    edits = edit_conflicts((c.page, c.field) for c in planned.report.conflicts)
    if edits != recorded and writes_pages(planned, paths, state):
        planned, files = planned_with(edits)
    summary = Summary(
        len(digests), found.listings, len(papers), len(found.merged), planned.report, coverage(papers, taxonomy)
    )
    return Computed(summary, planned.changes, pages, files)


def writes_pages(planned: Plan, paths: Paths, state: StatePaths) -> bool:
    """Whether a plan changes anything besides the quality page itself."""
    own = {paths.docs / QUALITY_PATH, state.pages / QUALITY_PATH}
    return any(path not in own for path in planned.changes)

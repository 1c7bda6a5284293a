"""The one interface of the write stage: a `Run` over docs/ and `.generator/`.

`build` opens a run, asks it for what curators changed by hand, and hands it the rendered
pages once (`Run.commit`). The run alone decides what is up to date: `commit` plans every
file (merging hand edits three ways), then either swaps the changes in (a build) or only
lists them (a check). Both go through the same plan, so `build` and `check` agree.

A build whose inputs hash as those a no-op build left behind is answered from that record
(`Run.known`, `fingerprint.py`) without reading the digests; a check never is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.curate.overrides import Override
from generator.write import fingerprint
from generator.write.curator import check_pages, read_overrides, recover_redirects, recover_slugs, renamed_slugs
from generator.write.journal import apply, interrupted, locked, recover
from generator.write.plan import Plan, WriteReport, plan
from generator.write.state import Disk, StatePaths, dump_data, dump_json, load_data, load_json, relative_files

CODE = Path(__file__).resolve().parent.parent  # the generator's own code: an input of every run
CONFLICTS_FILE = "conflicts.json"  # in .generator/: the hand-edit conflicts the quality page shows


@dataclass(frozen=True)
class CuratorEdits:
    """What curators changed by hand, as the next stages need it."""

    overrides: dict[str, Override]  # title key -> the controls set on that paper's page
    slugs: dict[str, str]  # title key -> slug, recorded and renamed
    redirects: dict[str, str]  # old page -> new page
    moves: dict[str, str]  # new page -> old page, for pages renamed in this run

    @property
    def retired(self) -> list[str]:
        """Slugs of old URLs that now redirect: never given to a new paper."""
        return [Path(old).stem for old in self.redirects]


@dataclass(frozen=True)
class Outcome:
    """What a commit did (or, for a check, would do): the report and the changed paths."""

    report: WriteReport
    changes: tuple[Path, ...] = field(default=())


@dataclass(frozen=True)
class Workspace:
    """docs/ and the state folder, and the other inputs a run reads (hashed for the no-op record)."""

    docs: Path
    state: StatePaths
    inputs: tuple[Path, ...]  # files and folders besides docs/ and the state: digests, taxonomy, settings

    @contextmanager
    def run(self, *, check: bool = False) -> Iterator[Run]:
        """One run at a time (a lock); a build first finishes whatever a killed run left.

        A check takes no lock and changes nothing; it reports an unfinished run as out of date.
        """
        if check:
            yield Run(self, check=True)
            return
        with locked(self.state):
            recover(self.state)
            yield Run(self, check=False)


class Run:
    """One build or check. Every file it reads is read once (`Disk`)."""

    def __init__(self, workspace: Workspace, check: bool) -> None:
        self.workspace = workspace
        self.check = check
        self.disk = Disk()
        self._key: str | None = None
        self._stats: fingerprint.Stats | None = None
        self._render_keys: dict[str, str] = {}
        self._reused: dict[str, tuple[str, str]] = {}  # page -> (text taken from the last run, its hash)
        self._code_hash: str | None = None
        self._record = fingerprint.Record(workspace.state.root)

    def known(self) -> dict[str, Any] | None:
        """The record a no-op build left, if nothing it read has changed since (never for a check)."""
        if self.check:
            return None
        self._key, self._stats = self._fingerprint()
        known = self._record.summary(self._key)
        if known is not None and self._stats.hashed_count:  # files read again: their stats now vouch
            self._record.remember(self._key, known, self._stats)
        self.disk.trusted = self._stats.vouched  # a run that computes compares those files unread
        return known

    def recorded(self, name: str) -> dict[str, Any]:
        """A JSON state file of `.generator/` that earlier runs recorded (such as the digest dates
        the reader inferred), {} if there is none; commit(records=...) writes it."""
        return load_data(self.workspace.state.root / name, self.disk)

    def curator_edits(self, papers: Mapping[str, tuple[str, str]]) -> CuratorEdits:
        """Hand edits MkDocs would misread stop the run; then the controls curators set.

        `papers` (title and abstract by key) let a paper the slug record lacks keep the URL of
        its page already in docs/ (`recover_slugs`): lost state heals instead of renaming.
        """
        self._papers = papers
        if self.disk.trusted is None:  # a check takes no fingerprint: the record is asked about each file
            self.disk.trusted = self._record.stats().known
        self._edits = self._read_edits()
        return self._edits

    def rendered_before(self, keys: Mapping[str, str]) -> dict[str, str]:
        """Pages the last run rendered from the same inputs (`keys`: page -> render key, from
        render.papers.render_keys) with the same generator code: their text is the generated
        copy in the state folder, if that is still the text rendered then. The render stage
        skips them; `commit` records this run's keys."""
        self._render_keys = dict(keys)
        copy_at, last = self.disk.under(self.workspace.state.pages), self._rendered_last()
        earlier = self._earlier(lambda rel: self.disk.text(copy_at(rel)))  # the run's Disk: the plan reads them too
        reused = {rel: text for rel, key in keys.items() if (text := earlier(rel, key)) is not None}
        self._reused = {rel: (text, last[rel][1]) for rel, text in reused.items()}
        return reused

    def earlier_texts(self) -> Callable[[str, str], str | None]:
        """(page, key) -> the text the last run rendered for the page under that key, if its
        generated copy in the state folder still holds it; else None (render/memo.py). A plain
        function of files: the render workers call it."""
        copies = self.workspace.state.pages

        def read(rel: str) -> str | None:
            try:
                return (copies / rel).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return None

        return self._earlier(read)

    def _earlier(self, read: Callable[[str], str | None]) -> Callable[[str, str], str | None]:
        """(page, key) -> the page's generated copy (`read`), if the last run rendered it under
        that key and the copy still holds the text rendered then (its recorded hash)."""
        pages = self._rendered_last()

        def earlier(rel: str, key: str) -> str | None:
            old = pages.get(rel)
            if not isinstance(old, list) or old[0] != key:
                return None
            text = read(rel)
            return text if text is not None and _text_hash(text) == old[1] else None

        return earlier

    def rendered_also(self, keys: Mapping[str, str]) -> None:
        """Render keys of further pages (the listings), recorded with the paper pages' by `commit`."""
        self._render_keys.update(keys)

    def _page_hash(self, rel: str, text: str) -> str:
        """`_text_hash(text)`; for a page taken from the last run unchanged, the hash it was
        checked against then (30,000 pages: ~0.5 s not hashed twice)."""
        reused = self._reused.get(rel)
        return reused[1] if reused is not None and reused[0] is text else _text_hash(text)

    def _rendered_last(self) -> dict[str, Any]:
        """{page: [render key, text hash]} of the last run, if it ran the same generator code."""
        cache = self._record.render()
        pages = cache.get("pages")
        return pages if cache.get("code") == self._code() and isinstance(pages, dict) else {}

    def _code(self) -> str:
        if self._code_hash is None:
            digest = hashlib.sha256()
            for rel in relative_files(CODE, skip_folder="__pycache__"):
                digest.update(f"{rel}\0".encode() + hashlib.sha256((CODE / rel).read_bytes()).digest())
            self._code_hash = digest.hexdigest()
        return self._code_hash

    def _read_edits(self) -> CuratorEdits:
        docs, state = self.workspace.docs, self.workspace.state
        check_pages(docs, state.pages, self.disk)
        recorded = load_json(state.slugs)
        redirects = (
            load_json(state.redirects) if state.redirects.exists() else recover_redirects(docs, self.disk, state.pages)
        )
        retired = [Path(old).stem for old in redirects]
        recorded = {**recorded, **recover_slugs(docs, recorded, retired, self._papers, self.disk)}
        overrides = read_overrides(docs, state, recorded, self.disk)
        slugs, redirects, moves = renamed_slugs(recorded, redirects, overrides)
        return CuratorEdits(overrides, slugs, redirects, moves)

    def commit(
        self,
        pages: dict[str, str],
        slugs: Mapping[str, str],
        quality_page: Callable[[Mapping[str, str]], dict[str, str]],
        facts: dict[str, Any],
        records: Mapping[str, Mapping[str, Any]] | None = None,
        resolve: Mapping[str, str] = {},
    ) -> Outcome:
        """Plan every file, then (a build) swap the changes in and record the no-op state.

        `slugs` are every paper's slug; `quality_page(conflicts)` renders the page that lists
        the hand-edit conflicts of the last run that wrote pages (the recorded ones, unless this
        run writes pages: then its own); `facts` are what the run reports besides the writes,
        kept with the no-op record; `records` are further JSON state files by name (written, with
        the pages, all or nothing; one that is empty is written only if it exists); `resolve`
        decides pages that cannot be merged (plan.py).
        """
        state = self.workspace.state
        edits = self._edits
        state_files = {"slugs.json": dump_json({**edits.slugs, **slugs})}
        for name, data in (records or {}).items():
            if data or (state.root / name).exists():
                state_files[name] = dump_data(data)
        if edits.redirects or state.redirects.exists():
            state_files["redirects.json"] = dump_json(edits.redirects)
        recorded = load_json(state.root / CONFLICTS_FILE)

        own: set[Path] = set()

        def planned_with(conflicts: Mapping[str, str]) -> tuple[Plan, dict[str, str]]:
            page = quality_page(conflicts)
            pages.update(page)
            own.update(path for rel in page for path in (self.workspace.docs / rel, state.pages / rel))
            has_record = conflicts or (state.root / CONFLICTS_FILE).exists()
            files = {**state_files, **({CONFLICTS_FILE: dump_json(conflicts)} if has_record else {})}
            return plan(self.workspace.docs, state, pages, files, edits.moves, self.disk, resolve), files

        planned, files = planned_with(recorded)
        conflicts = edit_conflicts((c.page, c.field) for c in planned.report.conflicts)
        if conflicts != recorded and any(path not in own for path in planned.changes):
            planned, files = planned_with(conflicts)
        if self.check:
            return Outcome(planned.report, tuple(sorted(planned.changes)))
        self.disk.wrote(planned.changes, apply(state, planned.changes))
        render = None
        if self._render_keys:
            rendered = {rel: [key, self._page_hash(rel, pages[rel])] for rel, key in self._render_keys.items()
                        if rel in pages}
            render = {"code": self._code(), "pages": rendered}
        after = replace(edits, slugs={**edits.slugs, **slugs})
        if not self._remember(planned, pages, files, facts, after, render) and render is not None:
            self._record.remember_render(render)
        return Outcome(planned.report, tuple(sorted(planned.changes)))

    def _remember(
        self, planned: Plan, pages: dict[str, str], files: dict[str, str], facts: dict[str, Any], after: CuratorEdits,
        render: dict[str, Any] | None,
    ) -> bool:
        """Record what the next build would report if nothing changes, under the inputs' hash,
        with what this run rendered (`render`, if any); False if no record could be made.

        A run that wrote nothing is that run. After a run that wrote, the next run reads the
        same digests, taxonomy and settings, so it renders the same pages if it also reads the
        same curator edits (`after`: this run's, with the slugs it recorded; checked by reading
        them again from what is now on disk); its plan is then this run's pages planned again,
        which must change nothing, as idempotence promises. Only then is the record made, so a
        replayed summary is the one a full run would print (tests/test_state_faults.py).
        """
        if planned.report.unresolved:
            return False  # a run that cannot finish is never replayed: it must say so every time
        if not planned.changes:
            key, stats = (self._key, self._stats) if self._key else self._fingerprint()
            self._record.remember(key, _record(planned.report, facts), stats, render)
            return True
        # What was written feeds the next run's reading of the pages (a page now recorded as
        # generated may carry a curator's control): replay only if that reading is unchanged.
        if self._edits.moves or self._read_edits() != after:
            return False
        again = plan(self.workspace.docs, self.workspace.state, pages, files, {}, self.disk)
        if again.changes or again.report.unresolved:
            return False
        key, stats = self._fingerprint()
        self._record.remember(key, _record(again.report, facts), stats, render)
        return True

    def _fingerprint(self) -> tuple[str, fingerprint.Stats]:
        """The hash of everything a run reads (see fingerprint.py), and the stats of those files."""
        stats = self._record.stats()
        key = fingerprint.fingerprint(
            code=CODE,
            files=tuple(p for p in self.workspace.inputs if not p.is_dir()),
            folders=(*(p for p in self.workspace.inputs if p.is_dir()), self.workspace.docs),
            state=self.workspace.state.root,
            disk=self.disk,
            stats=stats,
        )
        return key, stats

    def is_interrupted(self) -> bool:
        """A killed run left files to finish (a check reports it; a build finished them)."""
        return interrupted(self.workspace.state)


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def edit_conflicts(conflicts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A run's hand-edit conflicts, (page, field) pairs, as state data: page -> "field, field"."""
    fields: dict[str, list[str]] = {}
    for page, name in conflicts:
        fields.setdefault(page, []).append(name)
    return {page: ", ".join(names) for page, names in sorted(fields.items())}


def _record(report: WriteReport, facts: dict[str, Any]) -> dict[str, Any]:
    return {"facts": facts, "report": report_data(report)}


def report_data(r: WriteReport) -> dict[str, Any]:
    return {
        "written": r.written,
        "unchanged": r.unchanged,
        "merged": r.merged,
        "kept": r.kept,
        "removed": r.removed,
        "conflicts": [[c.page, c.field] for c in r.conflicts],
        "unresolved": r.unresolved,
    }


def report_from_data(data: Mapping[str, Any]) -> WriteReport:
    from generator.write.plan import Conflict

    return replace(
        WriteReport(),
        written=list(data["written"]),
        unchanged=int(data["unchanged"]),
        merged=list(data["merged"]),
        kept=list(data["kept"]),
        removed=list(data["removed"]),
        conflicts=[Conflict(page, name) for page, name in data["conflicts"]],
        unresolved=list(data["unresolved"]),
    )

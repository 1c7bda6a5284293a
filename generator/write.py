"""Stage 5, the only stage that writes docs/ and `.generator/`: merge, then swap in all at once.

For every page three texts meet: the base (what the generator last wrote, kept under
`.generator/pages/`), ours (the page on disk, maybe edited by hand) and theirs (the new
rendering). Bytes are compared first, so an untouched page is never parsed; only a page both
the curator and the generator changed goes through `merge.merge_page`.

Writes are all-or-nothing. `plan` computes every file's new text in memory (any error stops
the run with nothing written); `apply` stages the files under `.generator/txn/`, then writes
the journal `.generator/txn/journal.json` (the commit point), then renames each staged file
into place. A run killed before the journal exists leaves docs/ as it was (the staging folder
is discarded by the next run); one killed after it is finished by the next run (`recover`),
which replays the journal. A lock (`.generator/lock`) refuses a second concurrent run.

For the kill test only, GENERATOR_TEST_SLOW_APPLY=<seconds> sleeps before each rename.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from generator.errors import UserError
from generator.merge import merge_page, split_page
from generator.state import Disk, StatePaths


@dataclass(frozen=True)
class Conflict:
    """A field (or the body) both the curator and the generator changed: the curator's is kept."""

    page: str  # docs-relative path
    field: str  # front-matter field name, or "body"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    merged: list[str] = field(default_factory=list)  # hand-edited pages that also took new data
    kept: list[str] = field(default_factory=list)  # edited by hand, nothing new for them (or no state)
    removed: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class Plan:
    """Every change a run makes, as absolute path -> new text (None: delete)."""

    changes: dict[Path, str | None] = field(default_factory=dict)
    report: WriteReport = field(default_factory=WriteReport)


def plan(
    docs: Path,
    state: StatePaths,
    pages: Mapping[str, str],
    state_files: Mapping[str, str] = {},
    moves: Mapping[str, str] = {},
    disk: Disk | None = None,
) -> Plan:
    """What docs/ and the state must become. Reads only; nothing is written."""
    _read = (disk or Disk()).text
    result = Plan()
    report, changes = result.report, result.changes
    for rel in sorted(pages):
        new, src = pages[rel], moves.get(rel, rel)
        current, base = _read(docs / src), _read(state.pages / src)
        text: str | None = new
        if current == new:
            text = None
            report.unchanged += 1
        elif current is None or current == base:
            pass
        elif base is None or base == new:
            text = None  # no state: a hand-made page; or nothing new for an edited page
            report.kept.append(rel)
            split_page(current, f"{docs.as_posix()}/{src}")  # refuse front matter MkDocs would show as text
        else:
            merged = merge_page(base, current, new, f"{docs.as_posix()}/{src}")
            report.merged.append(rel)
            report.conflicts.extend(Conflict(rel, name) for name in merged.conflicts)
            text = merged.text if merged.text != current else None
        if src != rel:
            text = text if text is not None else current
            changes[docs / src] = None
            changes[state.pages / src] = None
        if text is not None:
            changes[docs / rel] = text
            report.written.append(rel)
        if base != new or src != rel:
            changes[state.pages / rel] = new
    gone = set(moves.values())
    for rel in relative_files(state.pages):
        if rel in pages or rel in gone:
            continue
        last = state.pages / rel
        current = _read(docs / rel)
        if current == _read(last):
            changes[docs / rel] = None
            report.removed.append(rel)
        elif current is not None:
            report.kept.append(rel)
        changes[last] = None
    for name, text in state_files.items():
        if _read(state.root / name) != text:
            changes[state.root / name] = text
    return result


def relative_files(folder: Path, skip_folder: str | None = None) -> list[str]:
    """Every file under `folder` as a sorted relative POSIX path, leaving out folders named
    `skip_folder`; os.walk, unlike rglob, stats no file, and plain strings keep this fast
    for 10,000 pages."""
    found: list[str] = []
    for root, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if f != skip_folder]
        prefix = Path(root).relative_to(folder).as_posix()
        found.extend(name if prefix == "." else f"{prefix}/{name}" for name in names)
    return sorted(found)


@contextmanager
def locked(state: StatePaths) -> Iterator[None]:
    """One run at a time: a second one stops at once with a message, it never waits."""
    state.root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(state.lock, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UserError(
            f"another generator run is in progress (it holds {state.lock}); "
            "wait for it to finish, then run again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def apply(state: StatePaths, changes: Mapping[Path, str | None]) -> None:
    """Stage every file, commit the journal, then move each into place (see module docstring).

    Durability costs one `os.sync()` before the commit point, not one fsync per file: at
    10,000 pages (20,000 files with the state copies) per-file fsyncs took ~6 s, the single
    sync well under one. Either way every staged byte is on disk before the journal names it.
    """
    if not changes:
        return
    txn = state.txn
    shutil.rmtree(txn, ignore_errors=True)
    (txn / "files").mkdir(parents=True)
    ops: list[tuple[str | None, str]] = []
    for n, (target, text) in enumerate(sorted(changes.items())):
        staged = None
        if text is not None:
            staged = str(n)
            with open(txn / "files" / staged, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        ops.append((staged, os.path.abspath(target)))
    os.sync()  # every staged file durable before the journal exists
    journal = txn / "journal.json"
    (txn / "journal.tmp").write_text(json.dumps(ops), encoding="utf-8")
    os.replace(txn / "journal.tmp", journal)  # the commit point
    _fsync_dir(txn)
    _replay(txn)


def _replay(txn: Path) -> None:
    slow = float(os.environ.get("GENERATOR_TEST_SLOW_APPLY", "0"))
    ops = json.loads((txn / "journal.json").read_text(encoding="utf-8"))
    root = Path(os.path.abspath(txn.parent))  # as the journal's targets (`apply`)
    files = txn / "files"
    made: set[str] = set()  # folders known to exist: one mkdir per folder, not per file
    for staged, target in ops:
        if slow:
            time.sleep(slow)
        if staged is None:
            path = Path(target)
            path.unlink(missing_ok=True)
            _prune(path.parent, root)
            made.clear()  # pruning may have removed a folder noted above
            continue
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        if (files / staged).exists():  # else: already renamed before a kill
            os.replace(files / staged, target)
    shutil.rmtree(txn)


def _prune(folder: Path, root: Path) -> None:
    """Remove folders a deletion left empty inside the state folder (never in docs/)."""
    try:
        while root in folder.parents and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError:
        pass


def recover(state: StatePaths) -> bool:
    """Finish (journal present) or discard (no journal) what a killed run left. True if any."""
    if not state.txn.exists():
        return False
    if (state.txn / "journal.json").exists():
        _replay(state.txn)
    else:
        shutil.rmtree(state.txn)
    return True


def interrupted(state: StatePaths) -> bool:
    return state.txn.exists()

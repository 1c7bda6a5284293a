"""Writes that are all-or-nothing, one run at a time: the only code that changes docs/ and
`.generator/`.

`apply` stages the files under `.generator/txn/`, then writes the journal
`.generator/txn/journal.json` (the commit point), then renames each staged file into place.
A run killed before the journal exists leaves docs/ as it was (the staging folder is
discarded by the next run); one killed after it is finished by the next run (`recover`),
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
from pathlib import Path

from filelock import FileLock, Timeout

from generator.errors import UserError
from generator.write.state import StatePaths


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


def apply(state: StatePaths, changes: Mapping[Path, str | None]) -> dict[Path, tuple[int, int]]:
    """Check, stage every file, commit the journal, then move each into place (see the module
    docstring). A fault before the commit point leaves everything as it was; a fault after it
    leaves the journal, and the next run finishes the writes.

    Returns each written file's (size, mtime_ns) as staged, which a rename keeps: the stat that
    says the file still holds what this run wrote (`Disk.wrote`).

    Durability costs one `os.sync()` before the commit point, not one fsync per file: at
    10,000 pages (20,000 files with the state copies) per-file fsyncs took ~6 s, the single
    sync well under one. Either way every staged byte is on disk before the journal names it.
    """
    if not changes:
        return {}
    txn = state.txn
    shutil.rmtree(txn, ignore_errors=True)
    # docs/ first, the state's copies after: a run stopped between the two leaves pages that
    # are already what the generator writes (unchanged next time), never copies that claim a
    # page the generator did not write (which would look like a hand edit).
    order = sorted(changes, key=lambda path: (state.root in path.parents, path))
    try:
        (txn / "files").mkdir(parents=True)
        check_writable(order, txn)
    except (OSError, UserError):
        shutil.rmtree(txn, ignore_errors=True)
        raise
    stats: dict[Path, tuple[int, int]] = {}
    try:
        ops: list[tuple[str | None, str]] = []
        for n, target in enumerate(order):
            text, staged = changes[target], None
            if text is not None:
                staged = str(n)
                with open(txn / "files" / staged, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
                    handle.flush()
                    written = os.fstat(handle.fileno())
                stats[target] = (written.st_size, written.st_mtime_ns)
            ops.append((staged, os.path.abspath(target)))
        os.sync()  # every staged file durable before the journal exists
        (txn / "journal.tmp").write_text(json.dumps(ops), encoding="utf-8")
    except OSError as error:
        shutil.rmtree(txn, ignore_errors=True)
        where = error.filename or txn
        raise UserError(f"{where}: cannot write ({error.strerror or error}); nothing was changed: "
                        "fix the cause (permissions, disk space), then run again") from None
    os.replace(txn / "journal.tmp", txn / "journal.json")  # the commit point
    _fsync_dir(txn)
    _replay(txn)
    return stats


def check_writable(targets: list[Path], txn: Path) -> None:
    """Refuse, before anything is written, a write that cannot complete: a file where a folder
    must be, a folder where a file must be, a folder that cannot be written, or a target on
    another file system than the state folder (a rename cannot cross it)."""
    device = os.stat(txn).st_dev
    seen: set[Path] = set()
    for target in targets:
        if target.is_dir():
            raise _fault(target, "is a folder where the generator writes a file: move it away")
        folder = target.parent
        if folder in seen:
            continue
        seen.add(folder)
        existing = folder
        while not existing.exists():
            existing = existing.parent
        if not existing.is_dir():
            raise _fault(existing, f"is a file where the folder of {target.name} must be: move it away")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise _fault(existing, "is read-only: make it writable")
        if os.stat(existing).st_dev != device:
            raise _fault(existing, f"is on another file system than {txn.parent}: keep docs/ and the state together")


def _fault(path: Path, problem: str) -> UserError:
    return UserError(f"{path} {problem}, then run again (nothing was changed)")


def _replay(txn: Path) -> None:
    """Move every staged file into place, in the journal's order; a kill or a fault leaves the
    journal for the next run. Replaying twice is harmless: a file already moved is skipped."""
    slow = float(os.environ.get("GENERATOR_TEST_SLOW_APPLY", "0"))
    ops = json.loads((txn / "journal.json").read_text(encoding="utf-8"))
    root = Path(os.path.abspath(txn.parent))  # as the journal's targets (`apply`)
    files = txn / "files"
    made: set[str] = set()  # folders known to exist: one mkdir per folder, not per file
    done = 0
    try:
        for staged, target in ops:
            if slow:
                time.sleep(slow)
            if staged is None:
                path = Path(target)
                path.unlink(missing_ok=True)
                _prune(path.parent, root)
                made.clear()  # pruning may have removed a folder noted above
            else:
                parent = os.path.dirname(target)
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                if (files / staged).exists():  # else: already renamed before a kill
                    os.replace(files / staged, target)
            done += 1
    except OSError as error:
        raise UserError(
            f"{error.filename or txn}: cannot write ({error.strerror or error}) after {done} of {len(ops)} "
            f"changes of this run were made; the rest are kept in {txn}: fix the cause (permissions, "
            "disk space), then run build again, which finishes them first"
        ) from None
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

"""The no-op fast path: skip every stage when nothing a run reads has changed since a no-op run.

A build is a pure function of its inputs: the digests, topics.yml, site.yml, the pages in
docs/, the state in `.generator/`, the generator's own code and templates, and the versions
of the libraries and Python that run it. `fingerprint` hashes all of them (contents and
names, never times). Each run records, in `.generator/fingerprint.json` (ignored by git: it
is a cache, not state), the hash of what it leaves behind and the summary a run over exactly
those inputs reports (a run that wrote pages plans them again to know it: build.remember_noop);
a later run with the same hash would compute the same plan, so it reports that summary without
reading, ranking or rendering anything. Any changed byte anywhere changes the hash and the
run does all the work. `generator check` never uses the recorded summary (only the stats below).

The record also keeps each file's size, mtime and hash (`Stats`), as git's index does: the next
fingerprint hashes again only files whose size or mtime changed, or whose mtime is too close to
when the record was taken to tell a later write apart (a no-op run at 10,000 papers then stats
files instead of reading 60 MB). A hash is recorded only with the stat the file had when it was
read or written (`Disk.known_stat`), so a file edited during a run is hashed again. The same
stats let a run that must compute compare a page with its generated copy unread (`Disk.same`):
a page whose size and mtime_ns are those the record holds is the bytes it held then. An edit
changes the mtime (git checkout and editors set it to now; cp -a and tar copy the source's,
which is another file's unless it is a copy of this very page); a file rewritten with its old
size and its old mtime set back by hand would go unseen: delete fingerprint.json after doing that.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from generator.versions import installed_versions
from generator.write.state import Disk, relative_files

NAME = "fingerprint.json"
LIBRARIES = ("jinja2", "pyyaml", "numpy", "scipy", "matplotlib", "markupsafe")
EMBEDDINGS = "embeddings.npz"  # the papers' embeddings by content hash (generator/curate/embed.py)
TOPICS_CACHE = "topics-cache.json"  # the papers' topics as the model ranked them (generator/curate/topic_cache.py)
DIGESTS_CACHE = "digests-cache.json"  # the digests as the reader read them (generator/read/cache.py)
# In the state folder: the caches (a lost one is recomputed, the same) and the run lock.
RELATED_CACHE = "related-cache.npz"  # the candidate search and reasons (generator/curate/related_cache.py)
SKIPPED = {NAME, f"{NAME}.tmp", "lock", EMBEDDINGS, "embeddings.tmp.npz", TOPICS_CACHE, f"{TOPICS_CACHE}.tmp",
           DIGESTS_CACHE, f"{DIGESTS_CACHE}.tmp", RELATED_CACHE, f"{RELATED_CACHE}.tmp"}
RACY_NS = 500_000_000  # a file whose mtime is this close to the record's time is hashed again


class Stats:
    """Size, mtime and hash of the files a fingerprint hashed: the last record's, and this one's."""

    def __init__(self, previous: dict[str, list[Any]] | None = None, taken_ns: int = 0) -> None:
        self.previous = previous or {}
        self.previous_ns = taken_ns
        self.taken_ns = time.time_ns()
        self.seen: dict[str, list[Any]] = {}
        self.unchanged: dict[str, tuple[int, bytes]] = {}  # the files `known` vouched for
        self.hashed_count = 0  # files read because the record could not vouch for them

    def known(self, path: Path) -> tuple[int, bytes] | None:
        """(size, sha256) of a file unchanged since the record, else None (and its stat noted)."""
        try:
            st = path.stat()
        except OSError:
            return None
        name = path.as_posix()
        old = self.previous.get(name)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns and st.st_mtime_ns < self.previous_ns - RACY_NS:
            self.seen[name] = old
            found = self.unchanged[name] = st.st_size, bytes.fromhex(old[2])
            return found
        self.seen[name] = [st.st_size, st.st_mtime_ns, ""]
        return None

    def vouched(self, path: Path) -> tuple[int, bytes] | None:
        """(size, sha256) of a file `known` found unchanged since the record, else None: what a
        run that computes may take as the file's hash unread (`Disk.trusted`)."""
        return self.unchanged.get(path.as_posix())

    def hashed(self, path: Path, found: tuple[int, bytes], when: tuple[int, int] | None) -> None:
        """Keep the hash of a file `known` could not vouch for: only if `when`, its (size,
        mtime_ns) when the hash was taken (`Disk.known_stat`), is its stat now. A file written
        since (a curator's edit during the run) is hashed again by the next run."""
        self.hashed_count += 1
        entry = self.seen.get(path.as_posix())
        if entry is not None and entry[0] == found[0] and when == (entry[0], entry[1]):
            entry[2] = found[1].hex()

    def data(self) -> dict[str, Any]:
        return {"taken_ns": self.taken_ns, "files": {k: v for k, v in self.seen.items() if v[2]}}


def fingerprint(
    *, code: Path, files: tuple[Path, ...], folders: tuple[Path, ...], state: Path, disk: Disk | None = None,
    stats: Stats | None = None,
) -> str:
    """sha256 of every input of a run: `files`, every file under `folders` and `state`
    (except the cache and the lock), the generator's code folder, and library versions.
    Files are hashed through `disk`, which keeps each file's hash for the rest of the run, unless
    `stats` knows them unchanged."""
    disk = disk or Disk()
    stats = stats or Stats()
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for name, version in installed_versions(LIBRARIES):
        digest.update(f"\0lib {name} {version}".encode())
    for path in files:
        _add_file(digest, disk, stats, path)
    for folder in (*folders, code):
        _add_folder(digest, disk, stats, folder, skip=set())
    _add_folder(digest, disk, stats, state, skip=SKIPPED)
    return digest.hexdigest()


def _add_file(digest: Any, disk: Disk, stats: Stats, path: Path, label: str | None = None) -> None:
    """The file's name, size and own sha256 (the hash of hashes changes with any byte)."""
    digest.update(f"\0file {label or path.as_posix()}\0".encode())
    found = stats.known(path)
    if found is None:
        found = disk.hash(path)
        if found is not None:
            stats.hashed(path, found, disk.known_stat(path))
    if found is None:
        digest.update(b"\0missing")
        return
    size, file_hash = found
    digest.update(size.to_bytes(8, "big"))
    digest.update(file_hash)


def _add_folder(digest: Any, disk: Disk, stats: Stats, folder: Path, skip: set[str]) -> None:
    digest.update(f"\0folder {folder.as_posix()}\0".encode())
    for rel in relative_files(folder, skip_folder="__pycache__"):
        if rel in skip:
            continue
        _add_file(digest, disk, stats, folder / rel, label=rel)  # not Disk.under: a no-op run looks each up once


class Record:
    """`fingerprint.json` for one run: parsed once however often the run asks (it is ~15 MB at
    30,000 papers, and a run asked for it six times), and written whole when a part changes.

    It holds the no-op record (`fingerprint`, `summary`, `stats`: `summary` and `remember`) and
    what the last run rendered (`render`: `render` and `remember_render`)."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self._data: dict[str, Any] | None = None

    def _record(self) -> dict[str, Any]:
        if self._data is None:
            self._data = _read(self.state)
        return self._data

    def stats(self) -> Stats:
        """The file stats of the last record (none if there is no usable record)."""
        try:
            data = self._record()["stats"]
            return Stats(dict(data["files"]), int(data["taken_ns"]))
        except (KeyError, TypeError, ValueError):
            return Stats()

    def summary(self, key: str) -> dict[str, Any] | None:
        """The summary recorded for `key` by a run that wrote nothing, or None."""
        data = self._record()
        if data.get("fingerprint") != key or not isinstance(data.get("summary"), dict):
            return None
        summary: dict[str, Any] = data["summary"]
        return summary

    def remember(
        self, key: str, summary: dict[str, Any], stats: Stats | None = None, render: dict[str, Any] | None = None
    ) -> None:
        """Record a no-op run's summary under its inputs' fingerprint, with the stats of the files it
        hashed, and (if given) what this run rendered (best effort: only a cache)."""
        record = {"fingerprint": key, "summary": summary, "stats": stats.data() if stats else {},
                  "render": render if render is not None else self.render()}
        self._data = record
        _write(self.state, record)

    def render(self) -> dict[str, Any]:
        """What the last run rendered: {"code": hash, "pages": {page: [render key, text hash]}}."""
        render = self._record().get("render")
        return render if isinstance(render, dict) else {}

    def remember_render(self, render: dict[str, Any]) -> None:
        """Record what this run rendered, keeping the no-op record (best effort: only a cache)."""
        record = {**self._record(), "render": render}
        self._data = record
        _write(self.state, record)


def _read(state: Path) -> dict[str, Any]:
    try:
        data = json.loads((state / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(state: Path, record: dict[str, Any]) -> None:
    text = json.dumps(record, sort_keys=True) + "\n"
    temporary = state / f"{NAME}.tmp"
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, state / NAME)
    except OSError:
        pass

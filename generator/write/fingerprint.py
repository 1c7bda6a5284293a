"""The no-op fast path: skip every stage when nothing a run reads has changed since a no-op run.

A build is a pure function of its inputs: the digests, topics.yml, site.yml, the pages in
docs/, the state in `.generator/`, the generator's own code and templates, and the versions
of the libraries and Python that run it. `fingerprint` hashes all of them (contents and
names, never times). Each run records, in `.generator/fingerprint.json` (ignored by git: it
is a cache, not state), the hash of what it leaves behind and the summary a run over exactly
those inputs reports (a run that wrote pages plans them again to know it: build.remember_noop);
a later run with the same hash would compute the same plan, so it reports that summary without
reading, ranking or rendering anything. Any changed byte anywhere changes the hash and the
run does all the work. `generator check` never uses the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.write.state import Disk, relative_files

NAME = "fingerprint.json"
LIBRARIES = ("jinja2", "pyyaml", "numpy", "scipy", "matplotlib", "markupsafe")
EMBEDDINGS = "embeddings.npz"  # the papers' embeddings by content hash (generator/curate/embed.py)
# In the state folder: the caches (a lost one is recomputed, the same) and the run lock.
SKIPPED = {NAME, f"{NAME}.tmp", "lock", EMBEDDINGS, "embeddings.tmp.npz"}


def fingerprint(
    *, code: Path, files: tuple[Path, ...], folders: tuple[Path, ...], state: Path, disk: Disk | None = None
) -> str:
    """sha256 of every input of a run: `files`, every file under `folders` and `state`
    (except the cache and the lock), the generator's code folder, and library versions.
    Files are hashed through `disk`, which keeps each file's hash for the rest of the run."""
    disk = disk or Disk()
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"\0lib {name} {version}".encode())
    for path in files:
        _add_file(digest, disk, path)
    for folder in (*folders, code):
        _add_folder(digest, disk, folder, skip=set())
    _add_folder(digest, disk, state, skip=SKIPPED)
    return digest.hexdigest()


def _add_file(digest: Any, disk: Disk, path: Path, label: str | None = None) -> None:
    """The file's name, size and own sha256 (the hash of hashes changes with any byte)."""
    digest.update(f"\0file {label or path.as_posix()}\0".encode())
    found = disk.hash(path)
    if found is None:
        digest.update(b"\0missing")
        return
    size, file_hash = found
    digest.update(size.to_bytes(8, "big"))
    digest.update(file_hash)


def _add_folder(digest: Any, disk: Disk, folder: Path, skip: set[str]) -> None:
    digest.update(f"\0folder {folder.as_posix()}\0".encode())
    for rel in relative_files(folder, skip_folder="__pycache__"):
        if rel in skip:
            continue
        _add_file(digest, disk, folder / rel, label=rel)


def load(state: Path, key: str) -> dict[str, Any] | None:
    """The summary recorded for `key` by a run that wrote nothing, or None."""
    try:
        data = json.loads((state / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != key or not isinstance(data.get("summary"), dict):
        return None
    summary: dict[str, Any] = data["summary"]
    return summary


def remember(state: Path, key: str, summary: dict[str, Any]) -> None:
    """Record a no-op run's summary under its inputs' fingerprint (best effort: only a cache)."""
    text = json.dumps({"fingerprint": key, "summary": summary}, sort_keys=True) + "\n"
    temporary = state / f"{NAME}.tmp"
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, state / NAME)
    except OSError:
        pass

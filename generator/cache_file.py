"""Writing the generator's cache files (`.generator/`): whole or not at all, never an error.

Every cache only makes a run faster, so a file that cannot be written costs the next run
time, nothing else; a half-written file is never left where a run reads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then move it over `path`; on OSError, nothing."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def add_code(digest: Any, package: Path, shared: Iterable[Path]) -> None:
    """Add to `digest` every file of a generator package (`package`: generator/read/, generator/curate/)
    and of the modules it imports from outside it (`shared`), each under its name: what a cache's
    entries were computed by, so that a change to any of them makes the cache another's."""
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    labelled = [(f"{package.name}/{p.relative_to(package).as_posix()}", p) for p in files]
    for label, path in labelled + [(p.name, p) for p in shared]:
        digest.update(f"\0file {label}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def write_checksummed(path: Path, header: Mapping[str, Any], body: bytes) -> None:
    """One JSON header line (`header` and the body's "sha256"), then the body."""
    line = json.dumps({**header, "sha256": hashlib.sha256(body).hexdigest()})
    write_atomically(path, line.encode("ascii") + b"\n" + body)

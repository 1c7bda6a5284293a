"""What the generator remembers between runs (`.generator/`), and how a run reads files.

- `pages/<rel>`: the text the generator last wrote for each page: the merge base.
- `slugs.json`: title key -> slug of every paper ever published, so a URL never changes.
- `redirects.json`: old page -> new page for slugs a curator changed (read by the site
  plugin, generator/site/, which hands it to mkdocs-redirects).
- `digest-dates.json`: the date of every digest whose date the reader inferred (no year, or
  no date), with the day it was first built, so every later run and clone gives the same one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import UserError


@dataclass(frozen=True)
class StatePaths:
    root: Path  # .generator

    @property
    def pages(self) -> Path:
        return self.root / "pages"

    @property
    def slugs(self) -> Path:
        return self.root / "slugs.json"

    @property
    def redirects(self) -> Path:
        return self.root / "redirects.json"

    @property
    def txn(self) -> Path:
        return self.root / "txn"

    @property
    def lock(self) -> Path:
        return self.root / "lock"


_WAY_OUT = "restore it from git, or delete it: the next build rebuilds it from the pages in docs/"


def dump_json(mapping: Mapping[str, str]) -> str:
    """Deterministic JSON for state files: sorted keys, one entry a line, ASCII only."""
    return json.dumps(dict(sorted(mapping.items())), indent=1, ensure_ascii=True) + "\n"


def dump_data(mapping: Mapping[str, Any]) -> str:
    """Deterministic JSON for a state file of records: sorted keys, indented, ASCII only."""
    return json.dumps(mapping, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def load_data(path: Path, disk: Disk) -> dict[str, Any]:
    """A state file of records (a JSON object), read through the run's `disk`; {} if none."""
    text = disk.text(path)
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except ValueError as error:
        raise UserError(f"{path}: not valid JSON ({error}); restore it from git") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a JSON object; restore it from git")
    return data


def load_json(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as error:
        raise UserError(f"{path}: not valid JSON ({error}); {_WAY_OUT}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise UserError(f"{path}: expected a JSON object of text to text; {_WAY_OUT}")
    return data


class Disk:
    """The files one run reads, each read once: the fingerprint, the overrides, the plan and,
    after writing, the plan again and the fingerprint again (build.remember_noop) share them.

    Each file read keeps its text as MkDocs reads it (UTF-8 with a byte-order mark removed,
    universal newlines: a page saved by a Windows editor means the same to both) and the size
    and sha256 of its bytes, both from one read, so the fingerprint recorded
    after a run describes exactly the files its plan saw. `hash` alone keeps no text: the
    fingerprint of every input, taken before any work, holds no page in memory.

    A file's hash may also be known without reading it: the last record vouches for a file whose
    size and mtime it holds (`trusted`, fingerprint.py). Two files known to hold the same bytes
    are then `same` unread: a page nobody touched since the generator wrote it is compared with
    its generated copy by stat alone, and its text, when needed, is the copy's (`text_via`). Each
    hash is kept with the file's (size, mtime_ns) when it became known (`known_stat`), so that a
    record vouches for a file only as it was when read or written, never as it was later edited.
    """

    def __init__(self) -> None:
        self._texts: dict[Path, str | None] = {}
        self._hashes: dict[Path, tuple[int, bytes] | None] = {}
        self._stats: dict[Path, tuple[int, int]] = {}  # (size, mtime_ns) when the hash became known
        self._paths: dict[Path, dict[str, Path]] = {}
        # (size, sha256) of a file the last record vouches for, asked only when comparing (`same`)
        self.trusted: Callable[[Path], tuple[int, bytes] | None] | None = None

    def under(self, folder: Path) -> Callable[[str], Path]:
        """`rel -> folder / rel`, one Path object per file for the whole run. A run looks each of
        60,000 files up a dozen times; a new Path each time cost ~5 s at 30,000 papers (parsed,
        then hashed: a Path hashes itself in Python once per object)."""
        made = self._paths.setdefault(folder, {})

        def join(rel: str) -> Path:
            path = made.get(rel)
            if path is None:
                path = made[rel] = folder / rel
            return path

        return join

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            raw = self._read(path)
            self._texts[path] = None if raw is None else _decode(path, raw)
        return self._texts[path]

    def hash(self, path: Path) -> tuple[int, bytes] | None:
        """(size, sha256) of the file's bytes, None if it does not exist."""
        if path not in self._hashes:
            self._read(path)
        return self._hashes[path]

    def same(self, path: Path, twin: Path) -> bool:
        """Both files exist and hold the same bytes, as known without reading them (False: unknown)."""
        first = self._known(path)
        return first is not None and first == self._known(twin)

    def text_via(self, path: Path, twin: Path) -> str | None:
        """The file's text, read from `twin` if the two are known to hold the same bytes."""
        if self.same(path, twin) and (text := self.text(twin)) is not None:
            return text
        return self.text(path)

    def known_stat(self, path: Path) -> tuple[int, int] | None:
        """(size, mtime_ns) of the file when its hash became known, None if unknown."""
        return self._stats.get(path)

    def _known(self, path: Path) -> tuple[int, bytes] | None:
        if path not in self._hashes and self.trusted is not None and (found := self.trusted(path)) is not None:
            self._hashes[path] = found
        return self._hashes.get(path)

    def _read(self, path: Path) -> bytes | None:
        try:
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())  # before the read: a later write changes the mtime
                raw = handle.read()
        except (FileNotFoundError, NotADirectoryError):  # a file where a folder should be: the write check says so
            self._hashes[path] = None
            self._stats.pop(path, None)
            return None
        except IsADirectoryError:
            raise UserError(f"{path}: a folder where the generator keeps a file: move it, then run again") from None
        except PermissionError as error:
            raise UserError(f"{path}: cannot be read ({error.strerror}): fix its permissions, then run again") from None
        self._hashes[path] = _size_and_hash(raw)
        self._stats[path] = (stat.st_size, stat.st_mtime_ns)
        return raw

    def wrote(self, changes: Mapping[Path, str | None], stats: Mapping[Path, tuple[int, int]] | None = None) -> None:
        """What `write.apply` just wrote (None: deleted), as a read would now find it; `stats` are
        the written files' (size, mtime_ns) as `apply` left them.

        A text with a carriage return is read back differently, so it is read again if asked.
        """
        for path, text in changes.items():
            self._hashes[path] = None if text is None else _size_and_hash(text.encode("utf-8"))
            stat = (stats or {}).get(path)
            if stat is None:
                self._stats.pop(path, None)
            else:
                self._stats[path] = stat
            if text is not None and "\r" in text:
                self._texts.pop(path, None)
            else:
                self._texts[path] = text


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UserError(f"{path}:{line}: not UTF-8 text (byte {raw[error.start]:#04x}): save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _size_and_hash(raw: bytes) -> tuple[int, bytes]:
    return len(raw), hashlib.sha256(raw).digest()


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

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
from collections.abc import Mapping
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
    """

    def __init__(self) -> None:
        self._texts: dict[Path, str | None] = {}
        self._hashes: dict[Path, tuple[int, bytes] | None] = {}

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

    def _read(self, path: Path) -> bytes | None:
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # a file where a folder should be: the write check says so
            self._hashes[path] = None
            return None
        except IsADirectoryError:
            raise UserError(f"{path}: a folder where the generator keeps a file: move it, then run again") from None
        except PermissionError as error:
            raise UserError(f"{path}: cannot be read ({error.strerror}): fix its permissions, then run again") from None
        self._hashes[path] = _size_and_hash(raw)
        return raw

    def wrote(self, changes: Mapping[Path, str | None]) -> None:
        """What `write.apply` just wrote (None: deleted), as a read would now find it.

        A text with a carriage return is read back differently, so it is read again if asked.
        """
        for path, text in changes.items():
            self._hashes[path] = None if text is None else _size_and_hash(text.encode("utf-8"))
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

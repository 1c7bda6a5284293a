"""Digests read before, cached: a run parses only the digest files it has not read in this form.

Reading a digest is a pure function of the file's bytes, its name, the settings the reader
uses (the boilerplate lines, the digest's `site.yml` date and its line), the date recorded for
it in the state, and the reader's own code. At 30,000 papers parsing all 600 digests again took
~4 s of every run that a new digest makes compute. So each `Digest` read is kept, under a hash
of all of those (`entry_key`), in a file stamped with a hash of the reader's code and Python's
version (`code_key`); a file made under another stamp is ignored whole.

What is not cached: a digest whose reading asked the day it was first built (`first_built`: its
first git commit, else the day of the run). That day is known only by asking git (or the clock),
it is not recorded yet, and the write stage records it from this run's reading; a later run
reads it with the record, under another key. A digest the reader refuses is not cached either:
the error is raised every time.

The file (`.generator/digests-cache.json`, git-ignored, skipped by the fingerprint, like
topics-cache.json) is one header line, `{"format", "key", "sha256" of the rest}`, then one line
per digest: its entry key, a tab, the digest as JSON data (a line per digest: a run decodes
only the entries it uses and writes the others back as they were). JSON, not pickle: the state
folder sits in the repository, and a pickle someone commits there would run code. A file that
cannot be read, is not that, or whose body does not match its checksum is ignored and written
again: the cache can only make a run faster, never change what it reads
(tests/test_read_cache.py). It holds the digests of the last build that read them; `check`
never writes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from generator.cache_file import add_code, write_checksummed
from generator.model import DateRecord, Digest, Listing, Notice
from generator.read.dates import FirstBuilt
from generator.read.digest import read_digest
from generator.read.digest import read_digests as read_all
from generator.settings import Settings

FORMAT = 1  # bump when what an entry holds changes
CODE = Path(__file__).parent  # generator/read/: the reader
# What the reader imports from outside generator/read/ (tests/test_read_cache.py checks the list).
SHARED = tuple(CODE.parent / name for name in ("model.py", "text.py", "settings.py", "errors.py", "cache_file.py"))


def read_digests(
    folder: Path,
    settings: Settings,
    recorded: Mapping[str, DateRecord] | None = None,
    first_built: FirstBuilt | None = None,
    *,
    cache: Path | None = None,
    save: bool = False,
) -> list[Digest]:
    """Every digest in the folder, as `digest.read_digests` reads them; with `cache` (a file in
    the state folder), digests read before under the same key are taken from it, and with
    `save` the file is written back (a check passes False: it writes nothing)."""
    if cache is None:
        return read_all(folder, settings, recorded, first_built)
    known = DigestCache(cache)
    digests = read_all(folder, settings, recorded, first_built, read=known.read)
    if save:
        known.save()
    return digests


def code_key() -> str:
    """A hash of the reader's code (every file of generator/read/ and the modules it imports),
    the format of an entry, and Python's version (its Unicode tables decide what a line is)."""
    digest = hashlib.sha256(f"digests-cache {FORMAT}\0python {sys.version}\0".encode())
    add_code(digest, CODE, SHARED)
    return digest.hexdigest()


def entry_key(path: Path, raw: bytes, settings: Settings, record: DateRecord | None) -> str:
    """A hash of everything besides the code that reading one digest depends on. The file's
    folder is not: it shows only in errors (never cached) and in `Digest.path`, which a cached
    digest takes from the file read now; so a copied or moved project keeps its cache."""
    name = path.stem
    day = settings.digest_dates.get(name)
    parts = [
        path.name,
        hashlib.sha256(raw).hexdigest(),
        sorted(settings.boilerplate),
        day.isoformat() if day is not None else None,
        settings.digest_date_lines.get(name),
        _record_data(record),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


class DigestCache:
    """Digests by entry key, for the reader's code as it is now (`code_key`).

    `read` has `digest.read_digest`'s signature: it answers from the file when it can and reads
    (and keeps) the digest otherwise; `save()` writes back the entries of the digests read
    since, if they differ from the file's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.key = code_key()
        self.known: dict[str, bytes] = self._load()
        self.used: dict[str, bytes] = {}
        self.computed = 0  # digests read from their files

    def read(
        self, path: Path, settings: Settings, recorded: Mapping[str, DateRecord], first_built: FirstBuilt
    ) -> Digest:
        raw = path.read_bytes()
        key = entry_key(path, raw, settings, recorded.get(path.stem))
        entry = self.known.get(key)
        if entry is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                found = digest_from_data(json.loads(entry), path)
                self.used[key] = entry
                return found
        asked, tracked = _tracked(first_built)
        digest = read_digest(path, settings, recorded, tracked, raw)  # the bytes the key hashed
        self.computed += 1
        if not asked:
            self.used[key] = json.dumps(digest_data(digest), separators=(",", ":"), ensure_ascii=False).encode()
        return digest

    def _load(self) -> dict[str, bytes]:
        """The file's entries; none if it is missing, unreadable, damaged or made for other code."""
        try:
            header, _, body = self.path.read_bytes().partition(b"\n")
            meta = json.loads(header)
        except (OSError, ValueError):
            return {}
        if meta != {"format": FORMAT, "key": self.key, "sha256": hashlib.sha256(body).hexdigest()}:
            return {}
        entries = [line.split(b"\t", 1) for line in body.split(b"\n")] if body else []
        if not all(len(entry) == 2 for entry in entries):
            return {}
        return {key.decode("ascii", errors="replace"): data for key, data in entries}

    def save(self) -> None:
        if not self.computed and self.used.keys() == self.known.keys():
            return  # the file already holds exactly these entries
        body = b"\n".join(key.encode("ascii") + b"\t" + self.used[key] for key in sorted(self.used))
        write_checksummed(self.path, {"format": FORMAT, "key": self.key}, body)


def _tracked(first_built: FirstBuilt) -> tuple[list[Path], FirstBuilt]:
    """`first_built`, noting every digest it is asked about (a reading that asked is not kept)."""
    asked: list[Path] = []

    def tracked(path: Path) -> tuple[date, str]:
        asked.append(path)
        return first_built(path)

    return asked, tracked


def digest_data(d: Digest) -> list[Any]:
    """A `Digest` as JSON data (its path aside: the key holds it), every field in order."""
    listings = [[x.title, x.abstract, x.line, x.author_count, _day(x.published), x.published_year_inferred,
                 x.upvotes] for x in d.listings]
    notices = [[n.line, n.text] for n in d.notices]
    return [d.id, d.date.isoformat(), d.date_source, listings, d.heading, d.layout, notices,
            _record_data(d.date_record), d.date_override]


def digest_from_data(data: list[Any], path: Path) -> Digest:
    """The `Digest` that `digest_data` made `data` from, read from `path`."""
    ident, day, source, listings, heading, layout, notices, record, override = data
    return Digest(
        id=ident, path=path, date=date.fromisoformat(day), date_source=source,
        listings=tuple(_listing(*x) for x in listings), heading=heading, layout=layout,
        notices=tuple(Notice(line, text) for line, text in notices),
        date_record=_record(record), date_override=override,
    )


def _listing(
    title: str, abstract: str, line: int, authors: int | None, published: str | None, inferred: bool,
    upvotes: int | None,
) -> Listing:
    """JSON gives back the types `digest_data` wrote (the file's checksum vouches for its body)."""
    return Listing(title, abstract, line, authors, _date(published), inferred, upvotes)


def _record_data(record: DateRecord | None) -> list[str] | None:
    return None if record is None else [record.day.isoformat(), record.first_built.isoformat(), record.how]


def _record(data: list[str] | None) -> DateRecord | None:
    return None if data is None else DateRecord(date.fromisoformat(data[0]), date.fromisoformat(data[1]), str(data[2]))


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


"""Incremental site builds: what the last build of site/ was made of, and what must be built again.

A page's HTML is a function of (1) its own Markdown, (2) what every page shares: the theme,
mkdocs.yml (its nav is fixed there and names every nav page's title), overrides/, the taxonomy
(topic chips), the redirects map, the plugin and templates (the generator's code) and the
library versions, and (3) what the plugin tells its templates about other pages, through its
lookups (`SiteBuild.lookup`, generator/site/related.py: `paper_title`, the titles of a paper
page's previous and next papers in its digest; `paper_facts`, the title, date and topics of
each related paper; `digest_neighbours`, the paper's place in its digest's order), and (4)
whether the pages its Markdown links to exist (MkDocs turns `x.md` into the page's URL, or
reports a broken link). Nothing else reaches a page from another page: paper pages are not in
the nav (their previous/next links come from `digest_neighbours`), the sitemap and the 404
page are rendered on every build, and Material's tags plugin renders no listing here.

So a build records (`Record`, in `.site-build.json` beside mkdocs.yml, git-ignored):
- `key`: a hash of (2), per part, so the next build names what changed; a different key,
  another engine or site folder, or no record at all means a full build;
- per file of docs/: its hash (and size and mtime, so an unchanged file is not read again),
  where its output went, and for a page whether it is hidden, every lookup its rendering made
  (`deps`: the lookup, its arguments, the page it read and a hash of the value it got), the pages its Markdown
  links to, its first digest and a hash of what search indexes.

The next build renders a page when its Markdown changed, when its output is missing, when a
lookup it made now gives another value (asked again only when the page the lookup reads
changed: a related or neighbouring paper renamed, re-dated, re-tagged, hidden, removed or
added, or its digest's order changed), or when a page it links to left
docs/ or became hidden; copies a static
file when it changed or is missing; and deletes the outputs of files that left docs/ (or
became hidden). `tests/test_incremental.py` compares such a build with a clean full build of
the same docs/, file by file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.versions import installed_versions

RECORD = ".site-build.json"  # beside mkdocs.yml; a cache, ignored by git
VERSION = 4
CODE = Path(__file__).resolve().parent.parent  # the generator package: the plugin, its helpers, templates
LIBRARIES = (
    "mkdocs", "properdocs", "mkdocs-material", "mkdocs-redirects", "jinja2", "markdown", "markupsafe",
    "pymdown-extensions", "pyyaml", "pagefind-bin",
)
# Parts of the project every page depends on, relative to mkdocs.yml's folder (a folder: all its files).
SHARED = ("mkdocs.yml", "overrides", "docs/assets", "topics.yml", ".generator/redirects.json")
RACY_NS = 500_000_000  # a file modified this close to when its stat was recorded is read again


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder_files(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            yield Path(dirpath, name)


def _hash_part(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        for file in _folder_files(path):
            digest.update(f"{file.relative_to(path).as_posix()}\0".encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    elif path.is_file():
        digest.update(path.read_bytes())
    else:
        digest.update(b"\0missing")
    return digest.hexdigest()


def site_key(root: Path, engine: str) -> dict[str, str]:
    """What every page depends on, part by part (see the module docstring)."""
    versions = [f"{name} {version}" for name, version in installed_versions(LIBRARIES)]
    parts = {name: _hash_part(root / name) for name in SHARED}
    parts["generator code"] = _hash_part(CODE)
    parts["libraries"] = file_hash(f"{sys.version}\n{chr(10).join(versions)}".encode())
    parts["engine"] = engine
    return parts


@dataclass(frozen=True)
class Entry:
    """One file of docs/ as the last build used it."""

    hash: str
    size: int
    mtime_ns: int
    dest: str  # its output, relative to the site folder
    page: bool = False  # a Markdown page (else a static file, copied)
    hidden: bool = False
    deps: tuple[str, ...] = ()  # its rendering's lookups: "name<US>arguments<US>page read<US>value hash"
    links: tuple[str, ...] = ()  # pages of docs/ its Markdown links to (a link to a page that left fails)
    first: str = ""  # paper pages: the first digest it appeared in (search shards follow it)
    body: str = ""  # paper pages: hash of what search indexes (title, authors and Markdown)
    facts: str = ""  # paper pages: the date and topics its search result shows (not indexed: they move)


@dataclass
class Record:
    """What a build of site/ was made of (RECORD)."""

    key: dict[str, str]
    site_dir: str
    stat_ns: int  # when the files' stats were taken
    files: dict[str, Entry] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)  # generator/search/shards.py's record

    @staticmethod
    def load(path: Path) -> Record | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                return None
            files = {
                src: Entry(**{**entry, "deps": tuple(entry.get("deps", ())), "links": tuple(entry.get("links", ()))})
                for src, entry in data["files"].items()
            }
            return Record(data["key"], data["site_dir"], data["stat_ns"], files, data.get("search", {}))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, path: Path) -> None:
        files = {}
        for src, entry in sorted(self.files.items()):
            data = vars(entry)  # not asdict(): it deep-copies every tuple (2.2 s for 32,000 entries)
            files[src] = {k: v for k, v in data.items() if v not in ((), "", None, False) or k in ("hash", "dest")}
        text = json.dumps(
            {"version": VERSION, "key": self.key, "site_dir": self.site_dir, "stat_ns": self.stat_ns,
             "files": files, "search": self.search},
            separators=(",", ":"), sort_keys=True,
        )
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)


def forget(path: Path) -> None:
    """No record: the next build is a full one (a build in progress, or site/ built another way)."""
    path.unlink(missing_ok=True)


def key_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    return [name for name in new if old.get(name) != new[name]] + [name for name in old if name not in new]


def full_build_reason(record: Record | None, key: Mapping[str, str], site_dir: Path, site_name: str) -> str | None:
    """Why the next build must be a full one, or None if it can be incremental."""
    if record is None:
        return "no record of a previous build (.site-build.json)"
    if not (site_dir / "index.html").is_file():
        return f"{site_name}/ is missing"
    if record.site_dir != site_name:
        return f"the record is of {record.site_dir}/, not {site_name}/"
    changed = key_changes(record.key, key)
    if changed:
        return "changed since the last build: " + ", ".join(changed)
    return None


def stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def known_hash(entry: Entry | None, stat: tuple[int, int] | None, record: Record) -> str | None:
    """The recorded hash of a file whose size and mtime are unchanged (and not racily close to
    when they were recorded); None: read the file."""
    if entry is None or stat is None or stat != (entry.size, entry.mtime_ns):
        return None
    if entry.mtime_ns >= record.stat_ns - RACY_NS:
        return None
    return entry.hash


def _stats(folder: str, prefix: str = "") -> Iterator[tuple[str, int, int]]:
    """(path relative to the folder, size, mtime) of every file under it: os.scandir and plain
    strings, ~10x faster than pathlib for 30,000 files."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                if entry.name != "__pycache__":
                    yield from _stats(entry.path, f"{prefix}{entry.name}/")
            else:
                st = entry.stat()
                yield f"{prefix}{entry.name}", st.st_size, st.st_mtime_ns


def docs_unchanged(docs: Path, record: Record) -> bool:
    """True when every file of docs/ is the one recorded (by name, size and mtime): nothing to
    build. Reads only files written too close to the record to trust their mtime."""
    seen = 0
    racy = record.stat_ns - RACY_NS
    for src, size, mtime in _stats(str(docs)):
        entry = record.files.get(src)
        if entry is None or entry.size != size or entry.mtime_ns != mtime:
            return False
        if mtime >= racy and file_hash((docs / src).read_bytes()) != entry.hash:
            return False  # written just before the record was made: its content decides
        seen += 1
    return seen == len(record.files)


@dataclass
class Plan:
    """What an incremental build does: pages to render, static files to copy, outputs to delete."""

    render: set[str] = field(default_factory=set)
    copy: set[str] = field(default_factory=set)
    delete: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)  # pages whose Markdown changed (or are new)
    by_lookup: set[str] = field(default_factory=set)  # unchanged pages that showed what changed elsewhere
    by_link: set[str] = field(default_factory=set)  # unchanged pages that link to a page that left
    missing: set[str] = field(default_factory=set)  # unchanged pages whose output was missing


def slug_of(src: str) -> str | None:
    if src.startswith("papers/") and src.endswith(".md") and src.count("/") == 1:
        return src[len("papers/") : -len(".md")]
    return None


def plan(
    record: Record, current: Mapping[str, Entry], theme_dests: Iterable[str], site_dir: Path,
    stale: Callable[[str, set[str]], bool],
) -> tuple[Plan, set[str]]:
    """Compare the files of this build (`current`, docs/ with hidden pages marked) with the
    record; `stale(dep, changed)` says whether a recorded lookup now gives another value (the
    pages in `changed` are those whose Markdown or visibility changed, or that came or went).
    Returns the plan and the theme files to copy (those whose output is missing)."""
    result = Plan()
    changed = {src for src, e in current.items() if (old := record.files.get(src)) is None
               or old.hash != e.hash or old.hidden != e.hidden}
    changed |= {src for src in record.files if src not in current}
    left = {src for src, e in record.files.items() if e.page and not e.hidden and (
        src not in current or current[src].hidden)}
    for src, entry in current.items():
        old = record.files.get(src)
        if entry.hidden:
            continue
        if not entry.page:
            if old is None or old.hash != entry.hash or not (site_dir / entry.dest).is_file():
                result.copy.add(src)
            continue
        if old is None or old.hash != entry.hash or old.hidden:
            result.changed.add(src)
        elif not (site_dir / entry.dest).is_file():
            result.missing.add(src)
        elif any(stale(dep, changed) for dep in old.deps):
            result.by_lookup.add(src)
        elif left.intersection(old.links):  # rendered again, MkDocs reports the broken link as a full build would
            result.by_link.add(src)
    result.render = result.changed | result.missing | result.by_lookup | result.by_link
    live = {e.dest for e in current.values() if not e.hidden}
    for src, old in record.files.items():
        now = current.get(src)
        if (now is None or now.hidden) and not old.hidden and old.dest not in live:
            result.delete.add(old.dest)
    themes = {dest for dest in theme_dests if not (site_dir / dest).is_file()}
    return result, themes


def carried(old: Entry | None, new: Entry) -> Entry:
    """A page not rendered in this build keeps what the last build learnt while rendering it."""
    if old is None:
        return new
    return replace(new, deps=old.deps, links=old.links, first=old.first or new.first, body=old.body or new.body,
                   facts=old.facts)


def now_ns() -> int:
    return time.time_ns()

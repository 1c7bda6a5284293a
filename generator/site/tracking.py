"""The plugin's side of incremental builds (generator/site/incremental.py says what is recorded).

`SiteBuild` is one per build. Left alone (a plain `mkdocs build` or `mkdocs serve`) it only takes
hidden pages out of the build, as the plugin always did, and a plain `mkdocs build` forgets the
record of site/ (it was made another way). `paper-digest site` (generator/publish.py) sets it
to record a full build, or to build incrementally against the last record: then it decides in
`files` which pages MkDocs renders and which files it copies (MkDocs asks `File.is_modified`,
which would compare mtimes; here the answer is the plan's), notes what each rendered page showed
of other pages (`tracked`), and after the build deletes the outputs of pages that left docs/.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from generator.site.incremental import (
    RECORD,
    Entry,
    Plan,
    Record,
    carried,
    file_hash,
    forget,
    known_hash,
    now_ns,
    plan,
    slug_of,
    stat_key,
)


def _decided(value: bool) -> Callable[[], bool]:
    return lambda: value


# What a paper page's search record is made of (overrides/paper.html, `data-pagefind-body`):
# its title, authors and abstract. Its shard is indexed again when any of these changes, and
# only then: a changed related list, digest history, date or topics (outside what Pagefind
# reads) re-indexes nothing. A paper listed again may gain a published date, and a curator may
# re-date or retag any older paper: each would re-index a whole big shard, so the date and the
# topics are kept out of the index; the search result shows them from small files written
# beside it (generator/search/shards.py), as `facts`.
SEARCHED = ("title", "authors")


def _searched(meta: Mapping[str, Any], markdown: str) -> str:
    fields = {name: meta.get(name) for name in SEARCHED}
    return json.dumps(fields, sort_keys=True, default=str) + "\0" + markdown


FACTS_JOIN = " · "  # between a search result's date and topics
SEP = "\x1f"  # between a dep's lookup name, arguments, the page it reads and its value's hash


def _dep(name: str, args: tuple[Any, ...], page: str | None, value: object) -> str:
    """A recorded lookup. The page it reads is kept in it, so the next build asks only a lookup
    whose page changed, without decoding its arguments (200,000 lookups at 30,000 papers)."""
    value_hash = hashlib.sha256(repr(value).encode()).hexdigest()[:16]
    return SEP.join((name, json.dumps(args, default=str), page or "", value_hash))


def _first_digest(meta: Mapping[str, Any]) -> str:
    """The earliest digest a paper page lists, as a sortable key ("2025-03-18-2" -> 2025-03-18 #2)."""
    found = []
    for value in meta.get("digests") or []:
        day, nth = str(value)[:10], str(value)[11:]
        found.append(f"{day}#{int(nth) if nth.isdigit() else 1:04d}")
    return min(found, default="")


class SiteBuild:
    """One build's side of the record: the files of docs/ as this build found them, what each
    rendered page looked up of other pages, and (incremental) the plan; see the module docstring."""

    def __init__(self) -> None:
        self.mode: str | None = None  # None (plain engine run), "full" or "incremental"
        self.previous: Record | None = None
        self.entries: dict[str, Entry] = {}
        self.plan = Plan()
        self.themes_copied: set[str] = set()
        self.deps: dict[str, set[str]] = {}
        self.read_pages: dict[str, tuple[str, str]] = {}  # src -> (first digest, body hash)
        self.facts: dict[str, str] = {}  # paper src -> the date and topics its search result shows
        self.links: dict[str, tuple[str, ...]] = {}  # src -> the pages its Markdown links to
        self.current: str | None = None
        self.lookups: dict[str, tuple[Callable[..., Any], Callable[..., str | None]]] = {}
        self.asked: dict[str, bool] = {}  # dep -> whether it is stale, asked once per build
        self.stat_ns = 0
        self.record: Record | None = None  # the new record, once the build finished

    def start(self, mode: str, previous: Record | None) -> None:
        """Set by `paper-digest site` before the build: record a full build, or build incrementally."""
        self.mode, self.previous = mode, previous

    def configured(self, command: str | None, root: Path) -> None:
        """A build begins (`mkdocs serve` runs several with one plugin): forget the last one's data
        (lookups are made again after this)."""
        mode, previous = self.mode, self.previous
        self.__init__()  # type: ignore[misc]
        self.mode, self.previous = mode, previous
        if self.mode is None and command == "build":
            forget(root / RECORD)  # site/ is rebuilt without a record: the next `paper-digest site` is full

    def files(self, files: Files, config: MkDocsConfig, is_hidden: Callable[[str], bool]) -> Files:
        """Take hidden pages out; when driven, hash docs/ and decide what to build."""
        docs = Path(config.docs_dir)
        site = Path(config.site_dir)
        self.stat_ns = now_ns()
        previous = self.previous if self.mode == "incremental" else None
        theme_dests: list[str] = []

        def hidden(src: str, text: str) -> bool:
            try:
                return is_hidden(text)
            except Exception as error:
                setattr(error, "src_uri", src)  # noqa: B010  (the plugin names the page)
                raise

        for file in list(files):
            if file.abs_src_path is None or not _inside(file.abs_src_path, docs):
                theme_dests.append(file.dest_uri)
                continue
            src = file.src_uri
            if self.mode is None:
                if file.is_documentation_page() and hidden(src, file.content_string):
                    files.remove(file)
                continue
            stat = stat_key(Path(file.abs_src_path))
            old = previous.files.get(src) if previous else None
            digest = known_hash(old, stat, previous) if previous else None
            content: str | None = None
            if digest is None:
                data = file.content_bytes
                digest = file_hash(data)
                # as MkDocs reads it (File.content_string): UTF-8 without a byte-order mark, universal newlines
                text = data.decode("utf-8-sig") if file.is_documentation_page() else None
                content = text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None
            size, mtime = stat or (0, 0)
            entry = Entry(digest, size, mtime, file.dest_uri, page=file.is_documentation_page())
            if entry.page:
                if content is None and old is not None and old.hash == digest:
                    entry = replace_entry(old, entry)
                else:
                    text = content if content is not None else file.content_string
                    entry = Entry(digest, size, mtime, file.dest_uri, page=True, hidden=hidden(src, text))
                if entry.hidden:
                    files.remove(file)
            self.entries[src] = entry
        if self.mode == "incremental" and previous is not None:
            self.plan, self.themes_copied = plan(previous, self.entries, theme_dests, site, self._stale)
            for file in files:
                src = file.src_uri
                if file.abs_src_path is None or not _inside(file.abs_src_path, docs):
                    file.is_modified = _decided(file.dest_uri in self.themes_copied)  # type: ignore[method-assign]
                elif file.is_documentation_page():
                    file.is_modified = _decided(src in self.plan.render)  # type: ignore[method-assign]
                else:
                    file.is_modified = _decided(src in self.plan.copy)  # type: ignore[method-assign]
        return files

    def read(self, src: str, meta: MutableMapping[str, Any], markdown: str) -> None:
        """A page was read: the pages it links to; for a paper, its first digest and a hash of what
        search indexes of it."""
        if self.mode is None:
            return
        self.links[src] = _linked(src, markdown)
        if slug_of(src) is None:
            return
        self.read_pages[src] = (_first_digest(meta), file_hash(_searched(meta, markdown).encode()))

    def shows_facts(self, src: str, facts: str) -> None:
        """A paper page is rendered with these search-result facts (written into the page too)."""
        if self.mode is not None and slug_of(src) is not None:
            self.facts[src] = facts

    def rendering(self, src: str | None) -> None:
        self.current = src
        if src is not None:
            self.deps[src] = set()

    def lookup(
        self, name: str, function: Callable[..., Any], source: Callable[..., str | None]
    ) -> Callable[..., Any]:
        """A Jinja global that tells a page about other pages, made trackable: the wrapper notes
        each call the page being rendered makes and a hash of what it got. `source(*args)` names
        the page of docs/ the value is read from: an incremental build asks the lookup again
        only when that page changed, and renders the page again if the value differs. Every
        global that reads other pages must be made with this (tests/test_incremental.py)."""
        self.lookups[name] = (function, source)

        def tracked(*args: Any) -> Any:
            value = function(*args)
            if self.current is not None:
                self.deps[self.current].add(_dep(name, args, source(*args), value))
            return value

        return tracked

    def _stale(self, dep: str, changed: set[str]) -> bool:
        """Whether a recorded lookup now gives another value (asked again only when its page changed)."""
        name, args_text, page, _ = dep.split(SEP)
        if name not in self.lookups:
            return True  # a lookup this code does not have: render again
        if page not in changed:  # ("" for a lookup that reads no page: never stale)
            return False
        if dep not in self.asked:
            function, source = self.lookups[name]
            args = tuple(json.loads(args_text))
            self.asked[dep] = _dep(name, args, source(*args), function(*args)) != dep
        return self.asked[dep]

    def finish(self, config: MkDocsConfig) -> None:
        """After the build: delete outputs of pages that left docs/; make the new record."""
        if self.mode is None:
            return
        site = Path(config.site_dir)
        for dest in sorted(self.plan.delete):
            path = site / dest
            path.unlink(missing_ok=True)
            _prune(path.parent, site)
        previous = self.previous.files if self.previous and self.mode == "incremental" else {}
        files: dict[str, Entry] = {}
        for src, entry in self.entries.items():
            if src in self.deps or src in self.read_pages:
                first, body = self.read_pages.get(src, ("", ""))
                files[src] = replace(entry, deps=tuple(sorted(self.deps.get(src, ()))), first=first, body=body,
                                     links=self.links.get(src, ()), facts=self.facts.get(src, ""))
            else:
                files[src] = carried(previous.get(src), entry)
        self.record = Record({}, os.path.basename(os.path.normpath(config.site_dir)), self.stat_ns, files)


# A Markdown link or reference definition to a .md page (the generator writes `](../papers/x.md)`).
_MD_LINK = re.compile(r"(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)([^)\s>#]+\.md)(?=[)#>\s]|$)", re.MULTILINE)


def _linked(src: str, markdown: str) -> tuple[str, ...]:
    """The pages of docs/ (relative paths) the page's Markdown links to; external links skipped."""
    found = set()
    for target in _MD_LINK.findall(markdown):
        if "://" in target or target.startswith("/"):
            continue
        found.add(posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(target))))
    return tuple(sorted(found))


def replace_entry(old: Entry, new: Entry) -> Entry:
    """An unchanged page: what the record knew of it, with its current stat and output."""
    return replace(old, size=new.size, mtime_ns=new.mtime_ns, dest=new.dest)


def _inside(path: str, folder: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep)


def _prune(folder: Path, site: Path) -> None:
    """Remove folders left empty by deleted outputs, up to the site folder."""
    folder, site = folder.resolve(), site.resolve()
    while folder != site and folder.is_relative_to(site):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent

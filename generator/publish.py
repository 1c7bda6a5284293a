"""`paper-digest site`: docs/ -> site/ (the site engine, the plugin's check, the search index), doing
only what changed since the last build when that is safe, everything otherwise (what `make site` runs).

- **Nothing changed** (docs/ as recorded, by name, size and mtime, and the same key): site/ is
  up to date; nothing is imported or read beyond that.
- **Incremental**: MkDocs builds "dirty" and renders only the pages the plugin's plan names
  (generator/site/incremental.py: changed Markdown, missing output, or a related paper's title
  that changed); `paper-digest verify` checks those pages; search re-indexes only the shards
  whose pages changed (generator/search/shards.py).
- **Full**: site/ cleaned and built, verified and indexed whole, when asked (`--full`, `make site
  FULL=1`), when there is no record of the last build or no site/, or when anything every page
  depends on changed (mkdocs.yml, overrides/, docs/assets/, topics.yml, the redirects, the
  generator's code and templates, the libraries, the engine). It says why.

The record (`.site-build.json`) is removed when a build starts and written when build, check and
index all succeeded: a build that fails leaves no record, and the next one is full.
"""

from __future__ import annotations

import importlib
import logging
import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.site.incremental import RECORD, Record, docs_unchanged, forget, full_build_reason, site_key

DIRTY_WARNING = "A 'dirty' build is being performed"  # MkDocs' warning; our plan makes such a build exact


@dataclass
class Published:
    mode: str  # "up to date", "incremental" or "full"
    reason: str = ""
    pages: int = 0  # pages in the site
    rendered: int = 0
    by_lookup: int = 0  # of which rendered again for what they show of other pages (a related title)
    by_link: int = 0  # or for a linked page that left
    copied: int = 0
    deleted: int = 0
    shards: int = 0
    reindexed: list[int] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)  # this process (the engine), Pagefind's largest run

    def summary(self) -> str:
        if self.mode == "up to date":
            return "site/ is up to date: nothing in docs/ or what every page depends on changed"
        times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())
        if self.mode == "full":
            head = f"Full build ({self.reason}): {self.pages} pages"
        else:
            head = (f"Incremental build: {self.rendered} of {self.pages} pages rendered "
                    f"({self.by_lookup} for what they show of other pages), {self.copied} files copied, "
                    f"{self.deleted} removed")
        search = f"search: {len(self.reindexed)} of {self.shards} shard{'s' if self.shards != 1 else ''} indexed"
        return f"{head}; {search}; {times}"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def publish(root: Path = Path("."), engine: str = "mkdocs", full: bool = False) -> Published:
    """Build `root`/site from `root`/docs (see the module docstring)."""
    record_path = root / RECORD
    key = site_key(root, engine)
    previous = Record.load(record_path)
    site_name = previous.site_dir if previous else "site"
    reason = "asked for (--full)" if full else full_build_reason(previous, key, root / site_name, site_name)
    if reason is None and previous is not None and docs_unchanged(root / "docs", previous):
        return Published("up to date")
    return _build(root, engine, key, None if reason else previous, reason or "")


def _build(root: Path, engine: str, key: dict[str, str], previous: Record | None, reason: str) -> Published:
    from generator.search.shards import SearchPage, index_shards
    from generator.site.verify import verify

    started = time.perf_counter()
    if engine == "properdocs":  # as its command line does: plugins' mkdocs.* imports become properdocs.*
        importlib.import_module("properdocs.replacement")
    config_module = importlib.import_module(f"{engine}.config")
    build_module = importlib.import_module(f"{engine}.commands.build")
    _quiet_logging(engine)
    cwd = Path.cwd()
    os.chdir(root)  # MkDocs resolves docs_dir and the plugin its files from here
    try:
        config = config_module.load_config("mkdocs.yml")
        site, docs = Path(config.site_dir), Path(config.docs_dir)
        if previous is not None and previous.site_dir != site.name:
            reason = f"the record is of {previous.site_dir}/, not {site.name}/"
            previous = None
        mode = "incremental" if previous is not None else "full"
        plugin = config.plugins["paper-digest"]
        plugin.site_build.start(mode, previous)
        forget(Path(RECORD))
        build_module.build(config, dirty=mode == "incremental")
        done = Published(mode, reason)
        done.seconds[engine] = time.perf_counter() - started
        made: Record = plugin.site_build.record
        made.key = key
        made.site_dir = site.name
        rendered = plugin.site_build.plan.render if mode == "incremental" else None
        step = time.perf_counter()
        verify(site, docs, Path(".generator/redirects.json"), only=rendered)
        done.seconds["verify"] = time.perf_counter() - step
        step = time.perf_counter()
        pages = [
            SearchPage(entry.dest, entry.first, entry.body, entry.facts)
            for src, entry in made.files.items()
            if entry.page and not entry.hidden and src.startswith("papers/") and src.count("/") == 1
        ]
        indexed = index_shards(site, pages, previous.search if previous else None)
        done.seconds["search"] = time.perf_counter() - step
        made.search = indexed.record
        made.save(Path(RECORD))
    finally:
        os.chdir(cwd)
    plan = plugin.site_build.plan
    done.pages = sum(1 for e in made.files.values() if e.page and not e.hidden)
    done.rendered = len(plan.render) if mode == "incremental" else done.pages
    done.by_lookup, done.copied, done.deleted = len(plan.by_lookup), len(plan.copy), len(plan.delete)
    done.by_link = len(plan.by_link)
    done.shards, done.reindexed = indexed.shards, indexed.indexed
    done.peak_mb = {
        engine: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pagefind": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    return done


def _quiet_logging(engine: str) -> None:
    """Warnings and errors to stderr, as `mkdocs build --quiet`; MkDocs' warning that a dirty build
    may be inaccurate is dropped (it would fail a strict build; here the plan makes it exact)."""
    logger = logging.getLogger(engine)
    if not any(isinstance(h, logging.StreamHandler) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)
    logging.getLogger(f"{engine}.commands.build").addFilter(_DropDirtyWarning())

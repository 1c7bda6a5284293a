"""The search index in shards: separate Pagefind indexes, merged in the browser with `mergeIndex`.

Pagefind holds every page's words in memory until it writes (~120 KB a paper page: 3.7 GB for
30,000 papers in one run), so one index for a large site does not fit the 1.5 GB a build may
use. The paper pages are therefore cut, in the order they were first listed (their first
digest, then their path), into blocks of PAGES_PER_SHARD, and each block gets an index of its
own, written by its own Pagefind run: block 0 in `site/pagefind/`, block k in
`site/pagefind-k/`. `site/pagefind/shards.json` lists the blocks' folders; the search box
loads the first with `pagefind.js` and merges the others with Pagefind's documented
`mergeIndex` (overrides/assets/javascripts/pagefind-shards.js), so one query asks every shard
and the results come back as one list. Nothing reads or writes Pagefind's index files but
Pagefind.

A new digest's papers come last in that order, so they land in the last block: an incremental
build re-indexes only the blocks whose pages, or what search sees of them (title and Markdown),
changed; `record` (kept in the site record, generator/site/incremental.py) holds a hash per block.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Pagefind takes ~1.1 GB for 10,000 real paper pages (one index of 30,000: 3.2 GB); a query
# fetches every shard's metadata and index chunks, ~50 KB a shard beyond what one index costs,
# so shards are as large as the 1.5 GB budget allows. The environment may set another size (the
# tests use small shards on small sites).
PAGES_PER_SHARD = int(os.environ.get("PAPER_DIGEST_SHARD_PAGES", "10000"))
SHARDS_FILE = "shards.json"  # in site/pagefind/: the folders of every shard, first one first
_SHARD_FOLDER = re.compile(r"^pagefind(-[0-9]+)?$")


@dataclass(frozen=True)
class SearchPage:
    """A page search indexes: its HTML (relative to the site), its place in listing order, and a
    hash of what Pagefind reads from it."""

    html: str
    order: str
    body: str


@dataclass(frozen=True)
class Indexed:
    record: dict[str, Any]  # per_shard and one hash per shard, for the next build
    shards: int
    indexed: list[int]  # the shards (re)built by this run
    pages: int


def folder(number: int) -> str:
    return "pagefind" if number == 0 else f"pagefind-{number}"


def blocks(pages: Sequence[SearchPage], per_shard: int) -> list[list[SearchPage]]:
    ordered = sorted(pages, key=lambda p: (p.order, p.html))
    return [ordered[i : i + per_shard] for i in range(0, len(ordered), per_shard)]


def block_hash(block: Sequence[SearchPage]) -> str:
    digest = hashlib.sha256()
    for page in block:
        digest.update(f"{page.html}\0{page.body}\n".encode())
    return digest.hexdigest()


def index_shards(
    site: Path, pages: Sequence[SearchPage], previous: Mapping[str, Any] | None = None,
    per_shard: int = PAGES_PER_SHARD,
) -> Indexed:
    """Index `pages` of `site` in blocks; with the `previous` record, only blocks that changed.
    Raises CalledProcessError if Pagefind fails."""
    cut = blocks(pages, per_shard)
    hashes = [block_hash(block) for block in cut]
    old = list(previous.get("shards", [])) if previous and previous.get("per_shard") == per_shard else []
    redo = [
        k for k, digest in enumerate(hashes)
        if k >= len(old) or old[k] != digest or not (site / folder(k) / "pagefind-entry.json").is_file()
    ]
    for k in redo:
        _index_block(site, cut[k], folder(k))
    for stale in site.iterdir():  # shards past the last one (a site that shrank)
        match = _SHARD_FOLDER.match(stale.name)
        if stale.is_dir() and match and match[1] and int(match[1][1:]) >= max(len(cut), 1):
            shutil.rmtree(stale)
    if cut:
        listing = {"shards": [f"{folder(k)}/" for k in range(len(cut))]}
        (site / "pagefind" / SHARDS_FILE).write_text(json.dumps(listing) + "\n", encoding="utf-8")
    return Indexed({"per_shard": per_shard, "shards": hashes}, len(cut), redo, len(pages))


def pagefind(site: Path, output: Path, cwd: Path | None = None) -> str:
    """Run Pagefind over `site`, writing its bundle to `output`; return its report.
    Pagefind reads its settings from a pagefind.json in `cwd`, if there is one."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind_bin", "--site", str(site.resolve()), "--output-path", str(output.resolve())],
        capture_output=True, text=True, check=True, cwd=cwd,
    )
    return done.stdout


def _index_block(site: Path, block: Sequence[SearchPage], name: str) -> None:
    """One Pagefind run over exactly these pages: a tree of hard links to them beside site/ (the
    same paths, so the same URLs), indexed into a fresh folder that then replaces site/<name>/."""
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.resolve().parent) as scratch:
        tree, output = Path(scratch, "pages"), Path(scratch, "index")
        for page in block:
            target = tree / page.html
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(site / page.html, target)
        pagefind(tree, output)
        shutil.rmtree(site / name, ignore_errors=True)
        os.replace(output, site / name)

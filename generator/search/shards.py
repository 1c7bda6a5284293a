"""The search index in shards: separate Pagefind indexes, merged in the browser with `mergeIndex`.

Pagefind holds every page's words in memory until it writes (~120 KB a paper page: 3.7 GB for
30,000 papers in one run), so one index for a large site does not fit the 1.5 GB a build may
use. The paper pages are therefore cut, in the order they were first listed (their first
digest, then their path), into blocks, and each block gets an index of its own, written by its
own Pagefind run: block 0 in `site/pagefind/`, block k in `site/pagefind-k/`.
`site/pagefind/shards.json` lists the blocks' folders; the search box loads the first with
`pagefind.js` and merges the others with Pagefind's documented `mergeIndex`
(overrides/assets/javascripts/pagefind-shards.js), so one query asks every shard and the
results come back as one list. Nothing reads or writes Pagefind's index files but Pagefind.

The blocks are tiered: every complete block of PAGES_PER_SHARD pages is one shard, and the pages
after the last complete block are cut into tail blocks of TAIL_PAGES. A new digest's papers come
last in listing order, so they land in the last tail block (or open a new one): an incremental
build re-indexes only the blocks whose pages, or what search sees of them (title, authors
and Markdown), changed, i.e. one tail block of at most TAIL_PAGES. When the tail reaches
PAGES_PER_SHARD pages, its blocks are replaced by one big block (indexed once, then left alone).
`record` (kept in the site record, generator/site/incremental.py) holds a hash per block.

What a result shows of a paper besides its title and excerpt, its facts (its date and topics),
is not in the index: a curator may retag or re-date any older paper, and a paper listed again
may gain a published date, and re-indexing a big shard for one paper's facts would cost a
quarter of a minute. They are written to `site/pagefind-facts/<bucket>.json` (a paper's bucket:
FNV-1a of its URL, modulo a power of two that keeps ~8 papers a bucket), and the search box
fetches the bucket of each result shown.
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
# so shards are as large as the 1.5 GB budget allows. The environment may set other sizes (the
# tests use small shards on small sites).
PAGES_PER_SHARD = int(os.environ.get("PAPER_DIGEST_SHARD_PAGES", "10000"))
# A tail block is what a new digest re-indexes. Each shard costs a query one or two index chunks
# (~25-40 KB, whatever the shard's size: measured on 100- to 10,000-page shards), so the tail has
# at most three: a third of a block, 3,334 pages, ~17-23 s to index at most, half that on
# average. The most shards below 30,000 papers (two complete blocks, a tail of 9,999) are five:
# a query ~505-570 KB (BENCHMARKS.md, "Search in shards").
TAIL_PAGES = int(os.environ.get("PAPER_DIGEST_TAIL_PAGES", str(-(-PAGES_PER_SHARD // 3))))
SHARDS_FILE = "shards.json"  # in site/pagefind/: the folders of every shard, first one first
FACTS_FOLDER = "pagefind-facts"  # in site/: each result's date and topics, by bucket
PER_BUCKET = 8  # papers a facts bucket holds, about (~1 KB: ten results fetch ~10 KB)
_SHARD_FOLDER = re.compile(r"^pagefind(-[0-9]+)?$")


@dataclass(frozen=True)
class SearchPage:
    """A page search indexes: its HTML (relative to the site), its place in listing order, and a
    hash of what Pagefind reads from it."""

    html: str
    order: str
    body: str
    facts: str = ""  # what its result shows under its title: date and topics (not indexed)


@dataclass(frozen=True)
class Indexed:
    record: dict[str, Any]  # per_shard and one hash per shard, for the next build
    shards: int
    indexed: list[int]  # the shards (re)built by this run
    pages: int


def folder(number: int) -> str:
    return "pagefind" if number == 0 else f"pagefind-{number}"


def blocks(pages: Sequence[SearchPage], per_shard: int, tail: int | None = None) -> list[list[SearchPage]]:
    """The pages in listing order, cut into complete blocks of `per_shard`, then the rest into
    blocks of `tail` (no larger than `per_shard`)."""
    ordered = sorted(pages, key=lambda p: (p.order, p.html))
    step = min(tail or per_shard, per_shard)
    whole = len(ordered) // per_shard * per_shard
    return ([ordered[i : i + per_shard] for i in range(0, whole, per_shard)]
            + [ordered[i : i + step] for i in range(whole, len(ordered), step)])


def block_hash(block: Sequence[SearchPage]) -> str:
    digest = hashlib.sha256()
    for page in block:
        digest.update(f"{page.html}\0{page.body}\n".encode())
    return digest.hexdigest()


def index_shards(
    site: Path, pages: Sequence[SearchPage], previous: Mapping[str, Any] | None = None,
    per_shard: int = PAGES_PER_SHARD, tail: int | None = None,
) -> Indexed:
    """Index `pages` of `site` in blocks; with the `previous` record, only blocks that changed.
    Raises CalledProcessError if Pagefind fails."""
    tail = min(tail or TAIL_PAGES, per_shard)
    cut = blocks(pages, per_shard, tail)
    hashes = [block_hash(block) for block in cut]
    same_sizes = previous and previous.get("per_shard") == per_shard and previous.get("tail") == tail
    old = list(previous.get("shards", [])) if previous and same_sizes else []
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
    buckets = write_facts(site, pages)
    if cut:
        listing = {"shards": [f"{folder(k)}/" for k in range(len(cut))], "fact_buckets": buckets}
        _write_if_changed(site / "pagefind" / SHARDS_FILE, json.dumps(listing) + "\n")
    return Indexed({"per_shard": per_shard, "tail": tail, "shards": hashes}, len(cut), redo, len(pages))


def bucket_count(pages: int) -> int:
    """A power of two that keeps ~PER_BUCKET papers a bucket (1 for a small site)."""
    count = 1
    while count * PER_BUCKET < pages:
        count *= 2
    return count


def bucket_of(url: str, buckets: int) -> int:
    """FNV-1a (32 bits) of the URL's UTF-8 bytes, modulo `buckets` (pagefind-shards.js computes
    the same)."""
    value = 0x811C9DC5
    for byte in url.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def page_url(html: str) -> str:
    """papers/x/index.html -> papers/x/ (the URL Pagefind gives the page, relative to the site)."""
    return html[: -len("index.html")] if html.endswith("/index.html") else html


def write_facts(site: Path, pages: Sequence[SearchPage]) -> int:
    """Write each page's facts in its bucket file (only files whose text changed); return the
    number of buckets. A page without facts is left out."""
    count = bucket_count(len(pages))
    filled: dict[int, dict[str, str]] = {k: {} for k in range(count)}
    for page in pages:
        if page.facts:
            url = page_url(page.html)
            filled[bucket_of(url, count)][url] = page.facts
    target = site / FACTS_FOLDER
    target.mkdir(exist_ok=True)
    wanted = {f"{k}.json" for k in range(count)}
    for stale in target.iterdir():
        if stale.name not in wanted:
            stale.unlink()
    for k, facts in filled.items():
        _write_if_changed(target / f"{k}.json", json.dumps(facts, sort_keys=True, ensure_ascii=False) + "\n")
    return count


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode()
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    path.write_bytes(data)


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

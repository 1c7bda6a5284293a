"""The benchmark's table: one row per measure, one column per N; BENCHMARKS.md's results part."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench.measure import Run

PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "pyyaml", "pagefind-bin", "playwright")
START, END = "<!-- bench results: written by `python -m bench.bench --write` -->", "<!-- end of bench results -->"
ROWS = (
    ("digests", "digests (files)"),
    ("listings", "listings (with repeats)"),
    ("pages", "Markdown pages generated"),
    ("gen_first_s", "generator, first run: s"),
    ("gen_first_mb", "generator, first run: peak MB"),
    ("stages", "first run by stage (one process, imports included): s"),
    ("site_full_mkdocs_s", "site, full build: MkDocs s"),
    ("site_full_search_s", "site, full build: search index s (shards)"),
    ("site_full_s", "site, full build: s (MkDocs, verify, search)"),
    ("site_full_mkdocs_mb", "site, full build: MkDocs peak MB"),
    ("site_full_pagefind_mb", "site, full build: Pagefind peak MB (largest run)"),
    ("first_build_s", "first build, generate + site: s"),
    ("first_build_ratio", "first build / its MkDocs build"),
    ("gen_noop_s", "generator, no-op run: s"),
    ("noop_written", "no-op run: files written"),
    ("site_noop_s", "site, no-op run: s"),
    ("noop_s", "make site with nothing new (generator + site no-op): s (CPU s)"),
    ("gen_added_s", "+1 digest of 50: generator s"),
    ("added_written", "+1 digest: files rewritten"),
    ("added_written_kinds", "+1 digest: rewritten, by folder"),
    ("site_added_rendered", "+1 digest: pages MkDocs rendered (of which for what they show of other pages)"),
    ("site_added_shards", "+1 digest: search shards re-indexed"),
    ("site_added_stages", "+1 digest: site stages, s"),
    ("site_added_s", "+1 digest: site (MkDocs, verify, search): s"),
    ("added_s", "+1 digest, end to end (generate + site): s"),
    ("refull_mkdocs_s", "full MkDocs build of the same pages (same run): s"),
    ("added_ratio", "+1 digest end to end / full MkDocs build"),
    ("added_site_ratio", "+1 digest site stages / full MkDocs build"),
    ("shard_index_s", "search: indexing one full shard (what a digest landing in a full last shard costs): s"),
    ("added_worst_s", "+1 digest end to end with that re-index (worst case): s (ratio)"),
    ("incremental_differs", "files of the incremental site/ that differ from a full build"),
    ("size_paper_kb", "HTML of a paper page: KB"),
    ("size_topic_kb", "HTML of the largest topic page: KB"),
    ("size_home_kb", "HTML of the home page: KB"),
    ("size_largest_listing", "largest listing page: KB (page)"),
    ("size_site_mb", "whole site: MB"),
    ("size_pagefind_mb", "of which search index (every shard): MB"),
    ("search_shards", "search shards"),
    ("search_kb", "one search query, bytes fetched (every shard): KB"),
    ("search_requests", "one search query: requests"),
    ("search_slow_kb", "the same query typed a key every 250 ms: KB"),
    ("search_found", "probe queries (full titles) whose first result is the paper"),
    ("related", "related papers (sparse top-5): s"),
    ("load", "machine load, 1-min average (start -> end)"),
)


def kinds(paths: list[str]) -> str:
    counts = Counter(p.split("/")[0] if "/" in p else p for p in paths)
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))


def flatten(r: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in r.items() if not isinstance(v, Run | tuple | dict) and not k.startswith("size_")}
    for name in ("gen_first", "gen_noop", "gen_added", "site_full", "site_noop", "site_added", "site_refull"):
        flat[f"{name}_s"] = round(r[name].seconds, 2)
        flat[f"{name}_mb"] = round(r[name].peak_mb)
    full, added, refull = r["site_full_done"], r["site_added_done"], r["site_refull_done"]
    engine = next(iter(full["seconds"]))
    flat["site_full_mkdocs_s"] = round(full["seconds"][engine], 2)
    flat["site_full_search_s"] = round(full["seconds"]["search"], 2)
    flat["site_full_mkdocs_mb"] = round(full["peak_mb"][engine])
    flat["site_full_pagefind_mb"] = round(full["peak_mb"]["pagefind"])
    flat["first_build_s"] = round(r["gen_first"].seconds + r["site_full"].seconds, 1)
    flat["first_build_ratio"] = round(flat["first_build_s"] / full["seconds"][engine], 3)
    noop = r["gen_noop"].seconds + r["site_noop"].seconds
    flat["noop_s"] = f"{noop:.2f} (CPU {r['gen_noop'].cpu + r['site_noop'].cpu:.2f})"
    flat["site_noop_s"] = f"{r['site_noop'].seconds:.2f} ({r['site_noop_mode']})"
    flat["site_added_rendered"] = f"{added['rendered']} of {added['pages']} ({added['by_lookup']})"
    flat["site_added_shards"] = f"{len(added['reindexed'])} of {added['shards']}"
    flat["site_added_stages"] = ", ".join(f"{k} {v:.1f}" for k, v in added["seconds"].items())
    flat["added_s"] = round(r["gen_added"].seconds + r["site_added"].seconds, 1)
    flat["refull_mkdocs_s"] = round(refull["seconds"][engine], 1)
    flat["added_ratio"] = round(flat["added_s"] / refull["seconds"][engine], 3)
    flat["added_site_ratio"] = round(r["site_added"].seconds / refull["seconds"][engine], 3)
    flat["search_shards"] = full["shards"]
    # The +1 digest re-indexes the last shard, which holds anything from 1 to PAGES_PER_SHARD pages
    # (at N = 10,000 and 30,000 the new digest opens a new one): the worst case is a full shard.
    full_shards = max(1, r["pages_indexed"] // r["per_shard"]) if r["pages_indexed"] >= r["per_shard"] else 1
    flat["shard_index_s"] = round(full["seconds"]["search"] / full_shards, 1)
    worst = flat["added_s"] - added["seconds"]["search"] + flat["shard_index_s"]
    flat["added_worst_s"] = f"{worst:.1f} ({worst / refull['seconds'][engine]:.3f})"
    for key in ("size_paper", "size_home"):
        flat[f"{key}_kb"] = round(r[key] / 1024, 1)
    flat["size_topic_kb"] = round(r["size_topic"][0] / 1024, 1)
    size, page = r["size_largest_listing"]
    flat["size_largest_listing"] = f"{size / 1024:.1f} ({page})"
    flat["size_site_mb"] = round(r["size_site"] / 2**20, 1)
    flat["size_pagefind_mb"] = round(r["size_pagefind"] / 2**20, 1)
    flat["search_kb"] = f"{r['search_bytes'] / 1024:.1f} ('{r['search_query']}')"
    flat["search_slow_kb"] = round(r["search_slow_bytes"] / 1024, 1)
    return flat


def table(results: dict[int, dict[str, Any]]) -> str:
    ns = sorted(results)
    lines = ["| measure | " + " | ".join(f"N = {n:,}" for n in ns) + " |", "|---" * (len(ns) + 1) + "|"]
    for key, label in ROWS:
        lines.append(f"| {label} | " + " | ".join(str(results[n].get(key, "")) for n in ns) + " |")
    return "\n".join(lines)


def machine() -> str:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return (
        f"Machine: {os.cpu_count()} cores ({platform.machine()}, {platform.system()} {platform.release()}), "
        f"Python {sys.version.split()[0]}; " + ", ".join(versions) + "."
    )


def write_benchmarks(path: Path, results_dir: Path) -> None:
    """Replace the results part of BENCHMARKS.md, keeping the hand-written text around it."""
    results = {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in results_dir.glob("*.json")}
    block = f"{START}\n\n{machine()}\n\n{table(results)}\n\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(head + block + tail, encoding="utf-8")

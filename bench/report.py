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
    ("gen_noop_s", "generator, no-op run: s"),
    ("noop_written", "no-op run: files written"),
    ("gen_added_s", "generator, +1 digest of 50: s"),
    ("added_written", "+1 digest: files rewritten"),
    ("added_written_kinds", "+1 digest: rewritten, by folder"),
    ("mkdocs_s", "mkdocs build (bare, same Markdown): s"),
    ("mkdocs_mb", "mkdocs build: peak MB"),
    ("whole_ratio", "(generate + mkdocs) / mkdocs"),
    ("pagefind_s", "Pagefind index: s"),
    ("pagefind_mb", "Pagefind index: peak MB"),
    ("whole_s", "whole build (generate + mkdocs + Pagefind): s"),
    ("whole_with_search_ratio", "whole build with Pagefind / mkdocs"),
    ("size_paper_kb", "HTML of a paper page: KB"),
    ("size_topic_kb", "HTML of the largest topic page: KB"),
    ("size_home_kb", "HTML of the home page: KB"),
    ("size_largest_listing", "largest listing page: KB (page)"),
    ("size_site_mb", "whole site: MB"),
    ("size_pagefind_mb", "of which Pagefind index: MB"),
    ("search_kb", "one search query, bytes fetched: KB"),
    ("search_requests", "one search query: requests"),
    ("search_found", "probe queries whose first result is the paper"),
    ("related", "related papers (sparse top-5): s"),
    ("load", "machine load, 1-min average (start -> end)"),
)


def kinds(paths: list[str]) -> str:
    counts = Counter(p.split("/")[0] if "/" in p else p for p in paths)
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))


def flatten(r: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in r.items() if not isinstance(v, Run | tuple) and not k.startswith("size_")}
    for name in ("gen_first", "gen_noop", "gen_added", "mkdocs", "pagefind"):
        flat[f"{name}_s"] = round(r[name].seconds, 2)
        flat[f"{name}_mb"] = round(r[name].peak_mb)
    whole = r["gen_first"].seconds + r["mkdocs"].seconds
    flat["whole_ratio"] = round(whole / r["mkdocs"].seconds, 3)
    flat["whole_s"] = round(whole + r["pagefind"].seconds, 1)
    flat["whole_with_search_ratio"] = round((whole + r["pagefind"].seconds) / r["mkdocs"].seconds, 3)
    for key in ("size_paper", "size_home"):
        flat[f"{key}_kb"] = round(r[key] / 1024, 1)
    flat["size_topic_kb"] = round(r["size_topic"][0] / 1024, 1)
    size, page = r["size_largest_listing"]
    flat["size_largest_listing"] = f"{size / 1024:.1f} ({page})"
    flat["size_site_mb"] = round(r["size_site"] / 2**20, 1)
    flat["size_pagefind_mb"] = round(r["size_pagefind"] / 2**20, 1)
    flat["search_kb"] = round(r["search_bytes"] / 1024, 1)
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

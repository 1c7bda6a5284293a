"""Measuring tools for the benchmark: a child's wall time and peak memory, files rewritten,
page sizes, and the bytes a real browser fetches for one search query."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # the child's maximum resident set size
    output: str
    cpu: float = 0.0  # user + system seconds of the child (and the children it waited for)


def run(command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    """Run one child; os.wait4 gives that child's own rusage (RUSAGE_CHILDREN would accumulate)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as p:
        output = p.stdout.read() if p.stdout else ""
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({p.returncode}):\n{output}")
    return Run(seconds, usage.ru_maxrss / 1024, output, usage.ru_utime + usage.ru_stime)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and mtime: a rewritten file (atomic rename) changes both."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in _files(folder)}


def changed(before: Mapping[str, tuple[int, int]], after: Mapping[str, tuple[int, int]]) -> list[str]:
    return sorted(rel for rel, stamp in after.items() if before.get(rel) != stamp)


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file())


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in _files(folder))


def largest(paths: Iterator[Path]) -> tuple[int, str]:
    return max(((p.stat().st_size, p.as_posix()) for p in paths), default=(0, ""))


def search_cost(site_url: str, query: str, slug: str, delay_ms: float = 0) -> tuple[int, list[str], bool]:
    """Open the home page, type `query` into the header search (a key every `delay_ms`), wait for the results.
    Returns the bytes fetched after the page loaded, the URLs, and whether the first
    result leads to papers/<slug>/."""
    from playwright.sync_api import sync_playwright

    fetched: list[tuple[str, int]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        page.goto(f"{site_url}/")
        page.wait_for_load_state("networkidle")

        def record(response: Any) -> None:
            fetched.append((response.url, len(response.body())))

        page.on("response", record)
        page.locator(".md-search__input").click()
        page.locator(".md-search__input").press_sequentially(query, delay=delay_ms)
        first = page.locator(".md-search-result__item a").first
        first.wait_for(timeout=60_000)
        found = f"/papers/{slug}/" in (first.get_attribute("href") or "")
        page.wait_for_load_state("networkidle")
        browser.close()
    return sum(size for _, size in fetched), [url for url, _ in fetched], found

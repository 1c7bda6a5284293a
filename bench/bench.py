"""Benchmark: build a synthetic site of N papers and measure what issue 7 asks for.

    python -m bench.bench --papers 2000            # print the table (what `make bench` runs)
    python -m bench.bench --papers 30000 --write   # also store bench/results/30000.json, BENCHMARKS.md

Each N gets a fresh temporary project (the real templates, theme and settings, synthetic
digests from bench/corpus.py). Times are wall-clock seconds; memory is each child's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import corpus, report
from bench.measure import changed, folder_bytes, largest, run, search_cost, snapshot

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "topics.yml", "site.yml", "overrides", "generator", "docs/assets")
RESULTS = ROOT / "bench" / "results"


def make_project(dest: Path) -> Path:
    for name in PROJECT_FILES:
        source, target = ROOT / name, dest / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


@contextmanager
def served(folder: Path) -> Iterator[str]:
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _slug_of(project: Path, n: int) -> str:
    prefix = corpus.title_word(n) + "-"
    return next(p.stem for p in (project / "docs" / "papers").glob(f"{prefix}*.md"))


def bench(papers: int, work: Path) -> dict[str, Any]:
    project = make_project(work / "project")
    bases = corpus.real_listings(ROOT)
    made = corpus.write_corpus(project / "digests", papers, bases)
    py = sys.executable
    generate = [py, "-m", "generator", "build", "--quiet"]
    docs = project / "docs"
    r: dict[str, Any] = {"papers": papers, "digests": made.digests, "listings": made.listings}
    load = os.getloadavg()[0]  # the machine is shared: a busy one stretches every time below

    first = run(generate, project)
    before = snapshot(docs)
    noop = run(generate, project)
    r["gen_first"], r["gen_noop"] = first, noop
    r["noop_written"] = len(changed(before, snapshot(docs)))
    r["pages"] = len(before)

    mkdocs = run([py, "-m", "mkdocs", "build", "--strict", "--quiet"], project)
    pagefind = run([py, "-m", "generator.search", "site"], project)
    r["mkdocs"], r["pagefind"] = mkdocs, pagefind
    r["pagefind_output"] = pagefind.output.strip().splitlines()[-1:] if pagefind.output.strip() else []

    site = project / "site"
    r["size_paper"] = (site / "papers" / _slug_of(project, papers // 2) / "index.html").stat().st_size
    topic_pages = [p for p in (site / "topics").glob("*/index.html") if p.parent.name != "unclassified"]
    r["size_topic"] = largest(iter(topic_pages))
    r["size_home"] = (site / "index.html").stat().st_size
    listing = (p for p in site.rglob("index.html") if "/papers/" not in p.as_posix())
    size, path = largest(listing)
    r["size_largest_listing"] = (size, Path(path).relative_to(site).as_posix() if path else "")
    r["size_site"] = folder_bytes(site)
    r["size_pagefind"] = folder_bytes(site / "pagefind") if (site / "pagefind").is_dir() else 0

    probes = sorted({0, papers // 3, papers - 1})
    with served(site) as url:
        cost, urls, found = search_cost(url, corpus.title_word(probes[1]), _slug_of(project, probes[1]))
        findable = [found]
        for n in probes:
            slug = _slug_of(project, n)
            findable.append(search_cost(url, corpus.title_word(n), slug)[2])
            findable.append(search_cost(url, corpus.abstract_word(n), slug)[2])
    r["search_bytes"], r["search_requests"] = cost, len(urls)
    r["search_found"] = f"{sum(findable)}/{len(findable)}"

    before = snapshot(docs)
    corpus.write_corpus(project / "digests", corpus.PER_DIGEST, bases, first_paper=papers, first_digest=made.digests)
    added = run(generate, project)
    rewritten = changed(before, snapshot(docs))
    r["gen_added"], r["added_written"] = added, len(rewritten)
    r["added_written_kinds"] = report.kinds(rewritten)
    # Where a first run's time goes, stage by stage (bench/stages.py), related papers included.
    timed = json.loads(run([py, "-m", "bench.stages", str(project)], ROOT).output.strip().splitlines()[-1])
    r["stages"] = ", ".join(f"{name} {seconds:g}" for name, (seconds, _) in timed.items())
    r["related"] = f"{timed['related'][0]:g} s (peak so far {timed['related'][1]} MB)"
    r["load"] = f"{load:.1f} -> {os.getloadavg()[0]:.1f}"
    return r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, action="append", help="N (repeatable); default 2000")
    parser.add_argument("--write", action="store_true", help="store bench/results/N.json and rewrite BENCHMARKS.md")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    for papers in args.papers or [2000]:
        if args.keep:
            shutil.rmtree(args.keep / str(papers), ignore_errors=True)
            result = bench(papers, args.keep / str(papers))
        else:
            with tempfile.TemporaryDirectory(prefix=f"bench-{papers}-") as tmp:
                result = bench(papers, Path(tmp))
        flat = report.flatten(result)
        print(report.table({papers: flat}))
        if args.write:
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"{papers}.json").write_text(json.dumps(flat, indent=1) + "\n", encoding="utf-8")
    if args.write:
        report.write_benchmarks(ROOT / "BENCHMARKS.md", RESULTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())

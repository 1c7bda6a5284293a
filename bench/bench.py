"""Benchmark: build a site of N real papers (../shared/corpus) and measure what issues 7 and 18 ask for.

    python -m bench.bench --papers 2000            # print the table (what `make bench` runs)
    python -m bench.bench --papers 30000 --write   # also store bench/results/30000.json, BENCHMARKS.md

Each N gets a fresh temporary project (the real templates, theme and settings, synthetic
digests from bench/corpus.py). Times are wall-clock seconds; memory is each child's peak RSS.
"""

from __future__ import annotations

import argparse
import filecmp
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
from bench.measure import Run, changed, folder_bytes, largest, run, search_cost, snapshot
from generator.search.shards import PAGES_PER_SHARD

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "topics.yml", "site.yml", "overrides", "generator", "docs/assets")
RESULTS = ROOT / "bench" / "results"
FIXED_DATE = {"SOURCE_DATE_EPOCH": "1767225600"}  # the sitemap's build date: the same in the builds compared


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


def _papers_json(project: Path) -> list[dict[str, Any]]:
    papers: list[dict[str, Any]] = json.loads((project / "docs" / "papers.json").read_text(encoding="utf-8"))["papers"]
    return papers


def _site(project: Path, *args: str) -> tuple[Run, dict[str, Any]]:
    done = run([sys.executable, "-m", "generator", "site", "--json", *args], project, env=FIXED_DATE)
    return done, json.loads(done.output.strip().splitlines()[-1])


def _probe_word(title: str) -> str:
    """A query a reader might type for this paper: its title's longest word."""
    return max((w.strip(",.:;()!?'\"") for w in title.split()), key=len)


def bench(papers: int, work: Path) -> dict[str, Any]:
    project = make_project(work / "project")
    real = corpus.arxiv_papers()
    made = corpus.write_real_corpus(project / "digests", real, papers)
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

    full, done = _site(project)  # no record yet: a full build (MkDocs, verify, search shards)
    r["site_full"], r["site_full_done"] = full, done
    r["per_shard"] = PAGES_PER_SHARD
    r["pages_indexed"] = len(list((project / "docs" / "papers").glob("*.md")))
    r["site_noop"], noop_done = _site(project)
    r["site_noop_mode"] = noop_done["mode"]

    site = project / "site"
    listed = _papers_json(project)
    by_title = {p["title"]: p for p in listed}
    probes = [real[n] for n in sorted({0, papers // 3, papers - 1})]
    r["size_paper"] = (site / "papers" / by_title[probes[1].title]["slug"] / "index.html").stat().st_size
    topic_pages = [p for p in (site / "topics").glob("*/index.html") if p.parent.name != "unclassified"]
    r["size_topic"] = largest(iter(topic_pages))
    r["size_home"] = (site / "index.html").stat().st_size
    listing = (p for p in site.rglob("index.html") if "/papers/" not in p.as_posix())
    size, path = largest(listing)
    r["size_largest_listing"] = (size, Path(path).relative_to(site).as_posix() if path else "")
    r["size_site"] = folder_bytes(site)
    r["size_pagefind"] = sum(folder_bytes(p) for p in site.glob("pagefind*") if p.is_dir())

    with served(site) as url:
        middle = by_title[probes[1].title]
        cost, urls, _ = search_cost(url, _probe_word(middle["title"]), middle["slug"])
        r["search_query"] = _probe_word(middle["title"])
        r["search_slow_bytes"] = search_cost(url, r["search_query"], middle["slug"], delay_ms=250)[0]
        findable = []
        for probe in probes:
            slug = by_title[probe.title]["slug"]
            findable.append(search_cost(url, probe.title, slug)[2])
    r["search_bytes"], r["search_requests"] = cost, len(urls)
    r["search_found"] = f"{sum(findable)}/{len(findable)}"

    # A new digest of 50 papers: the generator, then the incremental site build on the last site/.
    before = snapshot(docs)
    digests = project / "digests"
    corpus.write_real_corpus(digests, real, corpus.PER_DIGEST, first_paper=papers, first_digest=made.digests)
    added = run(generate, project)
    rewritten = changed(before, snapshot(docs))
    r["gen_added"], r["added_written"] = added, len(rewritten)
    r["added_written_kinds"] = report.kinds(rewritten)
    r["site_added"], r["site_added_done"] = _site(project)
    # The same pages built from scratch: the full MkDocs build the ratios are taken to, and the
    # site the incremental one must equal, file by file.
    incremental = project / "site-incremental"
    site.rename(incremental)
    r["site_refull"], r["site_refull_done"] = _site(project, "--full")
    differ = differing(site, incremental)
    r["incremental_differs"] = f"{len(differ)}" + (f" ({', '.join(differ[:5])})" if differ else "")
    shutil.rmtree(incremental)
    # Where a first run's time goes, stage by stage (bench/stages.py), related papers included.
    timed = json.loads(run([py, "-m", "bench.stages", str(project)], ROOT).output.strip().splitlines()[-1])
    r["stages"] = ", ".join(f"{name} {seconds:g}" for name, (seconds, _) in timed.items())
    r["related"] = f"{timed['related'][0]:g} s (peak so far {timed['related'][1]} MB)"
    r["load"] = f"{load:.1f} -> {os.getloadavg()[0]:.1f}"
    return r


def differing(one: Path, other: Path) -> list[str]:
    """Files that are not byte for byte the same in the two folders (or in only one)."""
    names = {p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file()}
    names |= {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    return sorted(n for n in names if not ((one / n).is_file() and (other / n).is_file()
                                           and filecmp.cmp(one / n, other / n, shallow=False)))


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

"""One search index against shards, on an already built site: seconds and peak memory of one
Pagefind run over every paper page and of the sharded index (generator/search/shards.py), and
the bytes one query fetches in Chromium from each.

    python -m bench.search_memory PROJECT [PER_SHARD]   # PROJECT holds docs/ and site/ (built)

Without PER_SHARD, site/'s shards are measured as they are.

The single index is written into a copy of site/ made of hard links, next to it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.bench import _probe_word, served
from bench.measure import run, search_cost
from generator.search.shards import PAGES_PER_SHARD


def main(argv: list[str]) -> int:
    project = Path(argv[0]).resolve()
    per_shard = int(argv[1]) if len(argv) > 1 else PAGES_PER_SHARD
    site = project / "site"
    papers = json.loads((project / "docs" / "papers.json").read_text(encoding="utf-8"))["papers"]
    with tempfile.TemporaryDirectory(dir=project) as scratch:
        single = Path(scratch, "site")
        shutil.copytree(site, single, copy_function=os.link, ignore=lambda folder, names: [
            n for n in names if Path(folder) == site and n.startswith("pagefind")])
        code = "import sys; from pathlib import Path; from generator.search.index import index_site; " \
               "print(index_site(Path(sys.argv[1]), int(sys.argv[2])))"
        one = run([sys.executable, "-c", code, str(single), str(10**9)], project)
        shards = run([sys.executable, "-c", code, str(site), str(per_shard)], project) if len(argv) > 1 else None
        print(f"{len(papers)} papers: one index {one.seconds:.1f} s, {one.peak_mb:.0f} MB")
        if shards:
            report = " ".join(shards.output.split())
            print(f"shards of {per_shard}: {shards.seconds:.1f} s, {shards.peak_mb:.0f} MB ({report})")
        for n in sorted({0, len(papers) // 3, len(papers) - 1}):
            paper = papers[n]
            for query in (_probe_word(paper["title"]), paper["title"]):
                costs = []
                for folder in (single, site):
                    with served(folder) as url:
                        cost, urls, found = search_cost(url, query, paper["slug"])
                    costs.append(f"{cost / 1024:.1f} KB in {len(urls)} requests, first: {found}")
                print(f"  {query[:60]!r}: one index {costs[0]}; shards {costs[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

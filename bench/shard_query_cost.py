"""What a search shard costs one query: the same built site indexed in several layouts, each
queried in headless Chromium (bench.measure.search_cost: every byte fetched after the home page
loaded, typed at once), for a few words.

    python -m bench.shard_query_cost /tmp/churn/project/site 1000000:1000000 10000:1000 10000:500

Each layout is PAGES_PER_SHARD:TAIL_PAGES; the site is hard-linked into a scratch folder per layout
(the pages are in path order, as `paper-digest index` cuts them without a record).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.bench import served
from bench.measure import search_cost
from generator.search.index import index_site

WORDS = ["diffusion", "reinforcement", "segmentation", "benchmark", "tokenization"]


def measure(site: Path, per_shard: int, tail: int, scratch: Path) -> dict[str, object]:
    copy = scratch / f"site-{per_shard}-{tail}"
    def indexes(folder: str, names: list[str]) -> list[str]:  # the top folder's pagefind*/ only
        return [n for n in names if n.startswith("pagefind")] if Path(folder) == site else []

    shutil.copytree(site, copy, copy_function=os.link, ignore=indexes)
    report = index_site(copy, per_shard, tail)
    row: dict[str, object] = {"layout": f"{per_shard}:{tail}", "report": report.strip().splitlines()[-1]}
    with served(copy) as url:
        for word in WORDS:
            cost, urls, _ = search_cost(url, word, "")
            row[word] = round(cost / 1024, 1)
            row[f"{word} requests"] = len(urls)
    shutil.rmtree(copy)
    return row


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site, layouts = Path(args[0]), args[1:]
    with tempfile.TemporaryDirectory(prefix=".query-cost-", dir=site.resolve().parent) as scratch:
        for layout in layouts:
            per_shard, tail = (int(n) for n in layout.split(":"))
            print(json.dumps(measure(site, per_shard, tail, Path(scratch))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

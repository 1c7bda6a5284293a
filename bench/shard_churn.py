"""Why does a new digest re-index a search shard? Build a site of N real papers with small shards,
add digests one at a time, and report, per digest, which shards the build re-indexed and which
paper pages' indexed content (what Pagefind reads: the `data-pagefind-body` block without its
`data-pagefind-ignore` parts, and the meta values) changed in each, and which front-matter field
of the page changed.

    PAPER_DIGEST_SHARD_PAGES=1000 PAPER_DIGEST_TAIL_PAGES=200 python -m bench.shard_churn --papers 2950 --digests 3

("pages moved between shards" counts pages whose shard number changed: a block completing.)
"""

from __future__ import annotations

import argparse
import html.parser
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import frontmatter

from bench import corpus
from bench.bench import FIXED_DATE, make_project
from bench.measure import run
from generator.search.shards import PAGES_PER_SHARD, TAIL_PAGES, SearchPage, blocks
from generator.site.tracking import _searched

FIELDS = ("title", "authors", "tags", "published", "digests", "upvotes", "related")


class _Indexed(html.parser.HTMLParser):
    """The text and meta values of the data-pagefind-body block, without ignored elements."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[bool, bool]] = []  # (in body, ignored) per open element
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        body, ignored = self.stack[-1] if self.stack else (False, False)
        body = body or "data-pagefind-body" in names
        ignored = ignored or "data-pagefind-ignore" in names
        if body and "data-pagefind-meta" in names:
            self.parts.append(f"[meta {names['data-pagefind-meta']}]")
        if tag not in self.VOID:
            self.stack.append((body, ignored))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] and not self.stack[-1][1] and data.strip():
            self.parts.append(data.strip())


def indexed(page: Path) -> str:
    parser = _Indexed()
    parser.feed(page.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def state(project: Path) -> dict[str, Any]:
    site = project / "site"
    record = json.loads((project / ".site-build.json").read_text(encoding="utf-8"))
    pages = {}
    for src, entry in record["files"].items():
        if entry.get("page") and not entry.get("hidden") and src.startswith("papers/") and src.count("/") == 1:
            post = frontmatter.load(project / "docs" / src)
            meta = post.metadata
            pages[src] = {
                "searched": _searched(meta, post.content),
                "first": entry.get("first", ""), "dest": entry["dest"], "indexed": indexed(site / entry["dest"]),
                "body": entry.get("body", ""),
                "fields": {name: json.dumps(meta.get(name), default=str, sort_keys=True) for name in FIELDS},
            }
    return {"pages": pages, "search": record.get("search", {})}


def shard_of(pages: dict[str, Any]) -> dict[str, int]:
    """Each page's shard, as generator/search/shards.py cuts them (the environment's sizes)."""
    by_dest = {page["dest"]: src for src, page in pages.items()}
    cut = blocks([SearchPage(page["dest"], page["first"], "") for page in pages.values()], PAGES_PER_SHARD, TAIL_PAGES)
    return {by_dest[page.html]: k for k, block in enumerate(cut) for page in block}


def site(project: Path) -> dict[str, Any]:
    done = run([sys.executable, "-m", "generator", "site", "--json"], project, env=FIXED_DATE)
    result: dict[str, Any] = json.loads(done.output.strip().splitlines()[-1])
    result["wall"] = done.seconds
    return result


def churn(papers: int, digests: int, work: Path) -> list[dict[str, Any]]:
    project = make_project(work / "project")
    real = corpus.arxiv_papers()
    made = corpus.write_real_corpus(project / "digests", real, papers)
    generate = [sys.executable, "-m", "generator", "build", "--quiet"]
    run(generate, project)
    first = site(project)
    print(f"N={papers}, shards of {PAGES_PER_SHARD}, tail {TAIL_PAGES}: "
          f"full build {first['wall']:.1f} s, {first['shards']} shards", flush=True)
    before = state(project)
    found = []
    for d in range(digests):
        corpus.write_real_corpus(project / "digests", real, corpus.PER_DIGEST,
                                 first_paper=papers + d * corpus.PER_DIGEST, first_digest=made.digests + d)
        run(generate, project)
        done = site(project)
        after = state(project)
        old_shard = shard_of(before["pages"])
        new_shard = shard_of(after["pages"])
        moved = sum(1 for src, k in old_shard.items() if new_shard.get(src) != k)
        by_shard: dict[int, Counter[str]] = {}
        for src, page in after["pages"].items():
            k = new_shard[src]
            old = before["pages"].get(src)
            if old is None:
                why = "new paper"
            elif old["indexed"] == page["indexed"]:
                if old["body"] != page["body"]:  # the record's hash of what search sees moved, the text did not
                    by_shard.setdefault(k, Counter())["hash only"] += 1
                    if os.environ.get("CHURN_VERBOSE"):
                        print(src, old["searched"][:400], page["searched"][:400], sep="\n", flush=True)
                continue
            else:
                why = "+".join(n for n in FIELDS if old["fields"][n] != page["fields"][n]) or "no field"
            by_shard.setdefault(k, Counter())[why] += 1
        old_pages = before["pages"]
        relisted = sum(1 for src, page in after["pages"].items()
                       if src in old_pages and old_pages[src]["fields"]["digests"] != page["fields"]["digests"])
        entry = {
            "digest": d + 1, "shards": done["shards"], "reindexed": done["reindexed"],
            "search_s": round(done["seconds"].get("search", 0.0), 2), "site_s": round(done["wall"], 1),
            "pages_moved_between_shards": moved, "relisted_pages": relisted,
            "indexed_changes_by_shard": {k: dict(v) for k, v in sorted(by_shard.items())},
        }
        print(json.dumps(entry), flush=True)
        found.append(entry)
        before = after
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.shard_churn", description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=3000)
    parser.add_argument("--digests", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        churn(args.papers, args.digests, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="churn-") as tmp:
            churn(args.papers, args.digests, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Index the built site for search with Pagefind, after `mkdocs build`.

Material's own search ships its whole lunr index to every reader (tens of MB at 30,000
papers); Pagefind splits the index into chunks, so one query fetches a few hundred KB at any
size. The binary comes from the pinned `pagefind-bin` wheel, so indexing works offline.
Only paper pages are indexed (they carry `data-pagefind-body`, see overrides/paper.html):
a search leads to a paper, not to a listing that merely names it.

Pagefind holds every page's words in memory until it writes its index (3.7 GB at 30,000
papers), so a large site is indexed in shards, one Pagefind run each, merged in the browser
(generator/search/shards.py).

    paper-digest index site        # what `make site` runs after MkDocs (also python -m generator.search)
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from generator.search.shards import PAGES_PER_SHARD, SearchPage, index_shards

BODY = b"data-pagefind-body"
FACTS = re.compile(rb"<span hidden data-search-facts>([^<]*)</span>")  # overrides/paper.html
BEFORE_BODY = frozenset(b" \t\n\r\x0b\x0c")  # an attribute follows white space ...
AFTER_BODY = BEFORE_BODY | frozenset(b"=/>")  # ... and ends the name


def searchable_pages(site: Path) -> list[Path]:
    """The pages Pagefind indexes (they mark their body), relative to site/, sorted."""
    pages = (path for path in site.rglob("*.html") if not path.relative_to(site).parts[0].startswith("pagefind"))
    return sorted(path.relative_to(site) for path in pages if marks_body(path.read_bytes()))


def marks_body(html: bytes) -> bool:
    """Whether a tag carries data-pagefind-body (not text that names it: that has no `<`).
    A plain search for the name, then the checks around it: a regex over every page took
    5 s of the 12 s this scan took at 30,000 pages."""
    at = html.find(BODY)
    while at >= 0:
        end = at + len(BODY)
        if (
            at > 0
            and html[at - 1] in BEFORE_BODY
            and end < len(html)
            and html[end] in AFTER_BODY
            and html.rfind(b"<", 0, at) > html.rfind(b">", 0, at)
        ):
            return True
        at = html.find(BODY, end)
    return False


def facts_shown(page: bytes) -> str:
    """The date and topics a paper page's search result shows (not indexed: see overrides/paper.html)."""
    found = FACTS.search(page)
    return html.unescape(found[1].decode()) if found else ""


def index_site(site: Path, per_shard: int | None = None, tail: int | None = None) -> str:
    """Index every page of `site` that marks its body, in shards (generator/search/shards.py), all
    of them afresh; return a report naming the pages indexed. Without the site record the pages
    are in path order (`paper-digest site` orders them by first digest and re-indexes only
    changed shards). Raises CalledProcessError if Pagefind fails."""
    pages = [SearchPage(page.as_posix(), "", "", facts_shown((site / page).read_bytes()))
             for page in searchable_pages(site)]
    done = index_shards(site, pages, None, per_shard or PAGES_PER_SHARD, tail)
    return f"Indexed {done.pages} pages\n(in {done.shards} shard{'s' if done.shards != 1 else ''})\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0] if args else "site")
    try:
        output = index_site(site)
    except subprocess.CalledProcessError as error:
        lines = f"{error.stdout}{error.stderr}".splitlines()  # a run's report repeats its long glob
        detail = "\n".join(line if len(line) <= 300 else line[:300] + " ..." for line in lines)
        print(f"Error: Pagefind could not index {site}/:\n{detail}", file=sys.stderr)
        return 1
    indexed = [line.strip() for line in output.splitlines() if "Indexed" in line]
    print("; ".join(indexed) or output.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())

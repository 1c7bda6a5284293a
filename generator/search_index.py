"""Index the built site for search with Pagefind, after `mkdocs build`.

Material's own search ships its whole lunr index to every reader (tens of MB at 30,000
papers); Pagefind splits the index into chunks, so one query fetches a few hundred KB at any
size. The binary comes from the pinned `pagefind-bin` wheel, so indexing works offline.
Only paper pages are indexed (they carry `data-pagefind-body`, see overrides/paper.html):
a search leads to a paper, not to a listing that merely names it.

Pagefind holds every page's words in memory until it writes its index (3.7 GB at 30,000
papers), so a large site is indexed PAGES_PER_RUN pages at a time, each run over a folder of
links to those pages, and generator/search_merge.py joins the runs' indexes into the one a
single run would write.

    python -m generator.search_index site      # what `make site` runs after MkDocs
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.search_merge import MergeError, merge

PAGES_PER_RUN = 2_500  # about 300 MB for Pagefind; more runs cost about a second each
BODY = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=/>]")  # the attribute, in a tag


def pagefind(site: Path, output: Path) -> str:
    """Run Pagefind over `site`, writing its bundle to `output`; return its report."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind_bin", "--site", str(site), "--output-path", str(output)],
        capture_output=True, text=True, check=True,
    )
    return done.stdout


def searchable_pages(site: Path) -> list[Path]:
    """The pages Pagefind indexes (they mark their body), relative to site/, sorted."""
    pages = (path for path in site.rglob("*.html") if path.relative_to(site).parts[0] != "pagefind")
    return sorted(path.relative_to(site) for path in pages if BODY.search(path.read_bytes()))


def index_site(site: Path, pages_per_run: int = PAGES_PER_RUN) -> str:
    """Write site/pagefind/; return a report naming the pages indexed.
    Raises CalledProcessError if Pagefind fails, MergeError if its runs cannot be joined."""
    pages = searchable_pages(site)
    if len(pages) <= pages_per_run:
        return pagefind(site, site / "pagefind")
    # next to site/, so that the merged index and its fragments move there by renaming
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.resolve().parent) as scratch:
        runs = []
        for number, start in enumerate(range(0, len(pages), pages_per_run)):
            links, run = Path(scratch, f"pages-{number}"), Path(scratch, f"index-{number}")
            for page in pages[start:start + pages_per_run]:
                (links / page).parent.mkdir(parents=True, exist_ok=True)
                (links / page).symlink_to((site / page).resolve())
            pagefind(links, run)
            shutil.rmtree(links)
            runs.append(run)
        merged = Path(scratch, "merged")
        indexed, words = merge(runs, merged)
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        shutil.move(merged, site / "pagefind")
    return f"Indexed {indexed} pages\nIndexed {words} words\n(in {len(runs)} runs of Pagefind, merged)\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0] if args else "site")
    try:
        output = index_site(site)
    except subprocess.CalledProcessError as error:
        print(f"Error: Pagefind could not index {site}/:\n{error.stdout}{error.stderr}", file=sys.stderr)
        return 1
    except MergeError as error:
        print(f"Error: could not merge Pagefind's indexes of {site}/: {error}", file=sys.stderr)
        return 1
    indexed = [line.strip() for line in output.splitlines() if "Indexed" in line]
    print("; ".join(indexed) or output.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())

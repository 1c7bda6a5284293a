"""Index the built site for search with Pagefind, after `mkdocs build`.

Material's own search ships its whole lunr index to every reader (tens of MB at 30,000
papers); Pagefind splits the index into chunks, so one query fetches a few hundred KB at any
size. The binary comes from the pinned `pagefind-bin` wheel, so indexing works offline.
Only paper pages are indexed (they carry `data-pagefind-body`, see overrides/paper.html):
a search leads to a paper, not to a listing that merely names it.

Pagefind holds every page's words in memory until it writes its index (3.7 GB at 30,000
papers), so a large site is indexed PAGES_PER_RUN pages at a time, each run told which pages
by a glob, and generator/search/merge.py joins the runs' indexes into the one a single run
would write.

    paper-digest index site        # what `make site` runs after MkDocs (also python -m generator.search)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.search.merge import MergeError, merge

PAGES_PER_RUN = 2_500  # ~340 MB for Pagefind (~120 KB a page); every run and the merge cost time
# Pagefind matches nothing, silently, once its glob is too long: 2,500 of our paper paths
# (~190,000 characters) work, 5,000 do not; a run's glob is kept under this many characters.
GLOB_LIMIT = 180_000
BODY = b"data-pagefind-body"
BEFORE_BODY = frozenset(b" \t\n\r\x0b\x0c")  # an attribute follows white space ...
AFTER_BODY = BEFORE_BODY | frozenset(b"=/>")  # ... and ends the name
GLOB_SPECIAL = re.compile(r"[*?\[\]{}<>(),:]")  # wax's; it cannot escape a backslash


def pagefind(site: Path, output: Path, cwd: Path | None = None) -> str:
    """Run Pagefind over `site`, writing its bundle to `output`; return its report.
    Pagefind reads its settings from a pagefind.json in `cwd`, if there is one."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind_bin", "--site", str(site.resolve()), "--output-path", str(output.resolve())],
        capture_output=True, text=True, check=True, cwd=cwd,
    )
    return done.stdout


def glob_of(pages: list[Path]) -> str:
    """A Pagefind (wax) glob matching exactly these pages, its special characters escaped."""
    return "{" + ",".join(GLOB_SPECIAL.sub(r"\\\g<0>", page.as_posix()) for page in pages) + "}"


def searchable_pages(site: Path) -> list[Path]:
    """The pages Pagefind indexes (they mark their body), relative to site/, sorted."""
    pages = (path for path in site.rglob("*.html") if path.relative_to(site).parts[0] != "pagefind")
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


def index_site(site: Path, pages_per_run: int = PAGES_PER_RUN) -> str:
    """Write site/pagefind/; return a report naming the pages indexed.
    Raises CalledProcessError if Pagefind fails."""
    pages = searchable_pages(site)
    if len(pages) <= pages_per_run or any("\\" in page.as_posix() for page in pages):
        return pagefind(site, site / "pagefind")
    try:
        indexed, words, runs = index_in_runs(site, pages, pages_per_run)
    except MergeError as error:  # e.g. pages in several languages: one run, as small sites
        return pagefind(site, site / "pagefind") + f"(in one run: {error})\n"
    return f"Indexed {indexed} pages\nIndexed {words} words\n(in {runs} runs of Pagefind, merged)\n"


def index_in_runs(site: Path, pages: list[Path], pages_per_run: int) -> tuple[int, int, int]:
    """Index `pages` in runs of `pages_per_run`, merge into site/pagefind/; return the
    numbers of pages, words and runs."""
    # next to site/, so that the merged index and its fragments move there by renaming
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.resolve().parent) as scratch:
        runs = []
        for number, share in enumerate(shares(pages, pages_per_run)):
            run = Path(scratch, str(number))
            run.mkdir()
            # the list of pages is too long for a command line, so it goes in Pagefind's config
            config = {"glob": glob_of(share)}
            (run / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
            pagefind(site, run / "index", cwd=run)
            runs.append(run / "index")
        merged = Path(scratch, "merged")
        indexed, words = merge(runs, merged)
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        shutil.move(merged, site / "pagefind")
    return indexed, words, len(runs)


def shares(pages: list[Path], pages_per_run: int) -> list[list[Path]]:
    """`pages` in order, cut into runs of at most `pages_per_run` pages whose glob stays
    under GLOB_LIMIT characters."""
    runs: list[list[Path]] = [[]]
    length = 0
    for page in pages:
        size = len(glob_of([page]))
        if runs[-1] and (len(runs[-1]) >= pages_per_run or length + size > GLOB_LIMIT):
            runs.append([])
            length = 0
        runs[-1].append(page)
        length += size
    return runs


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

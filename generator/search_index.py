"""Index the built site for search with Pagefind, after `mkdocs build`.

Material's own search ships its whole lunr index to every reader (tens of MB at 30,000
papers); Pagefind splits the index into chunks, so one query fetches a few hundred KB at any
size. The binary comes from the pinned `pagefind-bin` wheel, so indexing works offline.
Only paper pages are indexed (they carry `data-pagefind-body`, see overrides/paper.html):
a search leads to a paper, not to a listing that merely names it.

    python -m generator.search_index site      # what `make site` runs after MkDocs
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def index_site(site: Path) -> str:
    """Write site/pagefind/; return Pagefind's report. Raises CalledProcessError on failure."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind_bin", "--site", str(site)],
        capture_output=True, text=True, check=True,
    )
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0] if args else "site")
    try:
        output = index_site(site)
    except subprocess.CalledProcessError as error:
        print(f"Error: Pagefind could not index {site}/:\n{error.stdout}{error.stderr}", file=sys.stderr)
        return 1
    indexed = [line.strip() for line in output.splitlines() if "Indexed" in line]
    print("; ".join(indexed) or output.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())

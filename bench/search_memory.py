"""Search indexing of an already built synthetic site: one Pagefind run against
`python -m generator.search` (runs of PAGES_PER_RUN pages, merged); seconds, peak
memory, and the bytes of one query in Chromium with the merged index.

    python -m bench.search_memory PROJECT     # PROJECT holds docs/ and site/ (built)

The single run writes to a scratch folder, so PROJECT/site/pagefind is the merged index.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench import corpus
from bench.bench import _slug_of, served
from bench.measure import run, search_cost


def main(argv: list[str]) -> int:
    project = Path(argv[0]).resolve()
    site = project / "site"
    papers = len(list((project / "docs" / "papers").glob("*.md")))
    with tempfile.TemporaryDirectory() as scratch:
        one = run([sys.executable, "-m", "pagefind_bin", "--site", str(site), "--output-path", scratch], project)
    merged = run([sys.executable, "-m", "generator.search", str(site)], project)
    print(f"{papers} papers: one Pagefind run {one.seconds:.1f} s, {one.peak_mb:.0f} MB; "
          f"search index {merged.seconds:.1f} s, {merged.peak_mb:.0f} MB ({merged.output.strip()})")
    with served(site) as url:
        for n in sorted({0, papers // 3, papers - 1}):
            slug = _slug_of(project, n)
            for word in (corpus.title_word(n), corpus.abstract_word(n)):
                cost, urls, found = search_cost(url, word, slug)
                print(f"  query {word!r}: {cost / 1024:.1f} KB in {len(urls)} requests, finds the paper: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

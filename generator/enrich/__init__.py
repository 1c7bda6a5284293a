"""Enrichment: authors, arXiv id, dates and categories for every paper, fetched once.

`enrich` looks each paper up (the arXiv API, `ArxivApi`, or a downloaded metadata
snapshot, `ArxivSnapshot`) and records what it finds in a committed JSON-lines store
(`store.py`), so that the build stays offline and deterministic: it only reads the store
(`read_store`). Matching never guesses (`match.py`): a paper is matched, ambiguous,
unmatched, or pinned by a curator. `command.py` is the command line, for `cli.py` to add.

`ArxivApi` lives in `generator.enrich.arxiv_api` and is not imported here: it brings httpx,
which a build that only reads the store does not need.
"""

from generator.enrich.ids import abs_url, arxiv_id, pdf_url
from generator.enrich.model import Candidate, PaperLike, Record, Source
from generator.enrich.run import Summary, enrich
from generator.enrich.snapshot import ArxivSnapshot
from generator.enrich.store import DEFAULT_STORE, read_store, write_store

__all__ = [
    "DEFAULT_STORE",
    "ArxivSnapshot",
    "Candidate",
    "PaperLike",
    "Record",
    "Source",
    "Summary",
    "abs_url",
    "arxiv_id",
    "enrich",
    "pdf_url",
    "read_store",
    "write_store",
]

"""Synthetic projects of N papers for the scale tests, made by the benchmark's corpus."""

from __future__ import annotations

import re
from pathlib import Path

from bench.corpus import real_listings, write_corpus
from tests.conftest import ROOT, copy_project


def synthetic_project(dest: Path, papers: int) -> Path:
    """A project whose digests hold `papers` distinct synthetic papers (see bench/corpus.py)."""
    project = copy_project(dest, digests=None)
    write_corpus(project / "digests", papers, real_listings(ROOT))
    return project


def slug_of(project: Path, title_word: str) -> str:
    """The slug of the paper whose title starts with the made-up word."""
    return next((project / "docs" / "papers").glob(f"{title_word}-*.md")).stem


def indexed_pages(pagefind_report: str) -> int:
    found = re.search(r"Indexed (\d+) pages?", pagefind_report)
    assert found, pagefind_report
    return int(found[1])

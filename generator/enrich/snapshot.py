"""arXiv's metadata snapshot as a source: the bulk JSON-lines file downloaded once.

The file ("arxiv-metadata-oai-snapshot.json", Kaggle's arXiv dataset) holds one paper a
line and is over 4 GB, so it is never loaded: each call reads it once, line by line, and
keeps only the papers whose normalised title (or identifier) it was asked for. A `.gz` or
`.xz` file is read through its decompressor. A line that is not a paper stops the run with
an error naming the file and line.
"""

from __future__ import annotations

import gzip
import json
import lzma
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from generator.enrich.ids import arxiv_id
from generator.enrich.model import Candidate, Lookup
from generator.enrich.titles import match_key, tex_to_unicode
from generator.errors import InputError
from generator.text import clean


class ArxivSnapshot:
    """`Source` over a metadata snapshot file."""

    name = "arxiv-snapshot"
    title_batch = None  # every title in one pass over the file
    id_batch = None

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise InputError(path, None, "no such file: download arXiv's metadata snapshot (see the README)")
        self.path = path

    @staticmethod
    def title_query(title: str) -> str:
        return f"title:{match_key(title)}"

    def search_titles(self, titles: Sequence[str]) -> dict[str, Lookup]:
        wanted: dict[str, list[str]] = defaultdict(list)  # squashed key -> the titles asked with it
        for title in titles:
            wanted[_squash(title)].append(title)
        found: dict[str, list[Candidate]] = defaultdict(list)
        for number, paper in self._papers():
            if isinstance(raw := paper.get("title"), str) and (squashed := _squash(raw)) in wanted:
                found[squashed].append(self._candidate(paper, number))
        return {title: Lookup(self.title_query(title), tuple(found[_squash(title)])) for title in titles}

    def by_ids(self, ids: Sequence[str]) -> dict[str, Candidate]:
        wanted = set(ids)
        found: dict[str, Candidate] = {}
        for number, paper in self._papers():
            if paper.get("id") in wanted:
                candidate = self._candidate(paper, number)
                found[candidate.arxiv] = candidate
                if len(found) == len(wanted):
                    break
        return found

    def _papers(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with _open(self.path) as file:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                try:
                    paper = json.loads(line)
                except ValueError as error:
                    raise InputError(self.path, number, f"not a JSON line of arXiv's snapshot: {error}") from None
                if not isinstance(paper, dict):
                    raise InputError(self.path, number, "not a paper of arXiv's snapshot (a JSON object)")
                yield number, paper

    def _candidate(self, paper: dict[str, Any], number: int) -> Candidate:
        try:
            return _candidate(paper)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise InputError(self.path, number, f"not a paper of arXiv's snapshot: {error!r}") from None


def _squash(title: str) -> str:
    return match_key(title).replace(" ", "")


def _open(path: Path) -> IO[str]:
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    if suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8", newline="\n")
    return path.open(encoding="utf-8", newline="\n")


def _candidate(paper: dict[str, Any]) -> Candidate:
    identifier = arxiv_id(paper["id"])
    if identifier is None:
        raise ValueError(f"{paper['id']!r} is not an arXiv identifier")
    versions = [_version_date(v["created"]) for v in paper["versions"]]
    published, latest = versions[0], versions[-1]
    return Candidate(
        arxiv=identifier,
        title=clean(paper["title"]),
        abstract=clean(paper.get("abstract") or ""),
        authors=_authors(paper),
        categories=tuple(dict.fromkeys(paper["categories"].split())),  # primary first, as arXiv lists them
        published=published,
        updated=latest if latest != published else None,
        doi=clean(paper["doi"]) if paper.get("doi") else None,
        journal_ref=clean(paper["journal-ref"]) if paper.get("journal-ref") else None,
    )


def _version_date(created: str) -> date:
    """`Mon, 2 Apr 2007 19:18:42 GMT` -> 2007-04-02."""
    return parsedate_to_datetime(created).date()


def _authors(paper: dict[str, Any]) -> tuple[str, ...]:
    """Names as "First Last Suffix" from `authors_parsed` ([last, first, suffix]), TeX accents
    made Unicode; the `authors` string, split on commas and "and", where it is missing."""
    parsed = paper.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = [" ".join(part for part in (p[1], p[0], *p[2:]) if part) for p in parsed]
    else:
        names = str(paper.get("authors", "")).replace(" and ", ", ").split(",")
    return tuple(name for n in names if (name := clean(tex_to_unicode(n))))

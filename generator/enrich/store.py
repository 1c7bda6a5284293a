"""The record store: `enrichment/papers.jsonl`, committed, one JSON record a line.

The file is written so that git diffs stay small and reading then writing gives the same
bytes: records sorted by key, fields in the order of `Record`, absent fields left out,
non-ASCII written as itself, one record a line, a final newline. It is replaced atomically
(a temporary file in the same folder, then `os.replace`), so a run stopped at any moment
leaves either the old file or the new one. A line that does not read as a record stops the
run with an error naming the file and line, rather than losing what the line held.

A record, fields in this order (see `Record`):

    key          generator.text.title_key of the digest's title: the paper's identity
    status       matched | ambiguous | unmatched | pinned
    source       arxiv-api | arxiv-snapshot
    query        what was asked: ti:"words of the title", title:<normalised title>, id:<arXiv id>
    fetched      when, UTC: 2026-01-31T12:00:00Z
    -- matched and pinned only:
    arxiv        the identifier without version: 2510.09842
    title        as arXiv has it (TeX included), white space collapsed
    authors      list of names
    categories   list, primary first
    published    the day of version 1: 2025-10-10
    updated      the day of the latest version, when later (optional)
    doi          (optional)
    journal_ref  (optional)
    -- ambiguous only:
    candidates   the arXiv ids that all passed the checks, sorted
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.enrich.ids import arxiv_id
from generator.enrich.model import SOURCES, STATUSES, Record
from generator.errors import InputError

DEFAULT_STORE = Path("enrichment/papers.jsonl")

_REQUIRED = ("key", "status", "source", "query", "fetched")
_PAPER_FIELDS = ("arxiv", "title", "authors", "categories", "published")  # matched and pinned
_OPTIONAL = ("updated", "doi", "journal_ref")
_FIELDS = (*_REQUIRED, *_PAPER_FIELDS, *_OPTIONAL, "candidates")
_ALLOWED = {"matched": {*_PAPER_FIELDS, *_OPTIONAL}, "pinned": {*_PAPER_FIELDS, *_OPTIONAL},
            "ambiguous": {"candidates"}, "unmatched": set()}


def record_to_json(record: Record) -> str:
    """One line of the store (without its newline)."""
    out: dict[str, Any] = {name: getattr(record, name) for name in _REQUIRED}
    if record.has_paper:
        out.update(arxiv=record.arxiv, title=record.title, authors=list(record.authors),
                   categories=list(record.categories), published=_iso(record.published))
        for name in _OPTIONAL:
            if (value := getattr(record, name)) is not None:
                out[name] = _iso(value) if isinstance(value, date) else value
    if record.status == "ambiguous":
        out["candidates"] = list(record.candidates)
    return json.dumps(out, ensure_ascii=False)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def record_from_json(data: Any) -> Record:
    """A record from one parsed line; ValueError says what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("a record is a JSON object")
    if unknown := [name for name in data if name not in _FIELDS]:
        raise ValueError(f"unknown field {unknown[0]!r} (fields: {', '.join(_FIELDS)})")
    for name in _REQUIRED:
        if not isinstance(data.get(name), str) or not data[name]:
            raise ValueError(f"{name!r} must be a non-empty string")
    if data["status"] not in STATUSES:
        raise ValueError(f"status {data['status']!r} is not one of {', '.join(STATUSES)}")
    try:
        datetime.fromisoformat(data["fetched"])
    except ValueError:
        raise ValueError(f"'fetched' {data['fetched']!r} is not an ISO 8601 time") from None
    if data["source"] not in SOURCES:
        raise ValueError(f"source {data['source']!r} is not one of {', '.join(SOURCES)}")
    fields: dict[str, Any] = {name: data[name] for name in _REQUIRED}
    if data["status"] in ("matched", "pinned"):
        if missing := [name for name in _PAPER_FIELDS if name not in data]:
            raise ValueError(f"a {data['status']} record needs {', '.join(map(repr, missing))}")
        fields.update(
            arxiv=_identifier(data["arxiv"]),
            title=_string(data, "title"),
            authors=_strings(data, "authors"),
            categories=_strings(data, "categories"),
            published=_date(data, "published"),
            updated=_date(data, "updated") if "updated" in data else None,
            doi=_string(data, "doi") if "doi" in data else None,
            journal_ref=_string(data, "journal_ref") if "journal_ref" in data else None,
        )
    elif data["status"] == "ambiguous":
        fields["candidates"] = tuple(_identifier(i) for i in _strings(data, "candidates"))
    if misplaced := [name for name in data if name not in _REQUIRED and name not in _ALLOWED[data["status"]]]:
        raise ValueError(f"a {data['status']} record has no {misplaced[0]!r}")
    return Record(**fields)


def _string(data: dict[str, Any], name: str) -> str:
    if not isinstance(value := data[name], str):
        raise ValueError(f"{name!r} must be a string")
    return value


def _strings(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data[name]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name!r} must be a list of strings")
    return tuple(value)


def _date(data: dict[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(_string(data, name))
    except ValueError:
        raise ValueError(f"{name!r} must be a date, YYYY-MM-DD") from None


def _identifier(value: Any) -> str:
    if not isinstance(value, str) or arxiv_id(value) != value:
        raise ValueError(f"{value!r} is not an arXiv identifier without version (like 2510.09842)")
    return value


def read_store(path: Path) -> dict[str, Record]:
    """Every record of the store by key; an empty store when the file does not exist yet."""
    records: dict[str, Record] = {}
    try:
        file = path.open(encoding="utf-8", newline="\n")  # a record never holds a raw "\n"
    except FileNotFoundError:
        return records
    with file:
        try:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                try:
                    record = record_from_json(json.loads(line))
                except ValueError as error:  # json.JSONDecodeError is a ValueError
                    raise InputError(path, number, f"not an enrichment record: {error}") from None
                if record.key in records:
                    raise InputError(path, number, f"a second record for the paper {record.key!r}")
                records[record.key] = record
        except UnicodeDecodeError as error:
            raise InputError(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    return records


def store_text(records: Iterable[Record]) -> str:
    """The whole file: records sorted by key, one a line, a final newline."""
    lines = [record_to_json(r) for r in sorted(records, key=lambda r: r.key)]
    return "".join(line + "\n" for line in lines)


def write_store(path: Path, records: Mapping[str, Record]) -> None:
    """Replace the store with these records, atomically (see the module docstring)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = store_text(records.values())
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp's own is 0o600
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temp, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:  # KeyboardInterrupt too: never leave the temporary file behind
        Path(temp).unlink(missing_ok=True)
        raise

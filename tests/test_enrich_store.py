"""The record store: its exact lines, the round trip, errors naming the line, atomic writes."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.enrich.model import Record
from generator.enrich.store import read_store, store_text, write_store
from generator.errors import UserError

MATCHED = Record(
    key="give me fp32 or give me death? challenges and solutions for reproducible reasoning",
    status="matched", source="arxiv-api",
    query='ti:"give me fp32 or give me death challenges and solutions for reproducible reasoning"',
    fetched="2026-01-31T12:00:00Z", arxiv="2506.09501",
    title="Give Me FP32 or Give Me Death? Challenges and Solutions for Reproducible Reasoning",
    authors=("Jiayi Yuan", "Annika Mütze"), categories=("cs.CL", "cs.LG"), published=date(2025, 6, 11),
    updated=date(2025, 9, 22), doi="10.1234/example.2506.09501", journal_ref="Example Proceedings 2025",
)
PINNED = Record(key="online generic event boundary detection", status="pinned", source="arxiv-snapshot",
                query="id:2510.06855", fetched="2026-01-31T12:00:03Z", arxiv="2510.06855",
                title="Online Generic Event Boundary Detection", authors=("Hyungrok Jung",),
                categories=("cs.CV", "eess.IV"), published=date(2025, 10, 8))
LOGIT = "logit arithmetic elicits long reasoning capabilities without training"
AMBIGUOUS = Record(key=LOGIT, status="ambiguous", source="arxiv-api", query=f'ti:"{LOGIT}"',
                   fetched="2026-01-31T12:00:06Z", candidates=("2507.12759", "2510.09354"))
UNMATCHED = Record(key="a title\u2028with a line separator", status="unmatched", source="arxiv-api",
                   query='ti:"a title with a line separator"', fetched="2026-01-31T12:00:09Z")
RECORDS = {r.key: r for r in (UNMATCHED, PINNED, MATCHED, AMBIGUOUS)}


def test_each_status_is_one_line_with_its_fields_in_a_fixed_order(tmp_path: Path) -> None:
    write_store(tmp_path / "papers.jsonl", RECORDS)
    lines = (tmp_path / "papers.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # a final newline
    assert lines[:-1] == [
        '{"key": "a title\u2028with a line separator", "status": "unmatched", "source": "arxiv-api", '
        '"query": "ti:\\"a title with a line separator\\"", "fetched": "2026-01-31T12:00:09Z"}',
        '{"key": "give me fp32 or give me death? challenges and solutions for reproducible reasoning", '
        '"status": "matched", "source": "arxiv-api", "query": "ti:\\"give me fp32 or give me death challenges '
        'and solutions for reproducible reasoning\\"", "fetched": "2026-01-31T12:00:00Z", "arxiv": "2506.09501", '
        '"title": "Give Me FP32 or Give Me Death? Challenges and Solutions for Reproducible Reasoning", '
        '"authors": ["Jiayi Yuan", "Annika Mütze"], "categories": ["cs.CL", "cs.LG"], "published": "2025-06-11", '
        '"updated": "2025-09-22", "doi": "10.1234/example.2506.09501", "journal_ref": "Example Proceedings 2025"}',
        '{"key": "logit arithmetic elicits long reasoning capabilities without training", "status": "ambiguous", '
        '"source": "arxiv-api", "query": "ti:\\"logit arithmetic elicits long reasoning capabilities without '
        'training\\"", "fetched": "2026-01-31T12:00:06Z", "candidates": ["2507.12759", "2510.09354"]}',
        '{"key": "online generic event boundary detection", "status": "pinned", "source": "arxiv-snapshot", '
        '"query": "id:2510.06855", "fetched": "2026-01-31T12:00:03Z", "arxiv": "2510.06855", '
        '"title": "Online Generic Event Boundary Detection", "authors": ["Hyungrok Jung"], '
        '"categories": ["cs.CV", "eess.IV"], "published": "2025-10-08"}',
    ]


def test_reading_then_writing_gives_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    write_store(path, RECORDS)
    first = path.read_bytes()
    assert read_store(path) == RECORDS
    write_store(path, read_store(path))
    assert path.read_bytes() == first


def test_records_are_written_sorted_by_key_whatever_order_they_come_in(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    write_store(path, dict(reversed(list(RECORDS.items()))))
    assert [r.key for r in read_store(path).values()] == sorted(RECORDS)


def test_a_missing_store_is_empty_and_written_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "enrichment" / "papers.jsonl"
    assert read_store(path) == {}
    write_store(path, {MATCHED.key: MATCHED})
    assert read_store(path) == {MATCHED.key: MATCHED}
    assert path.stat().st_mode & 0o777 == 0o644


GOOD = store_text([PINNED]).rstrip("\n")


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "not an enrichment record: Expecting property name"),
    ("[1, 2]", "a record is a JSON object"),
    (GOOD.replace('"status": "pinned"', '"status": "found"'), "status 'found' is not one of matched,"),
    (GOOD.replace('"source": "arxiv-snapshot"', '"source": "scholar"'), "source 'scholar' is not one of"),
    (GOOD.replace('"fetched"', '"fetch"'), "unknown field 'fetch'"),
    (GOOD.replace('"published": "2025-10-08"', '"published": "8 Oct 2025"'), "'published' must be a date"),
    (GOOD.replace('"arxiv": "2510.06855"', '"arxiv": "2510.06855v2"'), "is not an arXiv identifier"),
    (GOOD.replace(', "published": "2025-10-08"', ""), "a pinned record needs 'published'"),
    (GOOD.replace('"authors": ["Hyungrok Jung"]', '"authors": "Hyungrok Jung"'), "'authors' must be a list"),
    (GOOD.replace('"2026-01-31T12:00:03Z"', '"yesterday"'), "'fetched' 'yesterday' is not an ISO 8601 time"),
    (store_text([UNMATCHED]).rstrip("\n").replace("}", ', "arxiv": "2510.06855"}'), "unmatched record has no 'arxiv'"),
    ("<<<<<<< HEAD", "not an enrichment record"),
])
def test_a_corrupt_line_is_an_error_naming_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text(store_text([MATCHED]) + line + "\n", encoding="utf-8")
    with pytest.raises(UserError) as error:
        read_store(path)
    assert str(error.value).startswith(f"{path}:2: ")
    assert message in str(error.value)


def test_two_records_of_one_paper_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text(store_text([PINNED]) * 2, encoding="utf-8")
    with pytest.raises(UserError, match=r"papers.jsonl:2: a second record for the paper 'online generic"):
        read_store(path)


def test_blank_lines_are_skipped_and_not_written_back(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text("\n" + store_text([PINNED]) + "\n", encoding="utf-8")
    write_store(path, read_store(path))
    assert path.read_text(encoding="utf-8") == store_text([PINNED])


def test_a_write_stopped_before_the_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "papers.jsonl"
    write_store(path, {PINNED.key: PINNED})
    before = path.read_bytes()

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_store(path, RECORDS)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["papers.jsonl"]

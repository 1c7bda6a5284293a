"""Export: papers.json valid against the published schema, and a CSV with the same rows."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import jsonschema

from generator.render.base import environment
from generator.render.export import CSV_COLUMNS, render_export

from .reader_site import real_model


def load(site: Path, name: str) -> object:
    return json.loads((site / name).read_text(encoding="utf-8"))


def test_papers_json_is_valid_against_its_published_schema(real_site: Path) -> None:
    schema, data = load(real_site, "papers.schema.json"), load(real_site, "papers.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(data)) == []
    assert isinstance(data, dict)
    assert len(data["papers"]) == 512


def test_schema_rejects_a_paper_missing_its_slug(real_site: Path) -> None:
    schema, data = load(real_site, "papers.schema.json"), load(real_site, "papers.json")
    assert isinstance(data, dict)
    del data["papers"][0]["slug"]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_every_paper_has_its_page_topics_and_digests(real_site: Path) -> None:
    data = load(real_site, "papers.json")
    assert isinstance(data, dict)
    merged = next(p for p in data["papers"] if p["slug"] == "on-penalty-methods-for-nonconvex-bilevel-optimization-and")
    assert [d["date"] for d in merged["digests"]] == ["2025-03-11", "2025-03-14", "2025-11-20", "2026-11-30"]
    for paper in data["papers"]:
        path = paper["url"].removeprefix("https://paper-digest.example.org/")
        assert (real_site / path / "index.html").is_file(), paper["url"]
        for digest in paper["digests"]:
            digest_path = digest["url"].removeprefix("https://paper-digest.example.org/")
            assert (real_site / digest_path / "index.html").is_file()


def test_csv_has_the_same_rows_as_the_json(real_site: Path) -> None:
    data = load(real_site, "papers.json")
    assert isinstance(data, dict)
    rows = list(csv.DictReader(io.StringIO((real_site / "papers.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["slug"] for r in rows] == [p["slug"] for p in data["papers"]]
    assert [r["title"] for r in rows] == [p["title"] for p in data["papers"]]
    assert [r["url"] for r in rows] == [p["url"] for p in data["papers"]]
    for row, paper in zip(rows, data["papers"], strict=True):
        assert row["topics"].split(" | ") == [t["name"] for t in paper["topics"]] or not paper["topics"]
        assert row["upvotes"] == ("" if paper["upvotes"] is None else str(paper["upvotes"]))


def test_export_keeps_markup_as_text_and_guards_spreadsheet_formulas() -> None:
    site = real_model()
    nasty = replace(site.papers[0], title="=HYPERLINK(\"x\") <script>alert(1)</script>")
    files = render_export(replace(site, papers=(nasty, *site.papers[1:])), environment())
    assert "<" not in files["papers.json"]
    record = next(p for p in json.loads(files["papers.json"])["papers"] if p["slug"] == nasty.slug)
    assert record["title"] == nasty.title
    row = next(r for r in csv.DictReader(io.StringIO(files["papers.csv"])) if r["slug"] == nasty.slug)
    assert row["title"] == "'" + nasty.title

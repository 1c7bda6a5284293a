"""Export: every paper as `papers.json` and `papers.csv`, with a JSON Schema beside them.

The files other tools read (a newsletter, a Zotero import, a notebook). The JSON holds the
exact text; `<`, `>` and `&` are \\u-escaped so no HTML sniffer sees markup in it. The CSV is
the same rows flattened (lists joined with " | "), without the abstracts (they are in the
JSON; at 30,000 papers they made the CSV 50 MB and cost seconds); a text cell that a spreadsheet would run as
a formula (starting with =, +, -, @) gets a leading apostrophe, the usual guard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment

from generator.enrich.ids import abs_url, pdf_url
from generator.model import Paper, Site, newest_first
from generator.render.base import json_dumps, paper_url

SCHEMA_PATH = "papers.schema.json"
CSV_COLUMNS = (
    "slug", "url", "title", "published", "published_year_inferred", "first_listed", "author_count",
    "upvotes", "topics", "links", "digests",
)  # fmt: skip; no abstract: it is most of the bytes and of the time, and papers.json has it
ENRICHED_COLUMNS = ("authors", "arxiv")  # added when enrichment found any paper
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def paper_record(site: Site, paper: Paper, names: Mapping[str, str]) -> dict[str, Any]:
    enriched: dict[str, Any] = {"authors": list(paper.authors)} if paper.authors else {}
    if paper.arxiv:
        enriched |= {"arxiv": paper.arxiv, "arxiv_url": abs_url(paper.arxiv), "pdf_url": pdf_url(paper.arxiv)}
    return {
        "slug": paper.slug,
        "url": paper_url(site, paper),
        "title": paper.title,
        "abstract": paper.abstract,
        "published": paper.published.isoformat() if paper.published else None,
        "published_year_inferred": paper.published_year_inferred,
        "first_listed": paper.first_listed.isoformat(),
        "author_count": paper.author_count,
        "upvotes": paper.upvotes,
        "topics": [{"slug": s, "name": names[s]} for s in paper.topics],
        "links": list(paper.links),
        "digests": [
            {
                "date": a.digest_date.isoformat(),
                "url": f"{site.settings.url}digests/{site.digest_slugs[a.digest_id]}/",
                "position": a.position,
                "upvotes": a.upvotes,
            }
            for a in paper.appearances
        ],
        **enriched,  # only where enrichment found the paper: without it, the export is as it was
    }


def _schema(site: Site) -> dict[str, Any]:
    nullable_int = {"type": ["integer", "null"], "minimum": 0}
    url = {"type": "string", "format": "uri", "pattern": "^https?://"}
    day = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    paper = {
        "type": "object",
        "additionalProperties": False,
        "required": ["slug", "url", "title", "abstract", "published", "published_year_inferred",
                     "first_listed", "author_count", "upvotes", "topics", "links", "digests"],
        "properties": {
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
            "url": url,
            "title": {"type": "string", "minLength": 1},
            "abstract": {"type": "string"},
            "published": {"anyOf": [day, {"type": "null"}]},
            "published_year_inferred": {"type": "boolean"},
            "first_listed": day,
            "author_count": nullable_int,
            "upvotes": nullable_int,
            "topics": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["slug", "name"],
                "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}}},
            "links": {"type": "array", "items": url},
            "digests": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False,
                "required": ["date", "url", "position", "upvotes"],
                "properties": {"date": day, "url": url, "position": {"type": "integer", "minimum": 1},
                               "upvotes": nullable_int}}},
        },
    }  # fmt: skip
    if any(p.authors or p.arxiv for p in site.papers):  # optional fields, present when enriched
        paper["properties"] |= {  # type: ignore[operator]
            "authors": {"type": "array", "items": {"type": "string"}},
            "arxiv": {"type": "string", "pattern": r"^([a-z-]+(\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})$"},
            "arxiv_url": url,
            "pdf_url": url,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{site.settings.url}{SCHEMA_PATH}",
        "title": f"{site.settings.title}: every paper",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "url", "papers"],
        "properties": {
            "title": {"type": "string"},
            "url": url,
            "papers": {"type": "array", "items": {"$ref": "#/$defs/paper"}},
        },
        "$defs": {"paper": paper},
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = CSV_COLUMNS + (ENRICHED_COLUMNS if any("arxiv" in r or "authors" in r for r in records) else ())
    writer.writerow(columns)
    for r in records:
        flat = {
            **r,
            "topics": " | ".join(t["name"] for t in r["topics"]),
            "links": " | ".join(r["links"]),
            "digests": " | ".join(d["date"] for d in r["digests"]),
            "authors": " | ".join(r.get("authors", ())),
            "arxiv": r.get("arxiv"),
        }
        writer.writerow([_cell(flat[c]) for c in columns])
    return out.getvalue()


def render_export(site: Site, env: Environment) -> dict[str, str]:
    """papers.json, papers.csv and papers.schema.json, newest first."""
    names = {t.slug: t.name for t in site.taxonomy}
    records = [paper_record(site, p, names) for p in newest_first(site.papers)]
    document = {"title": site.settings.title, "url": site.settings.url, "papers": records}
    return {
        "papers.json": json_dumps(document, indent=None),
        "papers.csv": _csv(records),
        SCHEMA_PATH: json_dumps(_schema(site)),
    }

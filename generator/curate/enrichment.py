"""What enrichment recorded about each paper (`enrichment/papers.jsonl`, written by
`paper-digest enrich`), attached to the papers: the build only reads the store, so it stays
offline and the same with or without network."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from generator.enrich.model import Record
from generator.model import Paper


def add_enrichment(papers: Iterable[Paper], records: Mapping[str, Record]) -> tuple[Paper, ...]:
    """Each paper with its record's decision, and, for a matched or pinned one, its arXiv id
    and authors. Ambiguous and unmatched records add nothing a reader sees (the quality page
    lists them)."""
    enriched = []
    for paper in papers:
        record = records.get(paper.key)
        if record is None:
            enriched.append(paper)
        elif record.has_paper:
            enriched.append(replace(paper, lookup=record.status, arxiv=record.arxiv, authors=record.authors))
        else:
            enriched.append(replace(paper, lookup=record.status, arxiv_candidates=record.candidates))
    return tuple(enriched)

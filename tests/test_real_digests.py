"""The five real digests, built: every listing becomes a page whose metadata the files give.

The expected values come from the files by the test's own simple parser (tests/layouts.py), not
from the reader: 556 listings of 512 unique papers, 36 of them in more than one digest, and for
each paper its author count, published date, upvotes and digests as the files say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import frontmatter

from generator.settings import load_settings
from generator.text import title_key

from .conftest import REAL_DIGESTS, ROOT
from .layouts import Digest

MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                       "Dec"], 1)}


def digest_days() -> dict[str, date]:
    """Each digest's date: site.yml, else the date the repository recorded."""
    days = dict(load_settings(ROOT / "site.yml").digest_dates)
    recorded = json.loads((ROOT / ".generator" / "digest-dates.json").read_text())
    days.update({name: date.fromisoformat(entry["date"]) for name, entry in recorded.items()})
    return days


@dataclass
class Expected:
    listings: int = 0
    digests: list[str] = field(default_factory=list)  # digest dates, as the page lists them
    facts: dict[str, object] = field(default_factory=dict)  # author_count, published, upvotes


def expected() -> dict[str, Expected]:
    """Title key -> what the files say about that paper."""
    days = digest_days()
    papers: dict[str, Expected] = {}
    for path in sorted(REAL_DIGESTS.glob("*.txt")):
        day = days[path.stem]
        for paper in Digest.parse(path).papers:
            entry = papers.setdefault(title_key(paper.title), Expected())
            entry.listings += 1
            entry.digests.append(day.isoformat())
            for line in paper.metadata:  # newest digest last: its values win, as on the page
                words = line.replace(",", "").split()
                if line.startswith("•"):
                    entry.facts["author_count"] = int(words[1])
                elif words[0] in MONTHS:
                    month, d = MONTHS[words[0]], int(words[1])
                    year = int(words[2]) if "," in line else day.year - ((month, d) > (day.month, day.day))
                    entry.facts["published"] = date(year, month, d)
                    if len(words) == (4 if "," in line else 3):
                        entry.facts["upvotes"] = int(words[-1])
    return papers


def test_556_listings_of_512_papers_36_in_more_than_one_digest() -> None:
    papers = expected()
    assert sum(p.listings for p in papers.values()) == 556
    assert len(papers) == 512
    assert sum(1 for p in papers.values() if len(set(p.digests)) > 1) == 36


def test_every_paper_page_says_what_the_digests_say(real_project: Path) -> None:
    papers = expected()
    slugs: dict[str, str] = json.loads((real_project / ".generator" / "slugs.json").read_text())
    assert sorted(slugs) == sorted(papers)
    pages = sorted((real_project / "docs" / "papers").glob("*.md"))
    assert len(pages) == 512
    for key, facts in papers.items():
        page = frontmatter.load(real_project / "docs" / "papers" / f"{slugs[key]}.md")
        assert page.get("digests") == sorted(set(facts.digests)), key
        for name in ("author_count", "published", "upvotes"):
            assert page.get(name) == facts.facts.get(name), (key, name)


def test_the_quality_page_says_how_each_digest_was_read_and_dated(real_project: Path) -> None:
    quality = (real_project / "docs" / "quality.md").read_text(encoding="utf-8")
    table = quality.split("| Digest | File | Listings | Read as | Date from |")[1].split("\n\n")[0]
    rows = {line.split("|")[2].strip(" `"): line for line in table.splitlines()[2:]}
    assert "| 243 | LF; no blank lines; no header date | the day it was first built, 2026-11-30 (its first git " \
           "commit): it gives no date |" in rows["002_44ae3e012a1f5e27.txt"]
    assert "| 64 | LF; blank lines between records | its header 'Mar 14', which has no year: the latest Mar 14 on " \
           "or before 2026-11-30" in rows["004_308340773ae682ab.txt"]
    line = next(n for n, text in enumerate((ROOT / "site.yml").read_text().splitlines(), 1)
                if text.strip() == "date: 2025-11-20")
    assert rows["003_4f9a4c2f489598b9.txt"].endswith(f"; metadata for 103 of 104 papers | site.yml, line {line} |")
    inferred = quality.split("## Digest dates inferred")[1].split("## ")[0]
    assert "`002_44ae3e012a1f5e27.txt`: **Nov 30, 2026**" in inferred
    assert "To set it: `004_308340773ae682ab: {date: YYYY-MM-DD}`." in inferred

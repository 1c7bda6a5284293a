"""The data-quality page: the real digests' numbers, the merges, conflicts and inferred years."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from generator.catalogue import catalogue
from generator.model import Digest, Listing
from generator.quality import inference_rule, listing_conflicts, sightings_by_paper
from generator.render import Site, digest_slugs
from generator.settings import Settings

from .conftest import ROOT, copy_project, run_generator


def quality_page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "quality" / "index.html").read_text(encoding="utf-8"), "html.parser")


def summary(doc: BeautifulSoup) -> dict[str, str]:
    table = doc.find("table")
    assert table is not None
    return {
        row.find_all("td")[0].get_text(strip=True): row.find_all("td")[1].get_text(strip=True)
        for row in table.find_all("tr")
        if row.find_all("td")
    }


def test_quality_page_numbers_match_the_real_digests(real_site: Path) -> None:
    numbers = summary(quality_page(real_site))
    assert numbers["Digests read"] == "3"
    assert numbers["Listings"] == "249"
    assert numbers["Unique papers"] == "232"
    assert numbers["Duplicate listings merged"] == "17 (into 14 papers)"


def test_quality_page_names_each_merged_paper_and_its_digests(real_site: Path) -> None:
    doc = quality_page(real_site)
    heading = doc.find(id="duplicates-merged")
    assert heading is not None
    items = heading.find_next("ul").find_all("li")  # type: ignore[union-attr]
    assert len(items) == 14
    penalty = next(li for li in items if "On Penalty Methods" in li.get_text())
    assert "3 listings" in penalty.get_text() and "Mar 11, 2025, Mar 14, 2025, Nov 20, 2025" in penalty.get_text()
    link = penalty.find("a")
    assert link is not None and str(link["href"]).startswith("../papers/on-penalty-methods")


def test_quality_page_lists_inferred_years_and_untopical_papers(real_site: Path) -> None:
    doc = quality_page(real_site)
    numbers = summary(doc)
    inferred = doc.find(id="dates-whose-year-was-inferred").find_next("ul").find_all("li")  # type: ignore[union-attr]
    assert len(inferred) == int(numbers["Dates with an inferred year"]) > 0
    assert all("year" in li.get_text() for li in inferred)
    assert doc.find(id="hand-edit-conflicts") is not None and doc.find(id="parser-warnings") is not None


def _digest(day: date, *listings: Listing) -> Digest:
    return Digest(id=day.isoformat(), path=Path("x.txt"), date=day, date_source="site.yml", listings=listings)


def test_listing_conflicts_report_each_differing_field_and_its_resolution() -> None:
    old = Listing("A Paper", "Short.", 1, author_count=3, upvotes=2)
    new = Listing("A paper", "A longer abstract.", 1, author_count=3, upvotes=9)
    digests = [_digest(date(2025, 1, 1), old), _digest(date(2025, 2, 1), new)]
    site = Site(Settings(), catalogue(digests).papers, tuple(digests), digest_slugs(digests), ())
    conflicts = listing_conflicts(sightings_by_paper(site))
    fields: dict[str, Any] = {c.field: c for c in conflicts}
    assert set(fields) == {"title", "abstract", "upvotes"}
    assert fields["upvotes"].values == ((date(2025, 1, 1), "2"), (date(2025, 2, 1), "9"))
    assert "newest" in fields["upvotes"].resolution and "longest" in fields["abstract"].resolution


def test_inference_rule_names_the_year_it_chose() -> None:
    assert "own year" in inference_rule(date(2025, 6, 22), date(2025, 11, 20))
    assert "year before" in inference_rule(date(2024, 12, 9), date(2025, 11, 20))


def test_build_summary_points_to_the_quality_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", digests=ROOT / "tests/golden/digests")
    done = run_generator(project, "build")
    assert done.returncode == 0, done.stderr
    assert "docs/quality.md" in done.stdout

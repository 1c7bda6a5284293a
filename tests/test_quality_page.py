"""The data-quality page: the real digests' numbers, the merges, conflicts and inferred years."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from generator.catalogue import catalogue
from generator.model import Digest, Listing, Site, digest_slugs
from generator.render.quality import inference_rule, listing_conflicts, sightings_by_paper
from generator.settings import Settings

from .conftest import ROOT, copy_project, mkdocs_build, run_generator
from .test_handedits import MOE, MOE_PAGE, digest, edit


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
    assert numbers["Digests read"] == "5"
    assert numbers["Listings"] == "556"
    assert numbers["Unique papers"] == "512"
    assert numbers["Duplicate listings merged"] == "44 (into 36 papers)"
    assert (numbers["Digest dates inferred"], numbers["Reader warnings"]) == ("2", "2")


def test_quality_page_names_each_merged_paper_and_its_digests(real_site: Path) -> None:
    doc = quality_page(real_site)
    heading = doc.find(id="duplicates-merged")
    assert heading is not None
    items = heading.find_next("ul").find_all("li")  # type: ignore[union-attr]
    assert len(items) == 36
    penalty = next(li for li in items if "On Penalty Methods" in li.get_text())
    assert "4 listings" in penalty.get_text()
    assert "Mar 11, 2025, Mar 14, 2025, Nov 20, 2025, Nov 30, 2026" in penalty.get_text()
    link = penalty.find("a")
    assert link is not None and str(link["href"]).startswith("../papers/on-penalty-methods")


def test_quality_page_lists_inferred_years_and_untopical_papers(real_site: Path) -> None:
    doc = quality_page(real_site)
    numbers = summary(doc)
    inferred = doc.find(id="dates-whose-year-was-inferred").find_next("ul").find_all("li")  # type: ignore[union-attr]
    assert len(inferred) == int(numbers["Dates with an inferred year"]) > 0
    assert all("year" in li.get_text() for li in inferred)
    assert doc.find(id="hand-edit-conflicts") is not None and doc.find(id="reader-warnings") is not None


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


def _files(project: Path) -> dict[str, bytes]:
    """Every file of docs/ and the committed state, with its bytes (fingerprint.json is an
    ignored cache of the no-op run, not state)."""
    return {
        str(path.relative_to(project)): path.read_bytes()
        for folder in ("docs", ".generator")
        for path in sorted((project / folder).rglob("*"))
        if path.is_file() and path.name not in {"lock", "fingerprint.json"}
    }


def _hand_edit_conflicts(markdown: str) -> str:
    """The "Hand-edit conflicts" section of the quality page's Markdown."""
    return markdown.split("## Hand-edit conflicts", 1)[1].split("\n## ", 1)[0]


def test_hand_edit_conflicts_stay_on_the_quality_page_until_a_run_writes_pages(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", digests=None)
    (project / "digests").mkdir()
    (project / "digests" / "001.txt").write_text(digest(20, [(MOE, 5), ("Other Paper on Reasoning", 1)]))
    assert run_generator(project, "build").returncode == 0
    quality = project / "docs" / "quality.md"
    assert "None in the last run that wrote pages." in _hand_edit_conflicts(quality.read_text())

    # A curator pins the upvotes; a new digest changes them too: the curator's value is kept.
    edit(project, MOE_PAGE, lambda t: t.replace("upvotes: 5", "upvotes: 1000"))
    (project / "digests" / "002.txt").write_text(digest(21, [(MOE, 42)]))
    done = run_generator(project, "build")
    assert done.returncode == 0, done.stderr
    assert f"conflict: docs/{MOE_PAGE}: 'upvotes'" in done.stdout and "docs/quality.md" in done.stdout
    listed = _hand_edit_conflicts(quality.read_text())
    assert f"- docs/{MOE_PAGE}: **upvotes**" in listed and "None" not in listed

    # A run with nothing new writes no file, and the page still shows that run's conflict.
    before = _files(project)
    again = run_generator(project, "build")
    assert again.returncode == 0 and "Nothing to write" in again.stdout and "conflict:" not in again.stdout
    assert _files(project) == before
    assert run_generator(project, "check").returncode == 0
    html = quality_page(mkdocs_build(project))
    heading = html.find(id="hand-edit-conflicts")
    assert heading is not None
    item = heading.find_next("ul").find("li")  # type: ignore[union-attr]
    assert item is not None and item.get_text(" ", strip=True) == f"docs/{MOE_PAGE}: upvotes"

    # A later run that writes pages without a conflict clears the list.
    (project / "digests" / "003.txt").write_text(digest(22, [("A Brand New Paper on Optimization", 2)]))
    cleared = run_generator(project, "build")
    assert cleared.returncode == 0 and "conflict:" not in cleared.stdout
    assert "None in the last run that wrote pages." in _hand_edit_conflicts(quality.read_text())
    assert json.loads((project / ".generator" / "conflicts.json").read_text()) == {}

"""The stats page: four charts as inline SVG, each with a caption and its numbers as a table."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

from generator.render.base import environment
from generator.render.stats import INK, render_stats

from .reader_site import real_model

CHARTS = ("topics", "months", "upvotes", "topics-over-time")


def stats_page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "stats" / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_chart_is_svg_with_a_text_alternative(real_site: Path) -> None:
    doc = stats_page(real_site)
    for slug in CHARTS:
        figure = doc.find("figure", id=f"chart-{slug}")
        assert figure is not None, slug
        svg = figure.find("svg")
        assert svg is not None and svg.get("role") == "img" and str(svg.get("aria-label", ""))
        assert svg.find("rect") is not None or svg.find("path") is not None
        caption = figure.find("figcaption")
        assert caption is not None and any(ch.isdigit() for ch in caption.get_text())
        table = figure.find_next("table")
        assert table is not None and len(table.find_all("tr")) > 1, f"{slug}: a data table follows the chart"


def test_topic_chart_table_holds_the_real_counts(real_site: Path) -> None:
    table = stats_page(real_site).find("figure", id="chart-topics").find_next("table")  # type: ignore[union-attr]
    rows = {tr.find_all("td")[0].get_text(): int(tr.find_all("td")[1].get_text()) for tr in table.find_all("tr")[1:]}  # type: ignore[union-attr]
    counts = Counter(s for p in real_model().papers for s in p.topics)
    assert rows == {**{t.name: counts[t.slug] for t in real_model().taxonomy}, "No topic": rows["No topic"]}
    assert rows["No topic"] == sum(1 for p in real_model().papers if not p.topics)
    assert sum(v for k, v in rows.items() if k != "No topic") == sum(len(p.topics) for p in real_model().papers)


def test_charts_follow_the_theme_and_load_nothing(real_site: Path) -> None:
    text = (real_site / "stats" / "index.html").read_text(encoding="utf-8")
    assert INK not in text and "currentColor" in text  # axes and labels take the page's text colour
    doc = stats_page(real_site)
    for svg in doc.find_all("svg", class_="chart-svg"):
        assert not svg.find_all("image")
        assert not svg.find_all("style"), "a <style> inside inline SVG would restyle the whole page"
        assert all(not str(el.get("xlink:href", el.get("href", ""))).startswith("http") for el in svg.find_all(True))


def test_charts_are_byte_identical_across_runs() -> None:
    first = render_stats(real_model(), environment())
    assert first == render_stats(real_model(), environment())
    assert "<dc:date>" not in first["stats.md"]

"""The stats page (docs/stats.md): charts of the catalogue, drawn at build time as inline SVG.

matplotlib draws each chart with its object API (no pyplot, no global backend state) into
SVG with text as <text> elements. Ink drawn in the sentinel colour becomes `currentColor`,
so axes and labels follow Material's light or dark palette. Byte-identical output: a fixed
`svg.hashsalt` for element ids and no Date in the metadata. Every chart has a caption and a
data table below it: the same numbers as text.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import Environment

from generator.front_matter import front_matter
from generator.model import Site

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STATS_PATH = "stats.md"
INK = "#010203"  # drawn, then replaced by currentColor
BAR = "#5c6bc0"  # Material indigo 400: readable on the light and the dark background
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UPVOTE_BINS = ((0, 0), (1, 1), (2, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, None))
RC: dict[Any, Any] = {
    "svg.hashsalt": "paper-digest",
    "svg.fonttype": "none",  # real <text>: searchable, themeable, no embedded glyphs
    "font.family": "sans-serif",
    "font.size": 10,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    caption: str  # what the chart shows, in numbers: the text alternative
    svg: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _scope_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and every reference to one) so that several charts on one page never
    share an id: matplotlib numbers them from 1 in each figure ("figure_1", "patch_2")."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    return re.sub(r'(url\(#|href="#)([^")]+)', rf"\1{prefix}-\2", svg)


def _svg(figure: Figure, label: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :].replace(INK, "currentColor")
    # Inline in the page, matplotlib's <style> ("*{stroke-linejoin: round}") would restyle every
    # SVG icon of the page, and its RDF metadata is dead weight: both go.
    text = re.sub(r"<metadata>.*?</metadata>\s*|<style[^>]*>.*?</style>\s*", "", text, flags=re.DOTALL)
    text = re.sub(r"\n\s*\n", "\n", text)  # a blank line would end Markdown's raw HTML block
    text = _scope_ids(text, "chart-" + re.sub(r"[^a-z0-9]+", "-", label.lower())[:24].strip("-"))
    return text.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}" class="chart-svg" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _figure(height: float = 3.2, left: float = 0.08, right: float = 0.98, bottom: float = 0.22) -> Figure:
    """Fixed margins, not constrained layout: it measured every label twice and cost a second."""
    from matplotlib.figure import Figure  # imported on first chart: the import is most of the cost

    figure = Figure(figsize=(8, height))
    figure.subplots_adjust(left=left, right=right, bottom=bottom, top=0.96)
    return figure


def _label_margin(labels: Sequence[str]) -> float:
    """The left margin (a share of the 8-inch figure) that the longest axis label needs at 10 pt:
    a fixed 0.3 cut the start of long topic names off the drawing."""
    return min(0.55, 0.04 + 0.0095 * max((len(label) for label in labels), default=0))


def _bars(labels: Sequence[str], values: Sequence[int], horizontal: bool, ylabel: str, label: str) -> str:
    from matplotlib import rc_context

    with rc_context(RC):
        height = max(3.2, 0.28 * len(labels)) if horizontal else 3.2
        fig = _figure(height, left=_label_margin(labels), bottom=0.6 / height) if horizontal else _figure()
        ax = fig.add_subplot()
        if horizontal:
            ax.barh(range(len(labels)), values, color=BAR)
            ax.set_yticks(range(len(labels)), labels)
            ax.invert_yaxis()
            ax.set_xlabel(ylabel)
        else:
            ax.bar(range(len(labels)), values, color=BAR)
            step = max(1, len(labels) // 12)
            ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
            ax.set_ylabel(ylabel)
        return _svg(fig, label)


def topic_chart(site: Site) -> Chart:
    counts = Counter(s for p in site.papers for s in p.topics)
    names = [t.name for t in site.taxonomy]
    values = [counts[t.slug] for t in site.taxonomy]
    untopical = sum(1 for p in site.papers if not p.topics)
    labels, values = [*names, "No topic"], [*values, untopical]
    top = max(zip(values, labels, strict=True))
    caption = f"Papers per topic: {len(site.papers)} papers in {len(names)} topics; the largest is {top[1]} ({top[0]})."
    svg = _bars(labels, values, True, "papers", caption)
    rows = tuple((n, str(v)) for n, v in zip(labels, values, strict=True))
    return Chart("topics", "Papers per topic", caption, svg, ("Topic", "Papers"), rows)


def month_chart(site: Site) -> Chart:
    months = Counter((p.published.year, p.published.month) for p in site.papers if p.published)
    undated = sum(1 for p in site.papers if not p.published)
    if months:
        (y0, m0), (y1, m1) = min(months), max(months)
        span = [(y, m) for y in range(y0, y1 + 1) for m in range(1, 13) if (y0, m0) <= (y, m) <= (y1, m1)]
    else:
        span = []
    labels = [f"{MONTHS[m - 1]} {y}" for y, m in span]  # "Mar 2025": the site's way of writing dates
    values = [months[k] for k in span]
    busiest = max(zip(values, labels, strict=True)) if span else (0, "none")
    caption = (
        f"Papers per published month, {labels[0] if labels else '-'} to {labels[-1] if labels else '-'}: "
        f"busiest {busiest[1]} ({busiest[0]} papers); {undated} papers without a published date."
    )
    svg = _bars(labels, values, False, "papers", caption)
    rows = tuple((lab, str(v)) for lab, v in zip(labels, values, strict=True) if v)
    return Chart("months", "Papers per published month", caption, svg, ("Month", "Papers"), rows)


def upvote_chart(site: Site) -> Chart:
    def label(lo: int, hi: int | None) -> str:
        return f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}–{hi}")

    labels = [label(lo, hi) for lo, hi in UPVOTE_BINS]
    values = [0] * len(UPVOTE_BINS)
    known = [p.upvotes for p in site.papers if p.upvotes is not None]
    for votes in known:
        index = next(i for i, (lo, hi) in enumerate(UPVOTE_BINS) if votes >= lo and (hi is None or votes <= hi))
        values[index] += 1
    median = sorted(known)[len(known) // 2] if known else 0
    caption = (
        f"Upvote distribution of {len(known)} papers with a count: median {median}, "
        f"most {max(known, default=0)}; {len(site.papers) - len(known)} papers without a count."
    )
    svg = _bars(labels, values, False, "papers", caption)
    rows = tuple((lab, str(v)) for lab, v in zip(labels, values, strict=True))
    return Chart("upvotes", "Upvote distribution", caption, svg, ("Upvotes", "Papers"), rows)


def topics_over_time(site: Site) -> Chart:
    from matplotlib import rc_context

    years = sorted({p.published.year for p in site.papers if p.published})
    grid = Counter((s, p.published.year) for p in site.papers if p.published for s in p.topics)
    names = [t.name for t in site.taxonomy]
    matrix = [[grid[(t.slug, y)] for y in years] for t in site.taxonomy]
    with rc_context(RC):
        height = max(3.2, 0.3 * len(names))
        fig = _figure(height, left=_label_margin(names), right=0.98, bottom=0.6 / height)
        ax = fig.add_subplot()
        if years:  # vector cells (pcolormesh), not imshow's embedded PNG
            import numpy as np

            cells = np.ma.masked_equal(np.array(matrix, dtype=float), 0)  # empty cells show the page
            ax.pcolormesh(cells, cmap="viridis", edgecolors="none")
            top = max(max(row) for row in matrix) or 1
            for i, row in enumerate(matrix):  # each cell's count: no colour bar (an embedded PNG) needed
                for j, count in enumerate(row):
                    if count:
                        ink = "black" if count > 0.6 * top else "white"
                        ax.text(j + 0.5, i + 0.5, str(count), ha="center", va="center", color=ink, fontsize=7)
        ax.set_xticks([i + 0.5 for i in range(len(years))], [str(y) for y in years], rotation=45, ha="right")
        ax.set_yticks([i + 0.5 for i in range(len(names))], names)
        ax.invert_yaxis()
        peak = max(((v, names[i], years[j]) for i, r in enumerate(matrix) for j, v in enumerate(r)), default=(0, "", 0))
        caption = (
            f"Topics over time: papers per topic and published year, {years[0] if years else '-'} "
            f"to {years[-1] if years else '-'}; the largest cell is {peak[1]} in {peak[2]} ({peak[0]} papers)."
        )
        svg = _svg(fig, caption)
    rows = tuple((n, *(str(v) for v in r)) for n, r in zip(names, matrix, strict=True))
    return Chart("topics-over-time", "Topics over time", caption, svg, ("Topic", *(str(y) for y in years)), rows)


def render_stats(site: Site, env: Environment) -> dict[str, str]:
    charts = [topic_chart(site), month_chart(site), upvote_chart(site), topics_over_time(site)]
    text = env.get_template("stats.md.j2").render(charts=charts, papers=len(site.papers), digests=len(site.digests))
    return {STATS_PATH: front_matter({"title": "Stats"}) + text}

"""The data-quality page (docs/quality.md): what the run read, merged, resolved and inferred.

A maintainer reads it after each rebuild. Everything is recomputed from the digests and the
catalogued papers, so the page is a pure function of the inputs like every other page;
`listing_conflicts` reports where listings of one paper disagree without changing how
catalogue.py merges them.

The one exception is the list of hand-edit conflicts: a conflict belongs to the run that
merged the page (the next run sees the merged page as the curator's), so the page shows the
conflicts of the last run that wrote pages, recorded in `.generator/conflicts.json` by
the write stage. A run with nothing new keeps that record and this page as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from jinja2 import Environment

from generator.front_matter import front_matter
from generator.model import Digest, Listing, Paper, Site
from generator.render.base import environment
from generator.text import title_key

QUALITY_PATH = "quality.md"
# How catalogue.py resolves each field when listings disagree (kept in step with its docstring).
RESOLUTION = {
    "title": "the first listing's title is kept",
    "abstract": "the longest abstract is kept",
    "published": "a date with a printed year wins over an inferred one; else the first listing's",
    "author_count": "the newest digest's count is kept",
    "upvotes": "the newest digest's count is shown; each digest's count is on the paper page",
}


@dataclass(frozen=True)
class Sighting:
    digest: Digest
    position: int  # 1-based, in that digest
    listing: Listing


@dataclass(frozen=True)
class Conflict:
    """One field whose value differs between the listings of one paper."""

    key: str  # the paper's title key
    field: str
    values: tuple[tuple[date, str], ...]  # (digest date, value as shown) per listing
    resolution: str


@dataclass(frozen=True)
class Inferred:
    paper: Paper
    digest_date: date
    rule: str


def sightings_by_paper(site: Site) -> dict[str, list[Sighting]]:
    """Every listing of each paper, oldest digest first, from the positions the catalogue
    recorded (a paper built without them, as in some tests, by its appearances)."""
    digests = {d.id: d for d in site.digests}
    order = {d.id: i for i, d in enumerate(site.digests)}
    groups: dict[str, list[Sighting]] = {}
    for paper in site.papers:
        wheres = paper.positions or tuple((a.digest_id, a.position) for a in paper.appearances)
        ordered = sorted(wheres, key=lambda w: (order[w[0]], w[1]))
        groups[paper.key] = [Sighting(digests[i], n, digests[i].listings[n - 1]) for i, n in ordered]
    return groups


@dataclass(frozen=True)
class Warning:
    """A reader's notice, with the digest file it is about."""

    file: str
    line: int | None
    text: str


def reader_warnings(site: Site) -> list[Warning]:
    """Every notice of every digest, newest digest first, in line order."""
    return [Warning(d.path.name, n.line, n.text) for d in reversed(site.digests) for n in d.notices]


def same_title(site: Site, groups: Mapping[str, Sequence[Sighting]]) -> list[list[Paper]]:
    """Papers whose digests give the same title with different abstracts: different papers, each
    with its own page (catalogue.py). Grouped by their listings' titles, not by titles that
    curators may have set."""
    by_title: dict[str, list[Paper]] = {}
    for paper in site.papers:
        if groups[paper.key]:
            by_title.setdefault(title_key(groups[paper.key][0].listing.title), []).append(paper)
    return [group for group in by_title.values() if len(group) > 1]


def _shown(value: object) -> str:
    if value is None:
        return "not given"
    if isinstance(value, str) and len(value) > 80:
        return f"{len(value)} characters"
    return str(value)


def listing_conflicts(groups: Mapping[str, Sequence[Sighting]]) -> list[Conflict]:
    """Every field on which two listings of the same paper disagree, oldest digest first."""
    conflicts: list[Conflict] = []
    for key, group in groups.items():
        if len(group) < 2:
            continue
        for name in RESOLUTION:
            values = [getattr(s.listing, name) for s in group]
            if len(set(values)) > 1:
                shown = tuple((s.digest.date, _shown(v)) for s, v in zip(group, values, strict=True))
                conflicts.append(Conflict(key, name, shown, RESOLUTION[name]))
    return conflicts


def inference_rule(published: date, digest_date: date) -> str:
    if published.year == digest_date.year:
        return "the digest's own year (the date is not later in the year than the digest)"
    return "the year before the digest's (the date is later in the year than the digest)"


def inferred_dates(site: Site, groups: Mapping[str, Sequence[Sighting]]) -> list[Inferred]:
    """Papers whose published year was inferred, with the digest it was read against and the rule."""
    found = []
    for paper in site.papers:
        if not (paper.published and paper.published_year_inferred):
            continue
        source = next(
            (s for s in groups[paper.key] if s.listing.published == paper.published), groups[paper.key][0]
        )
        found.append(Inferred(paper, source.digest.date, inference_rule(paper.published, source.digest.date)))
    return found


LIST_LIMIT = 200  # entries per list: the page stays small at any size; the export has the rest
DIGEST_LIMIT = 60  # newest digests in the table (two months of daily digests); the archive has all


@cache
def _env() -> Environment:
    return environment()  # one per process: build.py may render this page twice in a run


def enrichment_lookups(site: Site) -> dict[str, list[Paper]] | None:
    """The papers by what enrichment decided (matched, pinned, ambiguous, unmatched, and not
    yet looked up), or None when no paper was ever looked up (no enrichment store)."""
    if not any(p.lookup for p in site.papers):
        return None
    found: dict[str, list[Paper]] = {k: [] for k in ("matched", "pinned", "ambiguous", "unmatched", "new")}
    for paper in site.papers:
        found[paper.lookup or "new"].append(paper)
    return found


def render_quality_page(site: Site, edits: Mapping[str, str]) -> dict[str, str]:
    """The quality page with the hand-edit conflicts `edits` (page -> "field, field"), for build.py."""
    return render_quality(site, _env(), edits)


def render_quality(site: Site, env: Environment, edits: Mapping[str, str] | None = None) -> dict[str, str]:
    groups = sightings_by_paper(site)
    by_key = {p.key: p for p in site.papers}
    merged = [(by_key[key], group) for key, group in groups.items() if len(group) > 1]
    listings = sum(len(d.listings) for d in site.digests)
    text = env.get_template("quality.md.j2").render(
        digests=site.digests,
        slugs=site.digest_slugs,
        listings=listings,
        papers=len(site.papers),
        merged=merged,
        duplicate_listings=sum(len(g) - 1 for _, g in merged),
        conflicts=[(by_key[c.key], c) for c in listing_conflicts(groups)],
        inferred=inferred_dates(site, groups),
        dated=[d for d in reversed(site.digests) if d.date_record is not None],
        warnings=reader_warnings(site),
        same_title=same_title(site, groups),
        untopical=[p for p in site.papers if not p.topics],
        lookups=enrichment_lookups(site),
        limit=LIST_LIMIT,
        digest_limit=DIGEST_LIMIT,
        edits=dict(sorted((edits or {}).items())),
    )
    return {QUALITY_PATH: front_matter({"title": "Data quality"}) + text}

"""The pipeline, top to bottom: read digests -> catalogue papers -> assign topics -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.catalogue import catalogue
from generator.facets import add_facets
from generator.read import read_digests
from generator.related import add_related
from generator.render import Site, digest_slugs, render_site
from generator.settings import load_settings
from generator.topics import Coverage, assign_topics, coverage, load_taxonomy
from generator.write import WriteReport, write_pages


@dataclass(frozen=True)
class Paths:
    digests: Path = Path("digests")
    docs: Path = Path("docs")
    state: Path = Path(".generator/pages")
    topics: Path = Path("topics.yml")
    settings: Path = Path("site.yml")


@dataclass(frozen=True)
class Summary:
    digests: int
    listings: int
    papers: int
    merged_papers: int
    report: WriteReport
    coverage: Coverage | None = None


def build(paths: Paths) -> Summary:
    # Curator data first: a bad taxonomy or setting stops the run before any work.
    settings = load_settings(paths.settings)
    taxonomy = load_taxonomy(paths.topics)
    # 1. Read every digest; any unreadable one stops the run, nothing written yet.
    digests = read_digests(paths.digests, settings)
    # 2. Merge the listings into unique papers with stable slugs.
    found = catalogue(digests)
    # 3. Give each paper its topics.
    papers = assign_topics(found.papers, taxonomy)
    # 3b. Related papers (TF-IDF cosine) and facets (text rules: code, dataset, survey, theory).
    papers = add_facets(add_related(papers))
    # 4. Render every page in memory.
    site = Site(settings, papers, tuple(digests), digest_slugs(digests), taxonomy)
    pages = render_site(site)
    # 5. Write only what changed, keeping hand edits.
    report = write_pages(paths.docs, paths.state, pages)
    return Summary(len(digests), found.listings, len(papers), len(found.merged), report, coverage(papers, taxonomy))

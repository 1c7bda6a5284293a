"""Where a first run's time goes: each pipeline stage timed in one process.

    python -m bench.stages PROJECT     # prints one JSON object: stage -> [seconds, peak MB so far]

Runs the stages of generator/build.py `compute` on the project's digests as a first run
would (no recorded slugs, no hand edits), without writing anything; `plan` compares with an
empty docs/ folder. The benchmark runs it in its own child process after the real runs.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from generator.catalogue import catalogue
from generator.curate.embed import EmbeddingCache, paper_text
from generator.curate.facets import add_facets
from generator.curate.neighbours import add_related
from generator.curate.taxonomy import load_taxonomy
from generator.curate.topics import assign_topics
from generator.memory import release_memory
from generator.model import Site, digest_slugs
from generator.read import read_digests
from generator.render import render_site
from generator.render.quality import render_quality_page
from generator.settings import load_settings
from generator.write.plan import plan
from generator.write.state import StatePaths


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stages(project: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    start = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal start
        now = time.perf_counter()
        times[name] = [round(now - start, 2), round(peak_mb())]
        start = now

    settings = load_settings(project / "site.yml")
    taxonomy = load_taxonomy(project / "topics.yml")
    digests = read_digests(project / "digests", settings)
    mark("read")
    papers = catalogue(digests).papers
    mark("catalogue")
    vectors = EmbeddingCache(None).vectors([paper_text(p.title, p.abstract) for p in papers])
    mark("embed")
    papers = assign_topics(papers, taxonomy, vectors)
    release_memory()  # as curate() does
    mark("topics")
    papers, _why = add_related(papers, {p.slug: vectors[i] for i, p in enumerate(papers)}, {})
    release_memory()
    mark("related")
    papers = add_facets(papers)
    mark("facets")
    site = Site(settings, papers, tuple(digests), digest_slugs(digests), taxonomy)
    pages = {**render_site(site), **render_quality_page(site, {})}
    mark("render")
    with tempfile.TemporaryDirectory() as empty:
        plan(Path(empty) / "docs", StatePaths(Path(empty) / "state"), pages)
    mark("plan")
    return times


if __name__ == "__main__":
    print(json.dumps(stages(Path(sys.argv[1]))))

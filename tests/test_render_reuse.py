"""A run takes from the last one the paper pages whose inputs did not change, and writes exactly
what a run that renders everything writes (generator/render/papers.py `render_keys`,
Run.rendered_before).

On 1,100 real papers (the parallel path), then a new digest of 50: docs/ and the state folder
after the reusing run are byte for byte those of a cold run on a copy (no cache, every page
rendered, in parallel), and the reusing run rendered only the papers whose inputs changed and
took the listing pages whose inputs did not (render/memo.py) from the last run.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.corpus import PER_DIGEST, arxiv_papers, write_real_corpus
from generator.build import Paths, build
from generator.write.workspace import Run
from tests.conftest import copy_project

PAPERS = 1_100


def paths(project: Path) -> Paths:
    return Paths(project / "digests", project / "docs", project / ".generator", project / "topics.yml",
                 project / "site.yml", project / "enrichment/papers.jsonl")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("fingerprint.json", "lock")}


def test_unchanged_papers_are_reused_and_the_output_is_a_full_runs(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", digests=None)
    papers = arxiv_papers()
    write_real_corpus(project / "digests", papers, PAPERS)
    build(paths(project))
    write_real_corpus(project / "digests", papers, PER_DIGEST, first_paper=PAPERS, first_digest=PAPERS // PER_DIGEST)
    cold = tmp_path / "cold"
    shutil.copytree(project, cold)
    (cold / ".generator" / "fingerprint.json").unlink()  # no record: every page rendered

    reused: list[int] = []
    listings: list[str] = []  # listing pages taken from the last run (render/memo.py)
    real, real_earlier = Run.rendered_before, Run.earlier_texts

    def spy(self: Run, keys: dict[str, str]) -> dict[str, str]:
        found = real(self, keys)
        reused.append(len(found))
        return found

    def earlier_spy(self: Run) -> Callable[[str, str], str | None]:
        earlier = real_earlier(self)

        def counted(page: str, key: str) -> str | None:
            text = earlier(page, key)
            if text is not None:
                listings.append(page)
            return text

        return counted

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Run, "rendered_before", spy)
        patch.setattr(Run, "earlier_texts", earlier_spy)
        patch.setenv("GENERATOR_WORKERS", "1")  # the listings' reuse is counted in this process
        build(paths(project))
    build(paths(cold))
    assert PAPERS // 2 < reused[0] < PAPERS  # most papers reused; the new ones and the changed ones not
    # Listing pages too: older digests' pages and topic tables the new papers do not reach.
    digest_pages = len(list((project / "docs" / "digests").glob("*.md")))
    assert sum(page.startswith("digests/") for page in listings) == digest_pages - 1 - 2  # the index, the new, the last
    assert any(page.startswith(("topics/", "all-papers/", "facets/")) for page in listings)
    for folder in ("docs", ".generator"):
        ours, theirs = files(project / folder), files(cold / folder)
        assert ours.keys() == theirs.keys()
        assert [name for name in ours if ours[name] != theirs[name]] == [], folder
    assert filecmp.cmp(project / "docs" / "papers.json", cold / "docs" / "papers.json", shallow=False)

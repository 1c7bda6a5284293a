"""The CI path end to end: a maintainer pushes new digests, CI publishes them, no hand edit.

A committed, built project (the three digests dated in site.yml) is pushed to a bare
repository standing in for GitHub. The maintainer then commits two new digests as received
(004, whose header `Mar 14` has no year, and 002, which has no date and a layout of its own)
and a third in an awkward layout (CRLF, an HTML copy with no blank lines, a boilerplate word
glued to its first title, no date), and pushes. The deploy job's own `run:` steps, read from
.github/workflows/site.yml (up to its tests, which are this suite), then run in a checkout of
that push. Every paper must be published and searchable, the pages and recorded dates pushed
back, and a fresh clone must find docs/ up to date.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.read import read_digest
from generator.settings import load_settings
from generator.text import title_key

from .conftest import ROOT, copy_project, run_generator, serve
from .layouts import Digest, Layout, Paper, render

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
OLD = ["000_214e9b9a9acbbb2c.txt", "001_c73ac1fe6ea84ede.txt", "003_4f9a4c2f489598b9.txt"]
NEW = ["002_44ae3e012a1f5e27.txt", "004_308340773ae682ab.txt"]
PUSHED = "2026-02-10T09:00:00+00:00"  # the day the maintainer commits the new digests
AWKWARD = Digest(
    name="005_awkward.txt",
    header=["Get trending papers in your email inbox!"],
    glued=True,
    papers=[
        Paper("Quokkanet: Marsupial Priors for Sparse Vision", "We introduce quokkanet, a sparse vision model "
              "whose priors come from marsupial retinas & eyes. It matches dense baselines at a tenth of the cost."),
        Paper("Wombatic Gradients Revisited", "Wombatic gradients were thought unstable; we show that a \"cubic\" "
              "step size makes them converge, with <1% overhead and a proof for convex losses."),
    ],
)


def git(folder: Path, *args: str, when: str = "2026-01-05T09:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Maintainer",
           "GIT_AUTHOR_EMAIL": "m@example.org", "GIT_COMMITTER_NAME": "Maintainer",
           "GIT_COMMITTER_EMAIL": "m@example.org"}
    done = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def project_repository(root: Path) -> Path:
    """The project as committed: what a build reads, its Makefile and workflow, the built pages."""
    project = copy_project(root / "work", digests=None)
    (project / "digests").mkdir()
    for name in OLD:
        shutil.copy2(ROOT / "digests" / name, project / "digests" / name)
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt", "pyproject.toml", ".gitignore",
                 "README.md", ".github"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)  # same times: make keeps the installed venv
    (project / ".venv").symlink_to(ROOT / ".venv")
    git(project, "init", "-q", "-b", "main")
    (project / ".git" / "info" / "exclude").write_text(".venv\n")
    built = run_generator(project, "build")
    assert built.returncode == 0, built.stderr
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "A built project")
    return project


def deploy_steps() -> list[tuple[str, str]]:
    """The deploy job's `run:` steps, in order, up to its tests (this suite)."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["deploy"]["steps"]
    runs = [(str(s.get("name", "")), str(s["run"])) for s in steps if "run" in s]
    tests = next(i for i, (_, run) in enumerate(runs) if ".ci/run" in run)
    return runs[:tests]


class Published:
    """The push, then the deploy job's steps in a checkout of it (as actions/checkout makes)."""

    def __init__(self, root: Path) -> None:
        project = project_repository(root)
        self.remote = root / "github.git"
        git(root, "init", "-q", "--bare", "-b", "main", str(self.remote))
        git(project, "remote", "add", "origin", str(self.remote))
        git(project, "push", "-q", "origin", "main")
        for name in NEW:
            shutil.copy2(ROOT / "digests" / name, project / "digests" / name)
        (project / "digests" / AWKWARD.name).write_bytes(
            render(AWKWARD, Layout(blank="none", line_end="\r\n", html=True, glue=True))
        )
        git(project, "add", "digests")
        git(project, "commit", "-q", "-m", "Three new digests, as received", when=PUSHED)
        git(project, "push", "-q", "origin", "main")
        self.runner = root / "runner"
        git(root, "clone", "-q", str(self.remote), str(self.runner))
        (self.runner / ".venv").symlink_to(ROOT / ".venv")  # this machine's installed venv stands in for
        (self.runner / ".git" / "info" / "exclude").write_text(".venv\n")  # the Install step's fresh one:
        for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):  # older than its stamps,
            os.utime(self.runner / name, (0, 0))  # so make has nothing to install
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GIT_COMMITTER_DATE": PUSHED, "GIT_AUTHOR_DATE": PUSHED}
        self.outputs: list[str] = []
        for name, run in deploy_steps():
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", run], cwd=self.runner,
                                  env=env, capture_output=True, text=True, check=False)
            assert done.returncode == 0, f"step {name!r} failed:\n{done.stdout}\n{done.stderr}"
            self.outputs.append(done.stdout)
        self.site = self.runner / "site"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return Published(tmp_path_factory.mktemp("ci"))


@pytest.fixture(scope="module")
def site_url(published: Published) -> Iterator[str]:
    yield from serve(published.site)


def every_listing(project: Path) -> dict[str, str]:
    """Title -> slug of every paper of every digest, as the recorded slugs name them."""
    slugs: dict[str, str] = json.loads((project / ".generator" / "slugs.json").read_text())
    settings = load_settings(project / "site.yml")
    digests = sorted((project / "digests").glob("*.txt"))
    titles = [x.title for path in digests for x in read_digest(path, settings).listings]
    return {title: slugs[title_key(title)] for title in titles}


def test_the_steps_are_the_workflows_and_build_with_make_site(published: Published) -> None:
    runs = [run for _, run in deploy_steps()]
    assert runs[0] == "make .venv/.dev-deps" and runs[1] == "make site" and "git push" in runs[2]
    assert any("Site built in site/" in out for out in published.outputs)


def test_every_paper_is_published_and_the_site_verifies(published: Published) -> None:
    papers = every_listing(published.runner)
    assert len(papers) == 512 + 2  # the five real digests and the awkward one's two papers
    for slug in papers.values():
        assert (published.runner / "docs" / "papers" / f"{slug}.md").exists(), slug
        assert (published.site / "papers" / slug / "index.html").exists(), slug
    verified = run_generator(published.runner, "verify", "site")
    assert verified.returncode == 0, verified.stderr
    assert (published.site / "pagefind" / "pagefind.js").exists()


def test_the_new_digests_are_dated_without_a_hand_edit_and_the_pages_pushed_back(published: Published) -> None:
    site_yml = (published.runner / "site.yml").read_text()
    assert "002_" not in site_yml and "004_" not in site_yml and "005_" not in site_yml
    # 004: "Mar 14" without a year, first committed on 2026-02-10: Mar 14, 2025. 002, 005: no date.
    for day in ("2025-03-14-2", "2026-02-10", "2026-02-10-2"):
        assert (published.site / "digests" / day / "index.html").exists(), day
    log = git(published.remote, "log", "--format=%s", "main")
    assert log.splitlines()[0] == "Regenerate pages from digests"
    pushed = git(published.remote, "show", "--name-only", "--format=", "main")
    assert ".generator/digest-dates.json" in pushed and "docs/quality.md" in pushed


def test_a_fresh_clone_of_the_push_is_up_to_date(published: Published, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(published.remote), str(clone))
    checked = run_generator(clone, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def search(page: Any, url: str, query: str) -> list[str]:
    """The result links the header search box shows for `query`."""
    page.goto(f"{url}/")
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(query)
    page.locator(".md-search-result__item a").first.wait_for(timeout=30_000)
    return [str(a.get_attribute("href")) for a in page.locator(".md-search-result__item a").all()]


@pytest.mark.parametrize(
    "title",
    [
        "Robust Spectral Anomaly Detection in EELS Spectral Images via Three Dimensional Convolutional "
        "Variational Autoencoders",  # 004's first paper
        "On Pre-Training for Visuo-Motor Control: Revisiting a Learning-from-Scratch Baseline",  # 002's, glued
        "Quokkanet: Marsupial Priors for Sparse Vision",  # the awkward digest's
    ],
)
def test_search_finds_the_new_papers(published: Published, site_url: str, page: Any, title: str) -> None:
    slug = every_listing(published.runner)[title]
    words = " ".join(title.replace(":", "").split()[:4])
    assert any(f"/papers/{slug}/" in href for href in search(page, site_url, words))

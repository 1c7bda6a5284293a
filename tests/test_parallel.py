"""Rendering on several processes (generator/parallel.py) gives the same site as on one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.parallel import run_parts
from generator.render import PARALLEL_FROM
from tests.synthetic import synthetic_project


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def generate(project: Path, workers: int) -> None:
    env = {**os.environ, "GENERATOR_WORKERS": str(workers)}
    subprocess.run([sys.executable, "-m", "generator", "build", "-q"], cwd=project, env=env, check=True)


def test_two_workers_write_the_same_files_as_one(tmp_path: Path) -> None:
    one = synthetic_project(tmp_path / "one", PARALLEL_FROM + 100)  # enough papers to fork
    two = tmp_path / "two"
    shutil.copytree(one, two)
    generate(one, workers=1)
    generate(two, workers=2)
    written = files(one / "docs")
    assert len([p for p in written if p.startswith("papers/")]) == PARALLEL_FROM + 100
    assert files(two / "docs") == written
    assert files(two / ".generator/pages") == files(one / ".generator/pages")


def test_results_keep_the_order_given_and_errors_reach_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_WORKERS", "3")  # forks even on a one-core machine
    parts = [lambda n=n: (n * n, os.getpid()) for n in range(7)]
    results = run_parts(parts)
    assert [square for square, _ in results] == [n * n for n in range(7)]
    assert os.getpid() not in {pid for _, pid in results}  # they did run in workers

    def broken() -> int:
        raise ValueError("a part failed")

    with pytest.raises(ValueError, match="a part failed"):
        run_parts([lambda: 1, broken])

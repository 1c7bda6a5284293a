"""All-or-nothing writes: a killed run leaves docs/ old or new, never a mix; one run at a time."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import Paths, build, check
from generator.errors import UserError
from generator.write.journal import locked, recover
from generator.write.state import StatePaths

from .conftest import REAL_DIGESTS, copy_project


def snapshot(project: Path) -> dict[str, str]:
    folders = [project / "docs", project / ".generator"]
    return {p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("lock", "fingerprint.json", "embeddings.npz", "topics-cache.json",
                                                      "digests-cache.json")
            and "txn" not in p.parts}


def paths(project: Path) -> Paths:
    return Paths(project / "digests", project / "docs", project / ".generator",
                 project / "topics.yml", project / "site.yml")


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A project built from two digests (old), and the snapshot after adding the third (new)."""
    base = tmp_path_factory.mktemp("kill")
    old = copy_project(base / "old", digests=None)
    (old / "digests").mkdir()
    names = sorted(p.name for p in REAL_DIGESTS.glob("*.txt"))
    for name in names[:2]:
        (old / "digests" / name).write_bytes((REAL_DIGESTS / name).read_bytes())
    build(paths(old))
    old_snap = snapshot(old)
    new = base / "new"
    subprocess.run(["cp", "-a", str(old), str(new)], check=True)
    (new / "digests" / names[2]).write_bytes((REAL_DIGESTS / names[2]).read_bytes())
    build(paths(new))
    return old, old_snap, snapshot(new)


def _wait_for(path: Path, run: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert run.poll() is None, "the run ended before the point the test kills it at"
        assert time.monotonic() < deadline
        time.sleep(0.001)


@pytest.mark.parametrize(("phase", "seed"), [("staging", 0), ("renaming", 1), ("renaming", 2), ("renaming", 3)])
def test_sigkill_mid_write_leaves_old_or_new_state(
    tmp_path: Path, states: tuple[Path, dict[str, str], dict[str, str]], phase: str, seed: int
) -> None:
    """Kill -9 while files are staged (before the journal) or while they are renamed into place."""
    old, old_snap, new_snap = states
    assert old_snap != new_snap
    project = tmp_path / "p"
    subprocess.run(["cp", "-a", str(old), str(project)], check=True)
    third = sorted(REAL_DIGESTS.glob("*.txt"))[2]
    (project / "digests" / third.name).write_bytes(third.read_bytes())
    # Test-only: sleep 5 ms before each rename, so a kill lands among the renames.
    env = {**os.environ, "GENERATOR_TEST_SLOW_APPLY": "0.005"}
    run = subprocess.Popen([sys.executable, "-m", "generator", "build", "-q"], cwd=project, env=env)
    txn = project / ".generator/txn"
    if phase == "staging":
        _wait_for(txn / "files", run)
    else:
        _wait_for(txn / "journal.json", run)
        time.sleep(random.Random(seed).uniform(0.05, 0.5))  # noqa: S311 - a test schedule
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert txn.exists(), "the kill came too late to test anything"
    assert "a run was interrupted" in check(paths(project))[0]
    if phase == "renaming":
        assert snapshot(project) not in (old_snap, new_snap)  # a mix on disk until the journal is replayed
    recover(StatePaths(project / ".generator"))  # what the next run does first
    assert snapshot(project) == (old_snap if phase == "staging" else new_snap)
    assert not txn.exists()


def test_a_second_concurrent_run_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    with locked(StatePaths(project / ".generator")):
        done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                              capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "another generator run is in progress" in done.stderr
    assert not (project / "docs/papers").exists()


def test_check_lists_stale_files_and_writes_nothing(states: tuple[Path, dict[str, str], dict[str, str]],
                                                    tmp_path: Path) -> None:
    old, old_snap, _ = states
    project = tmp_path / "p"
    subprocess.run(["cp", "-a", str(old), str(project)], check=True)
    third = sorted(REAL_DIGESTS.glob("*.txt"))[2]
    (project / "digests" / third.name).write_bytes(third.read_bytes())
    done = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=project,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "out of date: docs/index.md" in done.stdout and "out of date: .generator/slugs.json" in done.stdout
    assert snapshot(project) == old_snap


def test_bad_digest_after_hand_edit_changes_nothing(states: tuple[Path, dict[str, str], dict[str, str]],
                                                   tmp_path: Path) -> None:
    old, _, _ = states
    project = tmp_path / "p"
    subprocess.run(["cp", "-a", str(old), str(project)], check=True)
    page = sorted((project / "docs/papers").glob("*.md"))[0]
    page.write_text(page.read_text() + "\nA note.\n")
    before = snapshot(project)
    (project / "digests" / "zzz.txt").write_bytes(b"")
    with pytest.raises(UserError):
        build(paths(project))
    assert snapshot(project) == before

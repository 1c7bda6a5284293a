"""The command line as a maintainer meets it: clear errors, nothing written on failure."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import REAL_DIGESTS, copy_project, run_generator


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_help_documents_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    for option in ("--digests", "--docs", "--state", "--topics", "--settings", "--quiet"):
        assert option in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt:1: the file is empty"),
        ("latin1.txt", b"Mar 1, 2025\n\nCaf\xe9\n", "latin1.txt:3: not UTF-8 text"),
        ("orphan.txt", b"Mar 1, 2025\n\nA title alone\n", "orphan.txt:3: the title 'A title alone' has no abstract"),
    ],
)
def test_bad_digest_stops_before_writing(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    project = copy_project(tmp_path / "p")
    assert run_generator(project).returncode == 0
    before = snapshot(project / "docs") | snapshot(project / ".generator")
    (project / "digests" / name).write_bytes(content)
    (project / "digests" / "zzz_new.txt").write_text((REAL_DIGESTS / "000_214e9b9a9acbbb2c.txt").read_text())
    done = run_generator(project)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: digests/") and message in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(project / "docs") | snapshot(project / ".generator") == before


def test_bad_taxonomy_lists_every_problem(make_project: Callable[[dict[str, str | bytes]], Path]) -> None:
    project = make_project({})
    (project / "topics.yml").write_text("- slug: Bad Slug\n  name: X\n  description: d\n  terms: [a]\n"
                                        "- slug: ok\n  name: ''\n  description: d\n  terms: []\n")
    done = run_generator(project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "topics.yml:1: 'slug' must be lowercase" in done.stderr
    assert "topics.yml:5: 'name' must be a non-empty text" in done.stderr
    assert "topics.yml:5: 'terms' must be a non-empty list" in done.stderr


def test_summary_counts(tmp_path: Path) -> None:
    done = run_generator(copy_project(tmp_path / "p"))
    assert done.returncode == 0
    summary = "Read 5 digests: 556 listings, 512 unique papers (44 duplicate listings merged into 36 papers)."
    assert summary in done.stdout

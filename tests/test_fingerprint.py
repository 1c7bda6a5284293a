"""The no-op fast path (generator/write/fingerprint.py): a run whose inputs hash as a recorded no-op
run's reports that run's summary without computing; any changed input makes it compute again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import generator.build as build_module
from generator.build import Paths, Summary, build
from generator.write.state import Disk
from tests.conftest import copy_project


def paths(project: Path) -> Paths:
    return Paths(project / "digests", project / "docs", project / ".generator",
                 project / "topics.yml", project / "site.yml")


def no_compute(*_args: object) -> None:
    raise AssertionError("the run computed although nothing changed")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("fp") / "p")


def test_a_noop_run_is_recorded_and_replayed_exactly(project: Path) -> None:
    first = build(paths(project))  # writes every page, and records what the next run would say
    assert first.report.written and (project / ".generator/fingerprint.json").exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "read_digests", no_compute)
        second: Summary = build(paths(project))  # already answered from the cache
    assert not second.report.written
    (project / ".generator/fingerprint.json").unlink()
    third = build(paths(project))  # computed in full: nothing to write, and the same summary
    assert not third.report.written
    assert third == second  # coverage and counts included


def test_a_noop_run_reads_no_file_whose_stat_is_recorded(project: Path) -> None:
    """The record keeps each file's size, mtime and hash: a later no-op run stats, never reads."""
    build(paths(project))
    time.sleep(0.6)  # files written within RACY_NS of a record are read again, once
    build(paths(project))
    read: list[Path] = []
    real = Disk._read

    def counting(self: Disk, path: Path) -> bytes | None:
        read.append(path)
        return real(self, path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Disk, "_read", counting)
        patch.setattr(build_module, "read_digests", no_compute)
        build(paths(project))
    assert [path for path in read if path.exists()] == []  # (a missing optional input is looked for)


@pytest.mark.parametrize("change", ["page", "same-size page", "digest", "taxonomy", "state"])
def test_any_changed_input_runs_every_stage(project: Path, change: str) -> None:
    build(paths(project))
    build(paths(project))  # a recorded no-op run
    page = sorted((project / "docs/papers").glob("*.md"))[0]
    if change == "page":
        page.write_text(page.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    elif change == "same-size page":  # right after the record, with the same size: the mtime tells
        text = page.read_text(encoding="utf-8")
        front, _, body = text.partition("\n---\n")
        page.write_text(front + "\n---\n" + body.replace("a", "b", 1), encoding="utf-8")
        assert page.stat().st_size == len(text.encode()) and page.read_text(encoding="utf-8") != text
    elif change == "digest":
        digest = sorted((project / "digests").glob("*.txt"))[-1]  # one more blank line: same papers
        digest.write_text(digest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "taxonomy":
        topics = project / "topics.yml"
        topics.write_text(topics.read_text(encoding="utf-8") + "\n# a curator's comment\n", encoding="utf-8")
    else:
        (project / ".generator/pages" / page.relative_to(project / "docs")).unlink()
    called: list[bool] = []
    real = build_module.read_digests  # type: ignore[attr-defined]

    def spy(*args: Any, **kwargs: Any) -> Any:
        called.append(True)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "read_digests", spy)
        summary = build(paths(project))
    assert called, f"a changed {change} must not be answered from the cache"
    if change == "same-size page":
        assert summary.report.kept or summary.report.merged
        page.unlink()
        build(paths(project))
    if change == "page":
        assert summary.report.kept == [page.relative_to(project / "docs").as_posix()]
        page.unlink()  # back to a generated page for the next case
        build(paths(project))


def test_what_was_written_is_seen_as_a_new_read_would_see_it(tmp_path: Path) -> None:
    """After writing, the run's view of a file (text and hash) is what reading it again gives,
    carriage returns included (read back as newlines)."""
    from generator.write.journal import apply
    from generator.write.state import StatePaths

    changes: dict[Path, str | None] = {tmp_path / "docs/a.md": "one\r\ntwo\rthree\n", tmp_path / "docs/b.md": "plain\n"}
    disk = Disk()
    apply(StatePaths(tmp_path / ".generator"), changes)
    disk.wrote(changes)
    for path in changes:
        fresh = Disk()
        assert disk.text(path) == fresh.text(path) == path.read_text(encoding="utf-8")
        assert disk.hash(path) == fresh.hash(path) is not None
    assert disk.text(tmp_path / "docs/a.md") == "one\ntwo\nthree\n"

"""The no-op fast path (generator/write/fingerprint.py): a run whose inputs hash as a recorded no-op
run's reports that run's summary without computing; any changed input makes it compute again."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

import generator.build as build_module
from generator.build import Paths, Summary, build, check
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


# --- a run that computes compares pages with their generated copies by stat -------------------


@pytest.fixture
def settled(tmp_path: Path) -> Path:
    """A built project whose record vouches for every file (the files are older than RACY_NS)."""
    project = copy_project(tmp_path / "p")
    build(paths(project))
    time.sleep(0.6)
    build(paths(project))  # a no-op run: its record holds every file's size, mtime and hash
    return project


def reads(patch: pytest.MonkeyPatch) -> list[Path]:
    """The files a run reads from now on that existed when it read them."""
    found: list[Path] = []
    real = Disk._read

    def counting(self: Disk, path: Path) -> bytes | None:
        if path.exists():
            found.append(path)
        return real(self, path)

    patch.setattr(Disk, "_read", counting)
    return found


def test_a_run_that_computes_reads_no_page_the_record_vouches_for(settled: Path) -> None:
    digest = sorted((settled / "digests").glob("*.txt"))[-1]  # one more blank line: every stage runs
    digest.write_text(digest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        read = reads(patch)
        summary = build(paths(settled))
    assert not summary.changes
    docs = settled / "docs"
    assert [path for path in read if docs in path.parents] == []  # every page equals its copy, by stat
    assert any(settled / ".generator/pages" in path.parents for path in read)  # the copies are the text


@pytest.mark.parametrize("when", ["right after the run", "1 ns after the recorded mtime"])
def test_an_edit_that_keeps_the_size_is_seen_by_check_and_build(settled: Path, when: str) -> None:
    """Size and mtime_ns tell an edit, however soon after the run and whatever its size."""
    def title(page: Path) -> str:
        return page.read_text(encoding="utf-8").split("\ntitle: ", 1)[1].split("\n", 1)[0]

    page = next(p for p in sorted((settled / "docs/papers").glob("*.md")) if title(p)[-1].isalpha()
                and title(p)[0].isalpha() and ":" not in title(p))  # plain YAML
    before, text, old = page.stat(), page.read_text(encoding="utf-8"), title(page)
    new = old[:-1] + ("X" if old[-1] != "X" else "Y")  # one letter of the title: the same size
    page.write_text(text.replace(f"\ntitle: {old}\n", f"\ntitle: {new}\n", 1), encoding="utf-8")
    if when != "right after the run":
        os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    assert page.stat().st_size == before.st_size and page.stat().st_mtime_ns != before.st_mtime_ns
    assert check(paths(settled))  # the listings will show the curator's title
    summary = build(paths(settled))
    assert summary.changes and page.read_text(encoding="utf-8").count(f"\ntitle: {new}\n") == 1
    assert any(new in path.read_text(encoding="utf-8") for path in summary.changes if path.suffix == ".md")
    assert check(paths(settled)) == []


def test_a_hash_is_recorded_only_for_the_file_as_it_was_read(tmp_path: Path) -> None:
    """A file edited during the run, after the run read it, is hashed again by the next run."""
    from generator.write.fingerprint import Stats, fingerprint

    for folder in ("code", "state", "docs"):
        (tmp_path / folder).mkdir()
    page = tmp_path / "docs/a.md"
    page.write_text("one\n", encoding="utf-8")
    disk = Disk()
    assert disk.text(page) == "one\n"  # the run reads it
    page.write_text("two\n", encoding="utf-8")  # a curator saves it, the same size
    os.utime(page, ns=(page.stat().st_atime_ns, disk.known_stat(page)[1] + 1))  # type: ignore[index]
    stats = Stats()
    fingerprint(code=tmp_path / "code", files=(), folders=(tmp_path / "docs",), state=tmp_path / "state",
                disk=disk, stats=stats)
    assert stats.data()["files"] == {}  # no hash recorded: the next run reads it
    fresh = Stats()
    fingerprint(code=tmp_path / "code", files=(), folders=(tmp_path / "docs",), state=tmp_path / "state",
                disk=Disk(), stats=fresh)
    assert list(fresh.data()["files"]) == [page.as_posix()]

"""The digest read cache (generator/read/cache.py): a build parses only the digests it has not read
under the same key, and the cache never changes what a build reads, writes or reports: a changed
digest, setting or recorded date is read again, a damaged cache is ignored and written again, a
change to the reader's code invalidates it, a digest dated by its first build is never taken from
it, a check writes none, and builds with and without it leave the same docs/, state and summary."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import generator.read.cache as cache_module
from generator.build import Paths, Summary, build, check
from generator.model import DateRecord, Digest
from generator.read import read_digests, records_from_data
from generator.read.cache import SHARED, DigestCache, code_key, digest_data, digest_from_data
from generator.read.digest import read_digest
from generator.read.digest import read_digests as read_without_cache
from generator.settings import Settings, load_settings
from generator.write.fingerprint import DIGESTS_CACHE, SKIPPED

from .conftest import REAL_DIGESTS, ROOT, copy_project

SETTINGS = load_settings(ROOT / "site.yml")
ABSTRACT = ("We study a problem of some importance and find a simple answer that holds in practice. "
            "Experiments on three benchmarks agree with the theory, and the code is released.")
# The dates the repository recorded for the real digests (two are inferred).
RECORDED = records_from_data(json.loads((ROOT / ".generator/digest-dates.json").read_text(encoding="utf-8")), ROOT)
CACHES = {"lock", "fingerprint.json", "embeddings.npz", "topics-cache.json", DIGESTS_CACHE}


def built(day: date) -> Callable[[Path], tuple[date, str]]:
    return lambda _path: (day, "a test")


@pytest.fixture
def digests(tmp_path: Path) -> Path:
    folder = tmp_path / "digests"
    shutil.copytree(REAL_DIGESTS, folder)
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the digests the cache had to parse (its calls of `read_digest`)."""
    names: list[str] = []
    real = read_digest

    def spy(path: Path, *args: Any) -> Digest:
        names.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(cache_module, "read_digest", spy)
    return names


def read(folder: Path, cache: Path, settings: Settings = SETTINGS, **kwargs: Any) -> list[Digest]:
    kwargs.setdefault("first_built", built(date(2026, 11, 30)))
    kwargs.setdefault("recorded", RECORDED)
    return read_digests(folder, settings, cache=cache, save=True, **kwargs)


def test_a_warm_cache_parses_nothing_and_reads_the_same(digests: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache = tmp_path / DIGESTS_CACHE
    cold = read(digests, cache)
    assert len(parsed) == 5 and cache.exists()
    parsed.clear()
    warm = read(digests, cache)
    assert parsed == []
    assert warm == cold == read_without_cache(digests, SETTINGS, RECORDED, first_built=built(date(2026, 11, 30)))


def test_every_field_of_every_real_digest_survives_the_file(digests: Path) -> None:
    for digest in read_without_cache(digests, SETTINGS, RECORDED, first_built=built(date(2026, 11, 30))):
        assert digest_from_data(json.loads(json.dumps(digest_data(digest))), digest.path) == digest


def test_a_changed_digest_is_read_again_and_only_it(digests: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache = tmp_path / DIGESTS_CACHE
    read(digests, cache)
    changed = sorted(digests.glob("*.txt"))[1]
    text = changed.read_text(encoding="utf-8")
    assert " the " in text
    changed.write_text(text.replace(" the ", " teh ", 1), encoding="utf-8")  # the same size
    parsed.clear()
    again = read(digests, cache)
    assert parsed == [changed.name]
    assert again == read_without_cache(digests, SETTINGS, RECORDED, first_built=built(date(2026, 11, 30)))


def test_a_changed_setting_or_record_reads_the_digests_it_concerns_again(
    digests: Path, tmp_path: Path, parsed: list[str]
) -> None:
    cache = tmp_path / DIGESTS_CACHE
    read(digests, cache)
    parsed.clear()
    moved = DateRecord(date(2025, 1, 3), date(2025, 1, 3), "a test")
    assert RECORDED["002_44ae3e012a1f5e27"] != moved
    read(digests, cache, recorded={**RECORDED, "002_44ae3e012a1f5e27": moved})
    assert parsed == ["002_44ae3e012a1f5e27.txt"]
    parsed.clear()
    dated = Settings(boilerplate=SETTINGS.boilerplate, digest_dates={"000_214e9b9a9acbbb2c": date(2024, 5, 6)},
                     digest_date_lines={"000_214e9b9a9acbbb2c": 3})
    first = read(digests, cache, dated)
    assert "000_214e9b9a9acbbb2c.txt" in parsed
    assert first == read_without_cache(digests, dated, RECORDED, first_built=built(date(2026, 11, 30)))
    parsed.clear()
    read(digests, cache, Settings(boilerplate=SETTINGS.boilerplate | {"Another line"}))
    assert len(parsed) == 5  # the boilerplate concerns every digest


def test_a_digest_dated_by_its_first_build_is_never_taken_from_the_cache(tmp_path: Path, parsed: list[str]) -> None:
    """Its date comes from git or the clock, not from a file: only the record fixes it."""
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "002.txt").write_text(f"A Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    cache = tmp_path / DIGESTS_CACHE
    first = read(folder, cache, first_built=built(date(2026, 1, 1)))
    later = read(folder, cache, first_built=built(date(2026, 2, 2)))
    assert parsed == ["002.txt", "002.txt"]
    assert (first[0].date, later[0].date) == (date(2026, 1, 1), date(2026, 2, 2))
    assert later[0].date_record is not None
    recorded = read(folder, cache, recorded={"002": later[0].date_record}, first_built=built(date(2027, 3, 3)))
    again = read(folder, cache, recorded={"002": later[0].date_record}, first_built=built(date(2027, 3, 3)))
    assert parsed == ["002.txt"] * 3  # the recorded reading is kept
    assert recorded == again and again[0].date == date(2026, 2, 2)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "checksum", "format", "entry", "no tab", "empty"])
def test_a_damaged_cache_is_ignored_and_written_again(
    digests: Path, tmp_path: Path, parsed: list[str], damage: str
) -> None:
    cache = tmp_path / DIGESTS_CACHE
    expected = read(digests, cache)
    data = cache.read_bytes()
    header, _, body = data.partition(b"\n")
    meta = json.loads(header)
    if damage == "garbage":
        cache.write_bytes(b"\x80\x04not json at all")
    elif damage == "truncated":
        cache.write_bytes(data[: len(data) // 2])
    elif damage == "checksum":
        cache.write_bytes(header + b"\n" + body.replace(b"a", b"b", 1))
    elif damage == "format":
        cache.write_bytes(json.dumps({**meta, "format": 0}).encode() + b"\n" + body)
    elif damage == "entry":  # a body that matches its checksum but not the format of an entry
        new = b"\n".join(line.split(b"\t")[0] + b'\t["?"]' for line in body.split(b"\n"))
        meta["sha256"] = hashlib.sha256(new).hexdigest()
        cache.write_bytes(json.dumps(meta).encode() + b"\n" + new)
    elif damage == "no tab":
        new = body.replace(b"\t", b" ")
        meta["sha256"] = hashlib.sha256(new).hexdigest()
        cache.write_bytes(json.dumps(meta).encode() + b"\n" + new)
    else:
        cache.write_bytes(b"")
    parsed.clear()
    assert read(digests, cache) == expected
    assert len(parsed) == 5
    parsed.clear()
    assert read(digests, cache) == expected  # written again, and good
    assert parsed == []


def test_a_change_to_the_readers_code_invalidates_the_cache(
    digests: Path, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / DIGESTS_CACHE
    read(digests, cache)
    code = tmp_path / "read"
    shutil.copytree(cache_module.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "CODE", code)
    assert code_key() == DigestCache(cache).key  # a copy of the same code: the same key
    for changed in [code / "grammar.py", *SHARED]:
        before = code_key()
        if changed in SHARED:
            copy = tmp_path / changed.name
            copy.write_bytes(changed.read_bytes() + b"\n# a comment\n")
            monkeypatch.setattr(cache_module, "SHARED", tuple(copy if p == changed else p for p in SHARED))
        else:
            changed.write_bytes(changed.read_bytes() + b"\n# a comment\n")
        assert code_key() != before, changed.name
    parsed.clear()
    read(digests, cache)
    assert len(parsed) == 5


def imported_modules(path: Path) -> set[str]:
    """The `generator.*` modules a source file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("generator"))
    return found


def test_the_key_covers_every_module_the_reader_imports() -> None:
    """Every generator module the reader imports, directly or not, is hashed into the key."""
    package = ROOT / "generator"
    hashed = {*(p.resolve() for p in cache_module.CODE.glob("*.py")), *(p.resolve() for p in SHARED)}
    todo, seen = [p for p in cache_module.CODE.glob("*.py") if p.name != "cache.py"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for module in imported_modules(path):
            parts = module.split(".")[1:]
            target = package.joinpath(*parts).with_suffix(".py")
            todo.append(target if target.exists() else package.joinpath(*parts, "__init__.py"))
    missing = sorted(str(p.relative_to(package)) for p in seen if p.resolve() not in hashed)
    assert missing == [] or missing == ["__init__.py"], missing


def test_the_cache_is_a_cache_to_the_fingerprint_and_to_git() -> None:
    assert {DIGESTS_CACHE, f"{DIGESTS_CACHE}.tmp"} <= SKIPPED
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f".generator/{DIGESTS_CACHE}" in ignored and f".generator/{DIGESTS_CACHE}.tmp" in ignored


# --- builds with and without the cache ---------------------------------------------------------


def paths(project: Path) -> Paths:
    return Paths(project / "digests", project / "docs", project / ".generator",
                 project / "topics.yml", project / "site.yml")


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for folder in (project / "docs", project / ".generator") for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in CACHES}


def step(project: Path, change: str) -> None:
    """One change a maintainer makes between builds."""
    digests = project / "digests"
    if change == "undated digest":  # its date is inferred from the day of its first build
        (digests / "005_undated.txt").write_text(f"Undated Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    elif change == "year-less digest":
        (digests / "006_yearless.txt").write_text(f"Mar 14\n\nA Year-less Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    elif change == "edited digest":
        path = sorted(digests.glob("00[0-4]*.txt"))[0]
        path.write_text(path.read_text(encoding="utf-8") + f"\nA Late Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    elif change == "lost dates":
        (project / ".generator" / "digest-dates.json").unlink()
    elif change == "dated in site.yml":
        settings = project / "site.yml"
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            "\ndigests:\n", "\ndigests:\n  005_undated:\n    date: 2025-01-02\n", 1), encoding="utf-8")


HISTORY = ["undated digest", "year-less digest", "edited digest", "lost dates", "dated in site.yml"]


def relative(project: Path, summary: Summary) -> Summary:
    """The summary with every file it names named inside the project (two projects compare)."""
    inside = f"{project.as_posix()}/"
    return replace(
        summary,
        changes=tuple(path.relative_to(project) for path in summary.changes),
        dates=tuple(tuple(part.replace(inside, "") for part in date) for date in summary.dates),
        warnings=tuple((where.replace(inside, ""), what) for where, what in summary.warnings),
    )


def test_builds_with_and_without_the_cache_write_and_report_the_same(tmp_path: Path, parsed: list[str]) -> None:
    cached, uncached = (copy_project(tmp_path / name) for name in ("cached", "uncached"))
    reported: list[Summary] = []
    for change in ["", *HISTORY]:
        for project in (cached, uncached):
            step(project, change)
        (uncached / ".generator" / DIGESTS_CACHE).unlink(missing_ok=True)
        assert [Path(x).name for x in check(paths(cached))] == [Path(x).name for x in check(paths(uncached))]
        parsed.clear()
        ours = relative(cached, build(paths(cached)))
        if change == "edited digest":  # the cache was used: the edited digest is parsed again, and the
            # one dated by its first build in the last run, now read with its record (then kept)
            assert parsed == [sorted((cached / "digests").glob("00[0-4]*.txt"))[0].name, "006_yearless.txt"]
        theirs = relative(uncached, build(paths(uncached)))
        assert (cached / ".generator" / DIGESTS_CACHE).exists()
        assert ours == theirs, change  # counts, inferred dates, warnings, what was written
        assert snapshot(cached) == snapshot(uncached), change
        reported.append(ours)
    assert any(summary.dates for summary in reported)  # inferred dates were reported
    assert any(summary.warnings for summary in reported)


def test_a_check_writes_no_cache(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    check(paths(project))
    assert not (project / ".generator" / DIGESTS_CACHE).exists()
    build(paths(project))
    cache = project / ".generator" / DIGESTS_CACHE
    before = cache.read_bytes()
    step(project, "edited digest")
    check(paths(project))
    assert cache.read_bytes() == before

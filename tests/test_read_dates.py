"""A digest's date never stops a build, and once inferred it never changes by itself.

The rules (generator/read/dates.py, README "The digest's date"): site.yml; a header date with a
year; a date in the file name; a year-less header date, the latest such day on or before the
day the digest was first built; no header date, that day. "First built" is the file's first
git commit, else the run's day, recorded in .generator/digest-dates.json the first time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.read import read_digest
from generator.read.dates import git_added
from generator.settings import Settings, load_settings

from .conftest import copy_project, run_generator

ABSTRACT = ("We study a problem of some importance and find a simple answer that holds in practice. "
            "Experiments on three benchmarks agree with the theory, and the code is released.")
BUILT = date(2026, 11, 30)


def built(_path: Path) -> tuple[date, str]:
    return BUILT, "a test"


NO_SETTINGS = Settings()


def dated(tmp_path: Path, name: str, header: str, settings: Settings = NO_SETTINGS) -> tuple[date, str]:
    path = tmp_path / name
    path.write_text((f"{header}\n\n" if header else "") + f"A Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    digest = read_digest(path, settings, {}, built)
    return digest.date, digest.date_source


@pytest.mark.parametrize(
    ("name", "header", "expected", "source"),
    [
        ("2024-01-01.txt", "Nov 20, 2025", date(2025, 11, 20), "its header ('Nov 20, 2025')"),
        ("2024-01-01.txt", "Nov 20", date(2024, 1, 1), "its file name (2024-01-01)"),
        ("digest-2025-11-20.txt", "", date(2025, 11, 20), "its file name (2025-11-20)"),
        ("004_abc.txt", "Mar 14", date(2026, 3, 14), "its header 'Mar 14', which has no year: the latest Mar 14 on "
                                                     "or before 2026-11-30, the day it was first built (a test)"),
        ("004_abc.txt", "Dec 24", date(2025, 12, 24), "its header 'Dec 24', which has no year"),
        ("004_abc.txt", "Feb 29", date(2024, 2, 29), "its header 'Feb 29', which has no year"),
        ("002_abc.txt", "", BUILT, "the day it was first built, 2026-11-30 (a test): it gives no date"),
        ("2025-13-01.txt", "", BUILT, "the day it was first built"),  # no such day: the next rule
    ],
)
def test_the_date_comes_from_the_first_rule_that_gives_one(
    tmp_path: Path, name: str, header: str, expected: date, source: str
) -> None:
    day, given = dated(tmp_path, name, header)
    assert day == expected and given.startswith(source)


def test_site_yml_wins_over_every_other_rule(tmp_path: Path) -> None:
    settings = Settings(digest_dates={"2024-01-01": date(2023, 5, 6)}, digest_date_lines={"2024-01-01": 7})
    assert dated(tmp_path, "2024-01-01.txt", "Nov 20, 2025", settings) == (date(2023, 5, 6), "site.yml, line 7")


def test_an_inferred_date_is_recorded_and_the_record_wins(tmp_path: Path) -> None:
    path = tmp_path / "004.txt"
    path.write_text(f"Mar 14\n\nA Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    first = read_digest(path, Settings(), {}, built)
    assert first.date_record is not None and (first.date_record.day, first.date_record.first_built) == (
        date(2026, 3, 14), BUILT)
    assert first.date_override == "004: {date: YYYY-MM-DD}"

    def never(_path: Path) -> tuple[date, str]:
        raise AssertionError("a recorded digest is not dated again")

    later = read_digest(path, Settings(), {"004": first.date_record}, never)
    assert later.date == date(2026, 3, 14) and later.date_record == first.date_record


def git(folder: Path, *args: str, when: str = "2025-03-20T12:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_first_built_is_the_files_first_git_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "d.txt").write_text("one\n")
    (tmp_path / "new.txt").write_text("not committed\n")
    git(tmp_path, "add", "d.txt")
    git(tmp_path, "commit", "-q", "-m", "add")
    (tmp_path / "d.txt").write_text("two\n")
    git(tmp_path, "commit", "-q", "-am", "edit", when="2025-04-01T12:00:00+00:00")
    assert git_added(tmp_path / "d.txt") == date(2025, 3, 20)
    assert git_added(tmp_path / "new.txt") is None
    outside = tmp_path.parent / f"{tmp_path.name}-no-repo"
    outside.mkdir()
    (outside / "d.txt").write_text("x\n")
    assert git_added(outside / "d.txt") is None
    monkeypatch.setenv("PATH", "")  # no git at all
    assert git_added(tmp_path / "d.txt") is None


def committed_project(tmp_path: Path, digests: dict[str, str]) -> Path:
    project = copy_project(tmp_path / "project", digests=None)
    (project / "digests").mkdir()
    for name, text in digests.items():
        (project / "digests" / name).write_text(text, encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "project")
    return project


def records(project: Path) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads((project / ".generator" / "digest-dates.json").read_text())
    return data


def test_a_recorded_date_survives_reruns_and_fresh_clones(tmp_path: Path) -> None:
    project = committed_project(tmp_path, {
        "000.txt": f"Nov 20, 2025\n\nOld Paper\n\n{ABSTRACT}\n",
        "004.txt": f"Mar 14\n\nA Paper\n\n{ABSTRACT}\n\n  • 2 authors\n·\nDec 9\n",
        "002.txt": f"Other Paper\n\n{ABSTRACT}\n",
    })
    done = run_generator(project, "build")
    assert done.returncode == 0, done.stderr
    assert records(project) == {
        "002": {"date": "2025-03-20", "first_built": "2025-03-20", "how": "its first git commit"},
        "004": {"date": "2025-03-14", "first_built": "2025-03-20", "how": "its first git commit"},
    }
    assert "Digest dates inferred (2; to set one, add its line under 'digests:' in site.yml):" in done.stdout
    assert "digests/004.txt: 2025-03-14, from its header 'Mar 14', which has no year" in done.stdout
    assert "site.yml: '004: {date: YYYY-MM-DD}'" in done.stdout
    page = (project / "docs" / "papers" / "a-paper.md").read_text()
    assert "published: 2024-12-09" in page  # Dec 9 in a digest of Mar 14, 2025: the year before
    assert (project / "docs" / "digests" / "2025-03-14.md").exists()
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "pages", when="2026-01-02T12:00:00+00:00")

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True, capture_output=True)
    checked = run_generator(clone, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    shutil.rmtree(project / ".git")  # no history any more: the record, not today's date, still decides
    again = run_generator(project, "build")
    assert again.returncode == 0 and "Nothing to write: docs/ is up to date." in again.stdout


def test_check_reports_a_digest_whose_date_is_not_recorded(tmp_path: Path) -> None:
    project = committed_project(tmp_path, {"000.txt": f"Nov 20, 2025\n\nOld Paper\n\n{ABSTRACT}\n"})
    assert run_generator(project, "build").returncode == 0
    assert run_generator(project, "check").returncode == 0
    (project / "digests" / "004.txt").write_text(f"Mar 14\n\nA Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    checked = run_generator(project, "check")
    assert checked.returncode == 1
    assert "out of date: .generator/digest-dates.json" in checked.stdout
    assert not (project / ".generator" / "digest-dates.json").exists()  # a check writes nothing


def test_a_site_yml_date_overrides_the_record_and_what_depends_on_it(tmp_path: Path) -> None:
    project = committed_project(tmp_path, {"004.txt": f"Mar 14\n\nA Paper\n\n{ABSTRACT}\n\n  • 2 authors\n·\nDec 9\n"})
    assert run_generator(project, "build").returncode == 0
    assert "published: 2024-12-09" in (project / "docs" / "papers" / "a-paper.md").read_text()
    settings = project / "site.yml"
    settings.write_text(settings.read_text() + "  '004':\n    date: 2025-12-14\n", encoding="utf-8")
    done = run_generator(project, "build")
    assert done.returncode == 0, done.stderr
    assert "Digest dates inferred" not in done.stdout
    assert "published: 2025-12-09" in (project / "docs" / "papers" / "a-paper.md").read_text()
    assert (project / "docs" / "digests" / "2025-12-14.md").exists()
    assert not (project / "docs" / "digests" / "2025-03-14.md").exists()
    assert records(project)["004"]["date"] == "2025-03-14"  # kept: removing the site.yml line brings it back
    quality = (project / "docs" / "quality.md").read_text()
    assert "- `004.txt`: Dec 14, 2025 from site.yml, line " in quality and "(recorded: Mar 14, 2025)" in quality


SITE_YML = "title: T\nboilerplate:\n  - new\ndigests:\n  {name}:\n    date: {value}\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "site.yml:6: digest '004': 'date: 2025-02-30' is not a day of the calendar"),
        ("2025-13-01", "site.yml:6: digest '004': 'date: 2025-13-01' is not a day of the calendar"),
        ("2025-03-14 10:00", "site.yml:6: digest '004': 'date: 2025-03-14 10:00' carries a time: write the day "
                             "only, 'date: 2025-03-14'"),
        ("2025-03-14T10:00:00Z", "site.yml:6: digest '004': 'date: 2025-03-14T10:00:00Z' carries a time"),
        ("14.03.2025", "site.yml:6: digest '004': 'date: 14.03.2025' is not a date: write 'date: YYYY-MM-DD'"),
        ("", "site.yml:5: digest '004' needs 'date: YYYY-MM-DD'"),
    ],
)
def test_a_bad_site_yml_date_is_an_error_naming_its_line(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "site.yml"
    path.write_text(SITE_YML.format(name="'004'", value=value) if value else
                    "title: T\nboilerplate:\n  - new\ndigests:\n  '004':\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(str(tmp_path / message.split(":", 1)[0])) and message.split(":", 1)[1] in str(
        caught.value)


def test_site_yml_names_are_file_names_as_written(tmp_path: Path) -> None:
    path = tmp_path / "site.yml"
    path.write_text(SITE_YML.format(name="006", value="2025-03-14") + "  no:\n    date: 2025-03-15\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.digest_dates == {"006": date(2025, 3, 14), "no": date(2025, 3, 15)}  # not 6, not False
    assert settings.digest_date_lines == {"006": 6, "no": 8}


def test_a_bad_site_yml_date_stops_the_build_with_one_line_and_no_traceback(
    make_project: Callable[[dict[str, str | bytes]], Path]
) -> None:
    project = make_project({"006.txt": f"A Paper\n\n{ABSTRACT}\n"})
    settings = project / "site.yml"
    settings.write_text(settings.read_text() + "  006:\n    date: 2025-02-30\n", encoding="utf-8")
    done = run_generator(project, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: site.yml:")
    assert "'date: 2025-02-30' is not a day of the calendar" in done.stderr
    assert not (project / "docs" / "papers").exists()


@pytest.mark.parametrize("value", ["5", "abc", "3.5", "99999", "[1]"])
def test_a_bad_listing_page_size_is_an_error_naming_its_line(tmp_path: Path, value: str) -> None:
    path = tmp_path / "site.yml"
    path.write_text(f"title: T\nlisting_page_size: {value}\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"site\.yml:2: 'listing_page_size' must be a number of papers"):
        load_settings(path)
    path.write_text("title: T\nlisting_page_size: 120\n", encoding="utf-8")
    assert load_settings(path).listing_page_size == 120

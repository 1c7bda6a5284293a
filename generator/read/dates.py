"""A digest's date, and the year of a listing date printed without one.

A digest's date comes from the first of these that gives one:

1. `site.yml` (`digests: {<file name without .txt>: {date: YYYY-MM-DD}}`): always wins;
2. a header date with a year (`Nov 20, 2025`);
3. a date in the file name (`2025-11-20.txt`, `digest-2025-11-20.txt`);
4. a header date without a year (`Mar 14`): the latest such day on or before the day the
   digest was first built;
5. no header date: the day the digest was first built.

"First built" is the day of the file's first git commit where it has one (`git log
--diff-filter=A`), else the day of the run. Rules 4 and 5 are recorded in the write stage's
state (`.generator/digest-dates.json`) the first time, and a record wins over a new guess, so
later runs and fresh clones give the same date. The read stage only reads: it is handed the
records and returns what to record.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.errors import InputError
from generator.model import DateRecord, Notice
from generator.read.lines import Line, PartialDate
from generator.settings import Settings

FILE_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
FirstBuilt = Callable[[Path], tuple[date, str]]  # a digest file -> (day, how it is known)


@dataclass(frozen=True)
class DigestDate:
    date: date
    source: str  # where the date came from, as the quality page and the run summary say it
    record: DateRecord | None = None  # an inferred date (rules 4 and 5), to keep in the state
    override: str = ""  # the site.yml entry that would set it (for an inferred date)


def git_added(path: Path) -> date | None:
    """The day of the file's first commit (`git log --diff-filter=A`), or None: not committed,
    not a repository, or no git."""
    try:
        done = subprocess.run(
            ["git", "log", "--diff-filter=A", "--format=%cs", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    days = done.stdout.split() if done.returncode == 0 else []
    try:
        return date.fromisoformat(days[-1]) if days else None  # oldest last: the first commit
    except ValueError:
        return None


def first_built_by_git(today: date) -> FirstBuilt:
    """The day a digest was first built: its first commit's, else `today` (the run's)."""

    def first_built(path: Path) -> tuple[date, str]:
        added = git_added(path)
        return (added, "its first git commit") if added else (today, "the first run that read it")

    return first_built


def make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def latest_on_or_before(month: int, day: int, limit: date) -> date | None:
    """The latest `month`/`day` on or before `limit` (Feb 29: in the latest leap year)."""
    for year in range(limit.year, limit.year - 8, -1):
        found = make_date(year, month, day)
        if found is not None and found <= limit:
            return found
    return None


def _shown(line: Line) -> str:
    return line.visible


def digest_date(
    path: Path,
    header: Line | None,
    settings: Settings,
    recorded: Mapping[str, DateRecord],
    first_built: FirstBuilt,
) -> tuple[DigestDate, list[Notice]]:
    """The digest's date by the rules above, and what is unusual about it."""
    name = path.stem
    notices: list[Notice] = []
    parsed: PartialDate | None = header.date if header is not None else None
    header_day = None
    if header is not None and parsed is not None:
        header_day = make_date(parsed.year or 2000, parsed.month, parsed.day)  # 2000: a leap year
        if header_day is None:
            notices.append(Notice(header.number, f"the header date {_shown(header)!r} is not a day of the calendar: "
                                                 "ignored"))
            parsed = None
    override = f"{name}: {{date: YYYY-MM-DD}}"
    if name in settings.digest_dates:
        chosen = settings.digest_dates[name]
        line = settings.digest_date_lines.get(name)
        if header is not None and parsed is not None and (
            (parsed.month, parsed.day) != (chosen.month, chosen.day) or parsed.year not in (None, chosen.year)
        ):
            notices.append(Notice(header.number, f"site.yml (line {line}) dates the digest {chosen.isoformat()}, "
                                                 f"but its header says {_shown(header)!r}: site.yml wins"))
        kept = recorded.get(name)
        return DigestDate(chosen, f"site.yml, line {line}", kept), notices
    if header is not None and parsed is not None and parsed.year is not None and header_day is not None:
        return DigestDate(header_day, f"its header ({_shown(header)!r})"), notices
    for match in FILE_NAME_DATE.finditer(name):
        named = make_date(int(match[1]), int(match[2]), int(match[3]))
        if named is not None:
            return DigestDate(named, f"its file name ({match[0]})"), notices
        notices.append(Notice(None, f"the file name holds {match[0]!r}, which is not a day of the calendar: ignored"))
    record = recorded.get(name)
    if record is None:
        built, how = first_built(path)
        record = DateRecord(built, built, how)
    built, how = record.first_built, record.how
    if header is not None and parsed is not None:
        day = latest_on_or_before(parsed.month, parsed.day, built)
        if day is not None:
            source = (f"its header {_shown(header)!r}, which has no year: the latest {_shown(header)} on or before "
                      f"{built.isoformat()}, the day it was first built ({how})")
            return DigestDate(day, source, DateRecord(day, built, how), override), notices
    source = f"the day it was first built, {built.isoformat()} ({how}): it gives no date"
    return DigestDate(built, source, DateRecord(built, built, how), override), notices


def listing_date(parsed: PartialDate, digest_day: date) -> tuple[date | None, bool]:
    """A listing's published date, and whether its year was inferred: the listing page prints
    no year for the current year, so a date without one is in the digest's year, unless later
    in the year than the digest (then the year before)."""
    if parsed.year is not None:
        return make_date(parsed.year, parsed.month, parsed.day), False
    later = (parsed.month, parsed.day) > (digest_day.month, digest_day.day)
    return make_date(digest_day.year - (1 if later else 0), parsed.month, parsed.day), True


def records_from_data(data: Mapping[str, object], path: Path) -> dict[str, DateRecord]:
    """The recorded digest dates, from the state file's JSON (`record_data` writes them)."""
    records: dict[str, DateRecord] = {}
    for name, entry in data.items():
        try:
            fields = dict(entry)  # type: ignore[call-overload]
            records[name] = DateRecord(
                date.fromisoformat(fields["date"]), date.fromisoformat(fields["first_built"]), str(fields["how"])
            )
        except (KeyError, TypeError, ValueError):
            message = f"the record of {name!r} is not a date record; restore the file from git"
            raise InputError(path, None, message) from None
    return records


def record_data(record: DateRecord) -> dict[str, str]:
    return {"date": record.day.isoformat(), "first_built": record.first_built.isoformat(), "how": record.how}

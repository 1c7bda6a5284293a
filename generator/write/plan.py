"""What docs/ and `.generator/` must become: every file's new text, computed in memory.

For every page three texts meet: the base (what the generator last wrote, kept under
`.generator/pages/`), ours (the page on disk, maybe edited by hand) and theirs (the new
rendering). Bytes are compared first, so an untouched page is never parsed (nor read, when
the run knows it holds the bytes of its base: `Disk.text_via`); only a page both the curator
and the generator changed goes through `merge.merge_page`. Reads only.

A page that differs from the new rendering and has no base (a page made by hand where a
paper now lands, or a page whose record was lost with `.generator/`) cannot be merged: nobody
knows which of its differences are hand edits. It is left as it is, not recorded, and reported
as unresolved until a run is told to keep it (its differences become hand edits) or to adopt
the new rendering (`resolve`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.front_matter import read_page
from generator.write.merge import merge_page
from generator.write.state import Disk, StatePaths, relative_files


@dataclass(frozen=True)
class Conflict:
    """A field (or the body) both the curator and the generator changed: the curator's is kept."""

    page: str  # docs-relative path
    field: str  # front-matter field name, or "body"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    merged: list[str] = field(default_factory=list)  # hand-edited pages that also took new data
    kept: list[str] = field(default_factory=list)  # edited by hand, nothing new for them
    removed: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # differs, and no record of what the generator wrote
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class Plan:
    """Every change a run makes, as absolute path -> new text (None: delete)."""

    changes: dict[Path, str | None] = field(default_factory=dict)
    report: WriteReport = field(default_factory=WriteReport)


def plan(
    docs: Path,
    state: StatePaths,
    pages: Mapping[str, str],
    state_files: Mapping[str, str] = {},
    moves: Mapping[str, str] = {},
    disk: Disk | None = None,
    resolve: Mapping[str, str] = {},
) -> Plan:
    """What docs/ and the state must become. Reads only; nothing is written.

    `resolve` decides unresolved pages: page -> "keep" or "adopt" ("*" for every page).
    """
    disk = disk or Disk()
    _read, page_at, copy_at = disk.text, disk.under(docs), disk.under(state.pages)
    result = Plan()
    report, changes = result.report, result.changes
    for rel in sorted(pages):
        new, src = pages[rel], moves.get(rel, rel)
        base, current = _read(copy_at(src)), disk.text_via(page_at(src), copy_at(src))
        text: str | None = new
        if current == new:
            text = None
            report.unchanged += 1
        elif current is None or current == base:
            pass
        elif base is None:
            read_page(f"{docs.as_posix()}/{src}", current)  # refuse front matter MkDocs would show as text
            decision = resolve.get(rel, resolve.get("*"))
            if decision is None:
                report.unresolved.append(rel)
                continue  # not recorded: every run reports it until it is resolved
            if decision == "keep":
                text = None
                report.kept.append(rel)
        elif base == new:
            text = None  # nothing new for a page edited by hand
            report.kept.append(rel)
        else:
            merged = merge_page(base, current, new, f"{docs.as_posix()}/{src}")
            report.merged.append(rel)
            report.conflicts.extend(Conflict(rel, name) for name in merged.conflicts)
            text = merged.text if merged.text != current else None
        if src != rel:
            text = text if text is not None else current
            changes[page_at(src)] = None
            changes[copy_at(src)] = None
        if text is not None:
            changes[page_at(rel)] = text
            report.written.append(rel)
        if base != new or src != rel:
            changes[copy_at(rel)] = new
    gone = set(moves.values())
    for rel in relative_files(state.pages):
        if rel in pages or rel in gone:
            continue
        last = copy_at(rel)
        current = disk.text_via(page_at(rel), last)
        if current == _read(last):
            changes[page_at(rel)] = None
            report.removed.append(rel)
        elif current is not None:
            report.kept.append(rel)
        changes[last] = None
    for name, text in state_files.items():
        if _read(state.root / name) != text:
            changes[state.root / name] = text
    return result

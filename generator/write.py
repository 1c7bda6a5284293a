"""Stage 5, the only stage that touches the disk: bring docs/ up to date with rendered pages.

Beside each generated page the generator keeps, under `.generator/pages/`, the text it last
wrote there. Comparing the page on disk with that copy tells a page the generator may replace
(unchanged since it wrote it) from one a curator edited (kept). A page that already holds the
new text is not written at all, so a run with nothing new writes no file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # edited by hand: left as the curator made it
    removed: list[str] = field(default_factory=list)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pages(docs: Path, state: Path, pages: Mapping[str, str]) -> WriteReport:
    report = WriteReport()
    for rel in sorted(pages):
        new, page, last = pages[rel], docs / rel, state / rel
        current, generated = _read(page), _read(last)
        if current == new:
            report.unchanged += 1
        elif current is None or current == generated:
            atomic_write(page, new)
            report.written.append(rel)
        else:
            report.kept.append(rel)
        if generated != new:
            atomic_write(last, new)
    for last in sorted(p for p in state.rglob("*") if p.is_file()) if state.is_dir() else []:
        rel = last.relative_to(state).as_posix()
        if rel in pages:
            continue
        page = docs / rel
        if _read(page) == _read(last):
            page.unlink(missing_ok=True)
            report.removed.append(rel)
        elif page.exists():
            report.kept.append(rel)
        last.unlink()
    return report

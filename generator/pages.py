"""Read a page of docs/ the way MkDocs will, but refuse what MkDocs would silently misread.

MkDocs' own reader (`mkdocs.utils.meta.get_data`) swallows YAML errors and renders the
broken front matter as body text, even with `--strict`; and a page with no front matter whose
first line looks like `Key: value` loses that line to MultiMarkdown-style metadata. Both turn
a curator's slip into a silently wrong page, so every reader of pages here (the generator
merging hand edits, the MkDocs hook) goes through `parse_page`, which raises a `UserError`
naming the page and the line instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import InputError
from generator.state import Disk
from generator.write import relative_files

try:  # the loader MkDocs uses, so both read the same values
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# The same patterns as mkdocs/utils/meta.py (MkDocs 1.6).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_OPENING = re.compile(r"^-{3}[ \t]*\n")
_MULTIMARKDOWN_META = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*")


def parse_page(path: Path | str, text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a page, exactly as MkDocs reads them, or an `InputError`."""
    text = text.replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if match is None:
        if _OPENING.match(text):
            raise InputError(path, 1, "the front matter opened by '---' is never closed by a '---' line")
        if _MULTIMARKDOWN_META.match(text):
            raise InputError(
                path, 1, "the page has no front matter, so MkDocs would read its first line as metadata: "
                "start the page with a '---' line, the front matter, and another '---' line"
            )
        return {}, text
    try:
        meta = yaml.load(match.group(1), Loader=_Loader)
    except yaml.YAMLError as error:
        # Where the broken construct starts (an unclosed quote), else where parsing stopped.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for the opening '---', +1 1-based
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(path, line, f"the front matter is not valid YAML ({problem}): fix it or delete the page "
                         "to have it generated again") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(path, 2, f"the front matter must be 'key: value' lines, not a {type(meta).__name__}")
    return meta, text[match.end():].lstrip("\n")


def check_pages(docs: Path, generated: Path | None = None, disk: Disk | None = None) -> None:
    """Parse every Markdown page under `docs`: the first that does not parse stops the run.

    A page equal to its copy under `generated` (what the generator last wrote there) is the
    generator's own output and is not parsed again: at 30,000 pages that parsing took ~7 s
    of every run that had to compute. Pages are read through the run's `disk`, so that the
    run reads each page once.
    """
    disk = disk or Disk()
    for rel in relative_files(docs) if docs.is_dir() else []:
        if not rel.endswith(".md"):
            continue
        text = disk.text(docs / rel)
        if text is None or (generated is not None and text == disk.text(generated / rel)):
            continue
        parse_page(docs / rel, text)

"""YAML front matter, written only by PyYAML's dumper, and read back exactly as MkDocs reads
it (`read_page`).

Every page's front matter is dumped here, so no title can break it: PyYAML quotes every string
that YAML would read as something else. (A hand-written shortcut for plain strings once saved
~76 µs a page: 2.3 s of CPU at 30,000 papers, about 1 s on two workers, against minutes for a
full build; not worth re-implementing the library's emitter.)

MkDocs' own reader (`mkdocs.utils.meta.get_data`) swallows YAML errors and renders the
broken front matter as body text, even with `--strict`; and a page with no front matter whose
first line looks like `Key: value` loses that line to MultiMarkdown-style metadata. Both turn
a curator's slip into a silently wrong page, so every reader of pages (the generator merging
hand edits, the site plugin) goes through `parse_page`, which raises an `InputError` naming
the page and the line instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import InputError

try:  # libyaml when present: ~10x faster, and byte-identical to the pure-Python dumper
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]



def front_matter(meta: Mapping[str, Any]) -> str:
    """The page's front matter block: `---`, the YAML of `meta`, `---`."""
    dumped = yaml.dump(dict(meta), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n"


try:  # the loader MkDocs uses, so both read the same values
    from yaml import CSafeLoader as _MkDocsLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _MkDocsLoader  # type: ignore[assignment]


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        self.key, self.line = key, line


class _Loader(_MkDocsLoader):
    """MkDocs' loader, refusing a key written twice: YAML keeps the last silently, so a
    curator's second `hidden:` or `title:` line would quietly undo the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                continue  # an unhashable key: the constructor reports it
            if key in seen:
                raise _DuplicateKey(key, key_node.start_mark.line)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# The same patterns as mkdocs/utils/meta.py (MkDocs 1.6).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_OPENING = re.compile(r"^-{3}[ \t]*\n")
_MULTIMARKDOWN_META = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*")


@dataclass(frozen=True)
class Page:
    """A page of docs/ split as MkDocs splits it: the front-matter block (delimiters included,
    "" when there is none), its values, and the rest of the text as written."""

    front: str
    meta: dict[str, Any]
    body: str


def read_page(path: Path | str, text: str) -> Page:
    """The one reader of pages: MkDocs' rules, or an `InputError` naming the page and line.

    `text` is as MkDocs sees it (`utf-8-sig`, universal newlines: `state.Disk.text` reads so).
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if match is None:
        if _OPENING.match(text):
            raise InputError(path, 1, "the front matter opened by '---' is never closed by a '---' line")
        if _MULTIMARKDOWN_META.match(text):
            raise InputError(
                path, 1, "the page has no front matter, so MkDocs would read its first line as metadata: "
                "start the page with a '---' line, the front matter, and another '---' line"
            )
        return Page("", {}, text)
    try:
        meta = yaml.load(match.group(1), Loader=_Loader)  # noqa: S506 - a safe loader
    except _DuplicateKey as duplicate:
        raise InputError(path, duplicate.line + 2, f"'{duplicate.key}' is set twice in the front matter: "
                         "keep one (YAML would silently use the last)") from None
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
    return Page(text[: match.end()], meta, text[match.end() :])


def parse_page(path: Path | str, text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a page, exactly as MkDocs reads them, or an `InputError`."""
    page = read_page(path, text)
    return page.meta, page.body.lstrip("\n")

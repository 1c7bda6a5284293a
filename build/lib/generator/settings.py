"""Site settings a curator edits in `site.yml`: the site's words, the page boilerplate the
reader skips, and per-digest facts the digest files do not carry (a header date's year).

Validated when loaded: every problem is listed with its line, then the run stops.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator.errors import UserError


@dataclass(frozen=True)
class Settings:
    title: str = "Paper digest"
    description: str = ""
    url: str = "https://paper-digest.example.org/"  # where the site is published: feeds, canonical links
    boilerplate: frozenset[str] = frozenset()
    digest_dates: Mapping[str, date] = field(default_factory=dict)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, for error messages."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_yaml_with_lines(path: Path) -> Any:
    """Parse a curator's YAML file; a syntax error becomes a UserError naming file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise UserError(f"{path}:{line}: not valid YAML: {exc.problem}") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text ({exc.reason})") from None


def load_settings(path: Path) -> Settings:
    data = load_yaml_with_lines(path)
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: expected a mapping of settings (title, boilerplate, digests)")
    problems: list[str] = []
    known = {"title", "description", "url", "boilerplate", "digests", "__line__"}
    for key in data:
        if key not in known:
            problems.append(f"{path}:{data['__line__']}: unknown setting {key!r}")
    boilerplate = data.get("boilerplate") or []
    if not isinstance(boilerplate, list) or not all(isinstance(b, str) for b in boilerplate):
        problems.append(f"{path}:{data['__line__']}: 'boilerplate' must be a list of lines")
        boilerplate = []
    dates: dict[str, date] = {}
    digests = data.get("digests") or {}
    if not isinstance(digests, dict):
        problems.append(f"{path}:{data['__line__']}: 'digests' must map digest names to settings")
        digests = {}
    for name, entry in digests.items():
        if name == "__line__":
            continue
        line = entry.get("__line__", digests["__line__"]) if isinstance(entry, dict) else "?"
        when = entry.get("date") if isinstance(entry, dict) else None
        if not isinstance(when, date):
            problems.append(f"{path}:{line}: digest {name!r} needs 'date: YYYY-MM-DD'")
            continue
        dates[str(name)] = when
    url = data.get("url") or Settings.url
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        problems.append(f"{path}:{data['__line__']}: 'url' must be the site's address, such as https://example.org/")
        url = Settings.url
    if problems:
        raise UserError("\n".join(problems))
    return Settings(
        title=str(data.get("title") or Settings.title),
        description=str(data.get("description") or ""),
        url=url.rstrip("/") + "/",
        boilerplate=frozenset(boilerplate),
        digest_dates=dates,
    )

"""Site settings a curator edits in `site.yml`: the site's words, the page boilerplate the
reader skips, and per-digest facts the digest files do not carry (a header date's year).

Validated when loaded: every problem is listed with its line, then the run stops.
"""

from __future__ import annotations

import re
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
    digest_date_lines: Mapping[str, int] = field(default_factory=dict)  # site.yml line of each date
    # Papers on one listing page (~100 KB of HTML at 300); a longer topic or listing is split
    # into one page per year (per month for a year above it).
    listing_page_size: int = 300


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, for error messages."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_yaml_with_lines(path: Path, loader: type[yaml.SafeLoader] = _LineLoader) -> Any:
    """Parse a curator's YAML file (with a safe loader that records lines); a syntax error
    becomes a UserError naming file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise UserError(f"{path}:{line}: not valid YAML: {exc.problem}") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text ({exc.reason})") from None


class _SettingsLoader(yaml.SafeLoader):
    """site.yml as written: every plain scalar is text, so a digest named `006` stays "006" (not
    the number 6), `no` stays "no", and a date is checked by `_digest_date`, not by PyYAML
    (whose timestamp reader raises on `2025-02-30`). Each mapping remembers its own line and
    the line of each of its values."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012  (PyYAML's class attribute)


def _settings_mapping(loader: _SettingsLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {"__line__": node.start_mark.line + 1, "__lines__": {}}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else key
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping["__lines__"][key] = value_node.start_mark.line + 1
    return mapping


_SettingsLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _settings_mapping)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WITH_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]")


def _digest_date(value: object) -> date | str:
    """A `date:` value of site.yml as a date, or what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        return "needs 'date: YYYY-MM-DD'"
    text = value.strip()
    if _WITH_TIME.match(text):
        return f"'date: {text}' carries a time: write the day only, 'date: {text[:10]}'"
    if not _ISO_DAY.fullmatch(text):
        return f"'date: {text}' is not a date: write 'date: YYYY-MM-DD'"
    try:
        return date.fromisoformat(text)
    except ValueError:
        return f"'date: {text}' is not a day of the calendar"


def load_settings(path: Path) -> Settings:
    data = load_yaml_with_lines(path, _SettingsLoader)
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: expected a mapping of settings (title, boilerplate, digests)")
    problems: list[str] = []
    known = {"title", "description", "url", "boilerplate", "digests", "listing_page_size", "__line__", "__lines__"}
    lines = data["__lines__"]
    for key in data:
        if key not in known:
            problems.append(f"{path}:{lines[key]}: unknown setting {key!r}")
    boilerplate = data.get("boilerplate") or []
    if not isinstance(boilerplate, list) or not all(isinstance(b, str) for b in boilerplate):
        problems.append(f"{path}:{lines.get('boilerplate', 1)}: 'boilerplate' must be a list of lines")
        boilerplate = []
    dates: dict[str, date] = {}
    date_lines: dict[str, int] = {}
    digests = data.get("digests") or {}
    if not isinstance(digests, dict):
        problems.append(f"{path}:{lines['digests']}: 'digests' must map digest names to settings")
        digests = {}
    for name, entry in digests.items():
        if name in ("__line__", "__lines__"):
            continue
        line = digests["__lines__"][name]
        if not isinstance(entry, dict) or "date" not in entry:
            problems.append(f"{path}:{line}: digest {name!r} needs 'date: YYYY-MM-DD'")
            continue
        extra = sorted(set(entry) - {"date", "__line__", "__lines__"})
        if extra:
            problems.append(f"{path}:{entry['__lines__'][extra[0]]}: digest {name!r}: unknown setting {extra[0]!r}")
        when = _digest_date(entry["date"])
        if isinstance(when, str):
            problems.append(f"{path}:{entry['__lines__']['date']}: digest {name!r}: {when}")
            continue
        dates[name] = when
        date_lines[name] = entry["__lines__"]["date"]
    url = data.get("url") or Settings.url
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        problems.append(f"{path}:{lines.get('url', 1)}: 'url' must be the site's address, such as https://example.org/")
        url = Settings.url
    for name in ("title", "description"):
        if not isinstance(data.get(name) or "", str):
            problems.append(f"{path}:{lines[name]}: {name!r} must be text")
    size = data.get("listing_page_size", str(Settings.listing_page_size))
    if not (isinstance(size, str) and size.isdigit() and 10 <= int(size) <= 5000):
        problems.append(f"{path}:{lines.get('listing_page_size', 1)}: 'listing_page_size' must be a number "
                        "of papers from 10 to 5000")
        size = str(Settings.listing_page_size)
    if problems:
        raise UserError("\n".join(problems))
    return Settings(
        title=str(data.get("title") or Settings.title),
        description=str(data.get("description") or ""),
        url=url.rstrip("/") + "/",
        boilerplate=frozenset(boilerplate),
        digest_dates=dates,
        digest_date_lines=date_lines,
        listing_page_size=int(size),
    )

"""Curator controls the site must honour: hidden pages and redirects of renamed pages.

- A page whose front matter says `hidden: true` is removed from the build before it is read:
  no HTML page, no search entry, no sitemap line. The generator leaves it out of every
  listing, so no link points to it.
- `.generator/redirects.json` (old page -> new page, written by the generator when a curator
  changes a paper's `slug:`) is handed to mkdocs-redirects, so mkdocs.yml stays static and
  never receives digest text; so are the former slugs of renamed topics (`formerly:` in
  topics.yml): `topics/<old>/` redirects to `topics/<new>/`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import yaml

from generator.model import Topic

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def topic_redirects(taxonomy: Iterable[Topic]) -> dict[str, str]:
    """Old topic page -> new topic page for each slug a topic lists under `formerly:`."""
    return {f"topics/{old}.md": f"topics/{t.slug}.md" for t in taxonomy for old in t.formerly}


def load_redirects(path: Path) -> dict[str, str]:
    """Old page -> new page, as the generator recorded them (none when the file is absent)."""
    if not path.exists():
        return {}
    mapping: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return mapping


def is_hidden(text: str) -> bool:
    """True if the page's front matter sets `hidden: true` (parsed only when it mentions it)."""
    if not text.startswith("---\n"):
        return False
    end = text.find("\n---", 3)
    front = text[4:end] if end > 0 else ""
    if "hidden" not in front:
        return False
    meta = yaml.load(front, Loader=_Loader)
    return isinstance(meta, dict) and meta.get("hidden") is True

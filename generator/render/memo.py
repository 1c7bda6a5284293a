"""Listing pages taken from the last run when what they are rendered from did not change.

At 30,000 papers a new digest changes ~60 of the ~1,500 listing pages (its topics' newest
tables, its digest's page and the one before it), yet rendering them all costs ~5 s of CPU.
A page's key is a hash of its template's name, its front matter and every value handed to
the template (rows and cards are frozen dataclasses with every value ready to print, so their
repr is the page's input); with the same generator code (the caller checks it), the same key
gives the same text. `earlier(path, key)` returns the text the last run rendered under that
key (Run.earlier_text: the generated copy in the state folder, if that is still the text then
rendered), else None and the page is rendered. tests/test_render_reuse.py compares a run that
reuses pages with one that renders everything: byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Template

from generator.front_matter import front_matter

Earlier = Callable[[str, str], str | None]  # (page, key) -> the text the last run rendered under that key


def nothing_earlier(path: str, key: str) -> str | None:
    return None


@dataclass
class PageMemo:
    """One renderer's pages: each page's key, and how many were taken from the last run."""

    earlier: Earlier = nothing_earlier
    keys: dict[str, str] = field(default_factory=dict)
    reused: int = 0

    def page(self, path: str, meta: Mapping[str, Any], template: Template, **context: Any) -> str:
        """The page's text: front matter, then the template rendered with `context`."""
        key = page_key(template.name or "", meta, context)
        self.keys[path] = key
        text = self.earlier(path, key)
        if text is not None:
            self.reused += 1
            return text
        return front_matter(meta) + template.render(**context)


def page_key(template: str, meta: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    inputs = repr((template, sorted(meta.items()), sorted(context.items())))
    return hashlib.sha256(inputs.encode("utf-8")).hexdigest()[:32]

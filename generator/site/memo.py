"""Render once the parts of a page that thousands of pages share.

Material renders the whole site navigation, its configuration script and our search box for
every page, and on the paper pages (which are not in the navigation) they come out the same
on every page at the same place in the tree: their links are relative, and nothing else in
them depends on the page. Rendering them once per key instead of once per page was a tenth
of `mkdocs build`. The templates (overrides/partials/nav.html, search.html, main.html) wrap
such a part in `{% call memo(name, key...) %}`; the key holds everything the part depends on
that varies from page to page, so a cached part is byte for byte what rendering it again
would give (tests/test_hooks.py builds a site both ways and compares every file).

Setting `NO_TEMPLATE_CACHE=1` in the environment renders every part afresh: for that test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url


class Memo:
    """The `memo` of the templates: one cache per build (`mkdocs serve` rebuilds after an edit)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and not os.environ.get("NO_TEMPLATE_CACHE")
        self.cache: dict[tuple[Any, ...], str] = {}

    def __call__(self, name: str, *key: Any, caller: Callable[[], str]) -> str:
        """The body of the `call` block, rendered once per (name, key); a None key never caches."""
        if not self.enabled or any(k is None for k in key):
            return _squeeze(name, caller())
        entry = (name, *key)
        if entry not in self.cache:
            self.cache[entry] = _squeeze(name, caller())
        return self.cache[entry]


# Parts whose markup holds only elements and short texts (no <pre>, <script> or attribute
# values with runs of spaces): Material's templates indent them deeply, and a run of white
# space between two tags renders as one space. Squeezed, cached or not (the same bytes).
SQUEEZED = frozenset({"nav", "tabs"})
_RUN = re.compile(r"\s{2,}")


def _squeeze(name: str, html: str) -> str:
    return _RUN.sub(" ", html) if name in SQUEEZED else html


def _links(items: Iterable[Any]) -> Iterator[str]:
    for item in items:
        if getattr(item, "url", None) is not None:
            yield str(item.url)
        yield from _links(getattr(item, "children", None) or [])


_last_targets: list[Any] = [None, ()]  # (nav, its link targets): the same for every page of a build
_last_key: list[Any] = [None, None]  # (page, its key): the nav and the tabs ask for the same page


def nav_key(page: Page | None, nav: Navigation | None, config: MkDocsConfig) -> tuple[str, ...] | None:
    """What Material's nav (partials/nav.html) and tabs (partials/tabs.html) depend on for this
    page, or None to render them.

    A page in the nav is marked active in it and holds its table of contents there: None. For
    any other page the nav differs only by its links, made relative to the page by the `url`
    filter: the key is those links as the page would print them. The targets are listed once per
    nav, and the key once per page (the nav and the tabs both ask).
    """
    if page is None or nav is None or page in nav.pages:
        return None
    if _last_key[0] is page:
        key: tuple[str, ...] = _last_key[1]
        return key
    if _last_targets[0] is not nav:
        targets = [*_links(nav.items), config.extra.get("homepage"), config.theme.get("logo")]
        if nav.homepage is not None:
            targets.append(nav.homepage.url)
        _last_targets[:] = [nav, tuple(str(t) for t in targets if t)]
    key = tuple(normalize_url(t, page=page) for t in _last_targets[1])
    _last_key[:] = [page, key]
    return key

"""The paper-digest plugin's settings, declared once: what mkdocs.yml may set under
`plugins: - paper-digest:`, each with its default and meaning."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class PaperDigestConfig(base.Config):  # type: ignore[no-untyped-call]
    # The taxonomy: topic chips link to topic pages, and a paper's tag must be a topic name.
    topics = c.Type(str, default="topics.yml")
    # Old page -> new page of renamed papers, written by the generator (`.generator/`).
    redirects = c.Type(str, default=".generator/redirects.json")
    # Render the parts thousands of pages share once per key (site/memo.py); off renders
    # every part afresh (the two give the same bytes: tests/test_hooks.py).
    template_cache = c.Type(bool, default=True)

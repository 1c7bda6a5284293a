"""The paper-digest MkDocs plugin: everything the site engine must do for the generated pages.

One plugin (registered as `paper-digest` in pyproject.toml's `mkdocs.plugins` entry points;
MkDocs and ProperDocs both load it), its settings in config.py. Per page, in this order:

1. the front matter is checked (`titles.check_front_matter`): MkDocs would render a broken
   one as text;
2. a paper's tags must be topics of topics.yml;
3. OpenGraph and feed values are taken from the raw title and description (`sharing`);
4. the title, description, author and subtitle are HTML-escaped (`titles.escape_meta`);
5. the page is marked as checked (`CHECKED`): overrides/main.html prints the mark, and
   `paper-digest verify` refuses a built site where any page lacks it, so an engine that
   skipped this plugin (Zensical ignores MkDocs plugins and hooks) cannot publish live
   markup, hidden pages or lost redirects without an error.

Before any page is read, hidden pages leave the build and the redirects of renamed papers
are handed to mkdocs-redirects (`curator`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.curate.facets import FACETS
from generator.curate.taxonomy import load_taxonomy
from generator.enrich.ids import abs_url, arxiv_id, pdf_url
from generator.errors import UserError
from generator.model import nth_digest
from generator.render.base import human_date as render_date
from generator.site import curator, sharing, titles
from generator.site.cite import bibtex
from generator.site.config import PaperDigestConfig
from generator.site.memo import Memo, nav_key
from generator.site.related import PaperIndex, digest_day, shared_words
from generator.site.tracking import FACTS_JOIN, SiteBuild

CHECKED = "paper_digest_checked"  # page.meta key the templates print as a <meta> mark


def human_date(value: object) -> str:
    """A date as every page writes it ("Nov 20, 2025"), from a date or an ISO date string;
    anything else as it is (front matter is curator-edited: the template still escapes it)."""
    if isinstance(value, str):
        found = digest_day(value[:10])
        value = found[0] if found else value
    return render_date(value) if isinstance(value, date) else str(value)


def search_facts(meta: Mapping[str, Any], topics: list[str]) -> str:
    """What a paper's search result shows under its title: the day the page shows (published,
    else first listed) and its topics, as "May 25, 2025 · Topic · Topic". Kept out of the index
    (generator/search/shards.py), so a new date or topic re-indexes nothing."""
    digests = meta.get("digests")
    first = digests[0] if isinstance(digests, list) and digests else None
    day = meta.get("published") or first
    return FACTS_JOIN.join(([human_date(day)] if day else []) + topics)


def is_web_url(value: object) -> bool:
    """An http(s) URL: the only links a page prints from front matter (code:, links:)."""
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def digest_label(slug: object) -> str:
    """A digest's name from its page slug: "Nov 20, 2025", or "Nov 20, 2025 · 2nd digest" for
    the second digest of a day (slug "2025-11-20-2")."""
    found = digest_day(slug.isoformat() if isinstance(slug, date) else slug)
    if found is None:
        return str(slug)
    day, n = found
    return human_date(day) + nth_digest(n)


def _paper_page(slug: object) -> str | None:
    """The page a lookup of a paper reads: docs/papers/<slug>.md."""
    return f"papers/{slug}.md" if isinstance(slug, str) else None


def _digest_page(digest: object, *_: object) -> str | None:
    """The page a lookup of a digest's order reads: docs/digests/<digest>.md."""
    return f"digests/{digest}.md" if isinstance(digest, str) else None


class PaperDigestPlugin(BasePlugin[PaperDigestConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.topic_urls: dict[str, str] = {}
        self.papers = PaperIndex(Path("docs"))
        self.site_build = SiteBuild()  # what `paper-digest site` builds incrementally (tracking.py)
        self.command: str | None = None
        self._track()

    def _track(self) -> None:
        """Every global that shows a page something of other pages is a tracked lookup
        (tracking.py): an incremental build renders a page again when what it showed changed."""
        lookup = self.site_build.lookup
        self.paper_title = lookup("paper_title", self.papers.title, _paper_page)
        self.paper_facts = lookup("paper_facts", self.papers.facts, _paper_page)
        self.digest_neighbours = lookup("digest_neighbours", self.papers.neighbours, _digest_page)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        try:
            taxonomy = load_taxonomy(root / self.config.topics)
        except UserError as error:
            raise PluginError(str(error)) from None
        self.topic_urls = {t.name: f"topics/{t.slug}/" for t in taxonomy}
        self.topic_slugs = {t.slug for t in taxonomy}
        self.papers = PaperIndex(Path(config.docs_dir))
        self.site_build.configured(self.command, root)
        self._track()
        redirects = {**curator.topic_redirects(taxonomy), **curator.load_redirects(root / self.config.redirects)}
        if redirects and "redirects" in config.plugins:
            plugin = config.plugins["redirects"]
            plugin.config["redirect_maps"] = {**redirects, **(plugin.config.get("redirect_maps") or {})}
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:  # hidden pages leave the build; an incremental build decides what to render
            return self.site_build.files(files, config, curator.is_hidden)
        except yaml.YAMLError as error:
            where = getattr(error, "src_uri", "")
            raise PluginError(f"docs/{where}: the front matter is not valid YAML ({error})") from None

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["topic_urls"] = dict(self.topic_urls)
        env.globals["paper_title"] = self.paper_title
        env.globals["paper_facts"] = self.paper_facts
        env.globals["digest_neighbours"] = self.digest_neighbours
        # These read only the page's own front matter (or nothing): not lookups.
        env.globals["shared_words"] = shared_words
        env.globals["bibtex"] = bibtex
        env.globals["arxiv_id"] = lambda value: arxiv_id(value) if isinstance(value, str) else None
        env.globals["arxiv_abs"] = abs_url
        env.globals["arxiv_pdf"] = pdf_url
        env.filters["human_date"] = human_date
        env.filters["digest_label"] = digest_label
        env.tests["web_url"] = is_web_url
        env.globals["facet_names"] = dict(FACETS)
        env.globals["memo"] = Memo(self.config.template_cache)
        env.globals["nav_key"] = nav_key
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        meta, where = page.meta, page.file.src_uri
        try:
            titles.check_front_matter(f"docs/{where}", page.file.content_string, page.markdown or "")
        except UserError as error:
            raise PluginError(str(error)) from None
        if where.startswith("papers/"):
            for tag in meta.get("tags") or []:
                if tag not in self.topic_urls:
                    raise PluginError(
                        f"docs/{where}: tag {tag!r} is not a topic in topics.yml "
                        "(add the topic there, or use one of its names)"
                    )
        sharing.add_sharing_meta(meta, where, self.topic_slugs)
        self.papers.read(where, meta)
        self.site_build.read(where, meta, markdown)
        titles.escape_meta(meta)
        meta[CHECKED] = True
        return markdown

    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> None:
        self.site_build.rendering(page.file.src_uri)  # what the page shows of other pages is noted
        tags: Any = context.get("tags") or []  # Material's tags plugin: the page's topics, sorted
        facts = search_facts(page.meta, [str(tag.name) for tag in tags])
        context["search_facts"] = facts  # type: ignore[typeddict-unknown-key]  # overrides/paper.html prints it
        self.site_build.shows_facts(page.file.src_uri, facts)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> None:
        self.site_build.rendering(None)

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.site_build.finish(config)

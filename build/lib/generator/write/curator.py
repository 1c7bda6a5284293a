"""What curators changed by hand in docs/, read the way MkDocs will read it.

Curator controls are the front-matter fields a curator changed, i.e. that differ between a
paper page and its last generated copy: `hidden`, `title`, `tags` and `slug`. A page that
MkDocs would misread (broken front matter) stops the run here, naming the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.curate.overrides import Override
from generator.errors import UserError
from generator.front_matter import parse_page
from generator.write.merge import split_page
from generator.write.state import Disk, StatePaths, relative_files

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _changed(base: Mapping[str, Any], ours: Mapping[str, Any], name: str) -> Any:
    value = ours.get(name)
    return value if name in ours and value != base.get(name) else None


def read_overrides(
    docs: Path, state: StatePaths, slugs: Mapping[str, str], disk: Disk | None = None
) -> dict[str, Override]:
    """Title key -> the controls set on that paper's page. Reads only pages edited by hand.

    A page equal to its last generated copy carries no control, so it is compared as text
    and never parsed: a run over many untouched pages stays fast.
    """
    disk = disk or Disk()
    key_of = {slug: key for key, slug in slugs.items()}
    overrides: dict[str, Override] = {}
    for key, slug in sorted(slugs.items()):
        rel = f"papers/{slug}.md"
        if key_of.get(slug) != key:
            continue
        ours_text, base_text = disk.text(docs / rel), disk.text(state.pages / rel)
        if ours_text is None or base_text is None or ours_text == base_text:
            continue
        where = f"{docs.as_posix()}/{rel}"
        ours = split_page(ours_text, where).meta
        base = split_page(base_text, where).meta
        override = _override(where, base, ours)
        if override != Override(where):
            overrides[key] = override
    return overrides


def _override(where: str, base: Mapping[str, Any], ours: Mapping[str, Any]) -> Override:
    hidden = ours.get("hidden", False)
    if not isinstance(hidden, bool):
        raise UserError(f"{where}: 'hidden' must be true or false")
    title = _changed(base, ours, "title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise UserError(f"{where}: 'title' must be a non-empty text")
    tags = _changed(base, ours, "tags")
    if tags is not None and (not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)):
        raise UserError(f"{where}: 'tags' must be a list of topic names")
    slug = ours.get("slug")
    if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug)):
        raise UserError(f"{where}: 'slug' must be lowercase words of a-z and 0-9 joined by '-'")
    return Override(where, hidden, title, tuple(tags) if tags is not None else None, slug)


def renamed_slugs(
    slugs: Mapping[str, str], redirects: Mapping[str, str], overrides: Mapping[str, Override]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Apply curator `slug:` changes: (slugs, redirects, moves new page -> old page)."""
    slugs, redirects = dict(slugs), dict(redirects)
    moves: dict[str, str] = {}
    for key, override in sorted(overrides.items()):
        new, old = override.slug, slugs[key]
        if new is None or new == old:
            continue
        if new in set(slugs.values()):
            raise UserError(f"{override.page}: slug {new!r} is already the URL of another page")
        slugs[key] = new
        old_page, new_page = f"papers/{old}.md", f"papers/{new}.md"
        redirects = {src: (new_page if dst == old_page else dst) for src, dst in redirects.items()}
        redirects[old_page] = new_page
        redirects.pop(new_page, None)
        moves[new_page] = old_page
    return slugs, redirects, moves


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

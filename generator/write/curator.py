"""What curators changed by hand in docs/, read the way MkDocs will read it.

Curator controls are the front-matter fields a curator changed, i.e. that differ between a
paper page and its last generated copy: `hidden`, `title`, `tags` and `slug`. A page that
MkDocs would misread (broken front matter) stops the run here, naming the page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.curate.overrides import Override
from generator.errors import UserError
from generator.front_matter import parse_page, read_page
from generator.text import markdown_text, title_key
from generator.write.merge import blocks
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
    (or by stat alone, `Disk.same`) and never parsed: a run over many untouched pages stays
    fast. A page with no generated copy (made by hand, or its record lost) still says whether
    it is hidden and where it moved; which of its other fields a curator changed is unknown
    until it is resolved.
    """
    disk = disk or Disk()
    key_of = {slug: key for key, slug in slugs.items()}
    overrides: dict[str, Override] = {}
    page_at, copy_at = disk.under(docs), disk.under(state.pages)
    for key, slug in sorted(slugs.items()):
        rel = f"papers/{slug}.md"
        page, copy = page_at(rel), copy_at(rel)
        if key_of.get(slug) != key or disk.same(page, copy):
            continue
        ours_text, base_text = disk.text(page), disk.text(copy)
        if ours_text is None or ours_text == base_text:
            continue
        where = f"{docs.as_posix()}/{rel}"
        ours = read_page(where, ours_text).meta
        base = read_page(where, base_text).meta if base_text is not None else None
        override = _override(where, base, ours)
        if override != Override(where):
            overrides[key] = override
    return overrides


def _override(where: str, base: Mapping[str, Any] | None, ours: Mapping[str, Any]) -> Override:
    hidden = ours.get("hidden", False)
    if not isinstance(hidden, bool):
        raise UserError(f"{where}: 'hidden' must be true or false")
    slug = ours.get("slug")
    if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug)):
        raise UserError(f"{where}: 'slug' must be lowercase words of a-z and 0-9 joined by '-'")
    if base is None:
        return Override(where, hidden, None, None, slug)
    title = _changed(base, ours, "title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise UserError(f"{where}: 'title' must be a non-empty text")
    tags = _changed(base, ours, "tags")
    if tags is not None and (not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)):
        raise UserError(f"{where}: 'tags' must be a list of topic names")
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


def recover_slugs(
    docs: Path, recorded: Mapping[str, str], retired: Iterable[str], papers: Mapping[str, tuple[str, str]], disk: Disk
) -> dict[str, str]:
    """Slugs the record lacks, taken from the paper pages already in docs/papers/.

    `papers` are every paper's title and abstract by key. A paper missing from the record
    (`.generator/slugs.json` lost or older than the pages) whose page is already published
    keeps that page's URL: the page is found by its title (the key of its front-matter
    `title`), else by its first paragraph (the abstract, as the generator writes it, for a
    page whose title a curator pinned). Only pages no recorded or retired slug claims are read.
    """
    missing = {key: texts for key, texts in papers.items() if key not in recorded}
    folder = docs / "papers"
    if not missing or not folder.is_dir():
        return {}
    claimed = {*recorded.values(), *retired}
    by_title: dict[str, str] = {}
    by_abstract: dict[str, str] = {}
    for path in paper_pages(docs, disk):
        if path.stem in claimed:
            continue
        text = disk.text(path)
        if text is None:
            continue
        page = read_page(path, text)
        title = page.meta.get("title")
        if isinstance(title, str):
            by_title.setdefault(title_key(title), path.stem)
        first = blocks(page.body)[:1]
        if first:
            by_abstract.setdefault(first[0], path.stem)
    found: dict[str, str] = {}
    for key, (_title, abstract) in sorted(missing.items()):
        stem = by_title.get(key) or by_abstract.get(markdown_text(abstract))
        if stem is not None and stem not in found.values():
            found[key] = stem
    return found


def recover_redirects(docs: Path, disk: Disk, generated: Path | None = None) -> dict[str, str]:
    """The redirects of renamed papers, from their pages' `formerly:` fields, for when
    `.generator/redirects.json` is missing (lost, or no paper was ever renamed: then none).

    A page known to hold the bytes of its copy under `generated` is read from the copy, which
    the run reads anyway (Disk.text_via)."""
    redirects: dict[str, str] = {}
    copy_at = disk.under(generated) if generated is not None else None
    for path in paper_pages(docs, disk):
        text = disk.text(path) if copy_at is None else disk.text_via(path, copy_at(f"papers/{path.name}"))
        if text is None or "\nformerly:" not in text:
            continue
        formerly = read_page(path, text).meta.get("formerly")
        for old in formerly if isinstance(formerly, list) else []:
            if isinstance(old, str) and SLUG.match(old) and old != path.stem:
                redirects[f"papers/{old}.md"] = f"papers/{path.stem}.md"
    return redirects


def paper_pages(docs: Path, disk: Disk) -> list[Path]:
    """The `*.md` files of docs/papers/, sorted by name (as `sorted(glob)`, without a Path per
    comparison)."""
    folder = docs / "papers"
    names = sorted(name for name in os.listdir(folder) if name.endswith(".md")) if folder.is_dir() else []
    page_at = disk.under(docs)
    return [page_at(f"papers/{name}") for name in names]


def check_pages(docs: Path, generated: Path | None = None, disk: Disk | None = None) -> None:
    """Parse every Markdown page under `docs`: the first that does not parse stops the run.

    A page equal to its copy under `generated` (what the generator last wrote there) is the
    generator's own output and is not parsed again: at 30,000 pages that parsing took ~7 s
    of every run that had to compute. Pages are read through the run's `disk`, so that the
    run reads each page once, and one whose stat says it still holds its copy's bytes is not
    read at all (`Disk.same`).
    """
    disk = disk or Disk()
    page_at, copy_at = disk.under(docs), (disk.under(generated) if generated is not None else None)
    for rel in relative_files(docs) if docs.is_dir() else []:
        if not rel.endswith(".md"):
            continue
        page, copy = page_at(rel), (copy_at(rel) if copy_at is not None else None)
        if copy is not None and disk.same(page, copy):
            continue
        text = disk.text(page)
        if text is None or (copy is not None and text == disk.text(copy)):
            continue
        parse_page(page, text)

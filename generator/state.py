"""What the generator remembers between runs (`.generator/`), and what curators changed by hand.

- `pages/<rel>`: the text the generator last wrote for each page: the merge base.
- `slugs.json`: title key -> slug of every paper ever published, so a URL never changes.
- `redirects.json`: old page -> new page for slugs a curator changed (read by
  `generator/redirect_hooks.py`, which hands it to mkdocs-redirects).

Curator controls are read from the front-matter fields a curator changed, i.e. that differ
between a paper page and its last generated copy: `hidden`, `title`, `tags` and `slug`.
This module and write.py are the only ones that touch docs/ and `.generator/`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.merge import split_page
from generator.model import Paper
from generator.topics import Topic

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class StatePaths:
    root: Path  # .generator

    @property
    def pages(self) -> Path:
        return self.root / "pages"

    @property
    def slugs(self) -> Path:
        return self.root / "slugs.json"

    @property
    def redirects(self) -> Path:
        return self.root / "redirects.json"

    @property
    def txn(self) -> Path:
        return self.root / "txn"

    @property
    def lock(self) -> Path:
        return self.root / "lock"


def dump_json(mapping: Mapping[str, str]) -> str:
    """Deterministic JSON for state files: sorted keys, one entry a line, ASCII only."""
    return json.dumps(dict(sorted(mapping.items())), indent=1, ensure_ascii=True) + "\n"


def load_json(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as error:
        raise UserError(f"{path}: not valid JSON ({error}); restore it from git") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise UserError(f"{path}: expected a JSON object of text to text; restore it from git")
    return data


class Disk:
    """The files one run reads, each read once: the fingerprint, the overrides, the plan and,
    after writing, the plan again and the fingerprint again (build.remember_noop) share them.

    Each file read keeps its text (as `Path.read_text` gives it: UTF-8, universal newlines)
    and the size and sha256 of its bytes, both from one read, so the fingerprint recorded
    after a run describes exactly the files its plan saw. `hash` alone keeps no text: the
    fingerprint of every input, taken before any work, holds no page in memory.
    """

    def __init__(self) -> None:
        self._texts: dict[Path, str | None] = {}
        self._hashes: dict[Path, tuple[int, bytes] | None] = {}

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            raw = self._read(path)
            self._texts[path] = None if raw is None else raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        return self._texts[path]

    def hash(self, path: Path) -> tuple[int, bytes] | None:
        """(size, sha256) of the file's bytes, None if it does not exist."""
        if path not in self._hashes:
            self._read(path)
        return self._hashes[path]

    def _read(self, path: Path) -> bytes | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self._hashes[path] = None
            return None
        self._hashes[path] = _size_and_hash(raw)
        return raw

    def wrote(self, changes: Mapping[Path, str | None]) -> None:
        """What `write.apply` just wrote (None: deleted), as a read would now find it.

        A text with a carriage return is read back differently, so it is read again if asked.
        """
        for path, text in changes.items():
            self._hashes[path] = None if text is None else _size_and_hash(text.encode("utf-8"))
            if text is not None and "\r" in text:
                self._texts.pop(path, None)
            else:
                self._texts[path] = text


def _size_and_hash(raw: bytes) -> tuple[int, bytes]:
    return len(raw), hashlib.sha256(raw).digest()


@dataclass(frozen=True)
class Override:
    """The controls a curator set on one paper page by editing its front matter."""

    page: str  # the page as messages name it (docs/papers/x.md)
    hidden: bool = False
    title: str | None = None
    tags: tuple[str, ...] | None = None  # topic names
    slug: str | None = None


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


def apply_overrides(
    papers: Iterable[Paper], overrides: Mapping[str, Override], taxonomy: Iterable[Topic]
) -> tuple[tuple[Paper, ...], tuple[Paper, ...]]:
    """The papers as listing pages show them (pinned titles, curator tags) and the hidden ones."""
    slug_of = {t.name: t.slug for t in taxonomy}
    shown: list[Paper] = []
    hidden: list[Paper] = []
    for paper in papers:
        override = overrides.get(paper.key)
        if override is None:
            shown.append(paper)
            continue
        if override.title is not None:
            paper = replace(paper, title=override.title)
        if override.tags is not None:
            unknown = [t for t in override.tags if t not in slug_of]
            if unknown:
                raise UserError(
                    f"{override.page}: tag {unknown[0]!r} is not a topic in topics.yml "
                    "(add the topic there, or use one of its names)"
                )
            paper = replace(paper, topics=tuple(dict.fromkeys(slug_of[t] for t in override.tags)))
        (hidden if override.hidden else shown).append(paper)
    return tuple(shown), tuple(hidden)

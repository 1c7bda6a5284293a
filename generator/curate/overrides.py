"""Curator controls set in a paper page's front matter (`hidden`, `title`, `tags`, `slug`),
applied to the papers: what listings show. Read from the pages by generator/write/curator.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from generator.errors import UserError
from generator.model import Paper, Topic


@dataclass(frozen=True)
class Override:
    """The controls a curator set on one paper page by editing its front matter."""

    page: str  # the page as messages name it (docs/papers/x.md)
    hidden: bool = False
    title: str | None = None
    tags: tuple[str, ...] | None = None  # topic names
    slug: str | None = None


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

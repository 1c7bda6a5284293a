"""Curator controls set in a paper page's front matter (`hidden`, `title`, `tags`, `slug`),
applied to the papers: what listings show, and the slugs a renamed page had. Read from the
pages by generator/write/curator.py.
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


def drop_hidden_related(papers: Iterable[Paper], overrides: Mapping[str, Override]) -> tuple[Paper, ...]:
    """Each paper's related list without the hidden papers: their pages are not published."""
    papers = tuple(papers)
    hidden = {p.slug for p in papers if p.key in overrides and overrides[p.key].hidden}
    if not hidden:
        return papers
    return tuple(_without(p, hidden) if hidden.intersection(p.related) else p for p in papers)


def _without(paper: Paper, hidden: set[str]) -> Paper:
    kept = [i for i, slug in enumerate(paper.related) if slug not in hidden]
    why = tuple(paper.related_why[i] for i in kept) if paper.related_why else ()
    return replace(paper, related=tuple(paper.related[i] for i in kept), related_why=why)


def add_former_slugs(papers: Iterable[Paper], redirects: Mapping[str, str]) -> tuple[Paper, ...]:
    """Each renamed paper with the slugs its page had (`formerly:` on the page): the redirects
    of `.generator/redirects.json` are then also written in the pages, and recovered from
    them if that record is lost."""
    formerly: dict[str, list[str]] = {}
    for old, new in sorted(redirects.items()):
        formerly.setdefault(_slug(new), []).append(_slug(old))
    return tuple(replace(p, formerly=tuple(formerly[p.slug])) if p.slug in formerly else p for p in papers)


def _slug(page: str) -> str:
    return page.removeprefix("papers/").removesuffix(".md")

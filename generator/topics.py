"""Stage 3: load the taxonomy (`topics.yml`) and give each paper its topics, primary first.

A topic scores a point for each of its terms found as a whole word or phrase in the abstract
and three for one in the title; plural forms count ("LLM" matches "LLMs"). A paper gets the
best-scoring topics that reach the floor, at most three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from generator.errors import UserError
from generator.model import Paper
from generator.settings import load_yaml_with_lines

TITLE_WEIGHT = 3
FLOOR = 2
MAX_TOPICS = 3
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    terms: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?:s|es)?(?![\w-])", re.IGNORECASE)


def load_taxonomy(path: Path) -> tuple[Topic, ...]:
    """Read and validate topics.yml, reporting every problem with its line before stopping."""
    data = load_yaml_with_lines(path)
    if not isinstance(data, list) or not data:
        raise UserError(f"{path}:1: expected a list of topics (slug, name, description, terms)")
    problems: list[str] = []
    topics: list[Topic] = []
    seen: dict[str, object] = {}
    for entry in data:
        line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
        where = f"{path}:{line}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a topic mapping, found {entry!r}")
            continue
        unknown = set(entry) - {"slug", "name", "description", "terms", "__line__"}
        problems += [f"{where}: unknown key {key!r}" for key in sorted(unknown)]
        slug, name, description, terms = (entry.get(k) for k in ("slug", "name", "description", "terms"))
        if not isinstance(slug, str) or not SLUG.match(slug):
            problems.append(f"{where}: 'slug' must be lowercase words joined by hyphens, found {slug!r}")
        elif slug in seen:
            problems.append(f"{where}: slug {slug!r} is already used by the topic at line {seen[slug]}")
        else:
            seen[slug] = line
        for key, value in (("name", name), ("description", description)):
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: '{key}' must be a non-empty text")
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            problems.append(f"{where}: 'terms' must be a non-empty list of words or phrases")
        if not problems:
            topics.append(Topic(str(slug), str(name).strip(), str(description).strip(), tuple(map(str, terms or ()))))
    names = [t.name.casefold() for t in topics]
    problems += [f"{path}: topic name {n!r} is used twice" for n in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise UserError("\n".join(problems))
    return tuple(topics)


def score(paper: Paper, topic: Topic) -> int:
    pattern = topic.pattern
    return TITLE_WEIGHT * len(pattern.findall(paper.title)) + len(pattern.findall(paper.abstract))


def assign_topics(papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...]) -> tuple[Paper, ...]:
    return tuple(replace(p, topics=rank_topics(p, taxonomy)) for p in papers)


def rank_topics(paper: Paper, taxonomy: tuple[Topic, ...]) -> tuple[str, ...]:
    scored = sorted(((score(paper, t), i, t.slug) for i, t in enumerate(taxonomy)), key=lambda s: (-s[0], s[1]))
    return tuple(slug for points, _, slug in scored[:MAX_TOPICS] if points >= FLOOR)

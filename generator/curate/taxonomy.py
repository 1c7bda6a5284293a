"""The taxonomy a curator edits (`topics.yml`), read and validated: every problem is reported
with its line before the run stops, so a curator fixes them all at once.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.curate.terms import term_pattern
from generator.errors import UserError
from generator.model import Topic
from generator.settings import load_yaml_with_lines

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = ("slug", "name", "description", "terms")
OPTIONAL = ("formerly",)  # earlier slugs, each redirected to this topic's page


def load_taxonomy(path: Path) -> tuple[Topic, ...]:
    """Read and validate topics.yml, reporting every problem with its line before stopping."""
    data = load_yaml_with_lines(path)
    if not isinstance(data, list) or not data:
        raise UserError(f"{path}:1: expected a list of topics (slug, name, description, terms)")
    problems: list[str] = []
    topics: list[Topic] = []
    slugs: dict[str, object] = {}
    names: dict[str, object] = {}
    for entry in data:
        line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
        found = _check_topic(entry, f"{path}:{line}", slugs, names)
        problems += found
        if isinstance(entry, dict):  # remembered even if faulty: a later duplicate is still named
            if isinstance(entry.get("slug"), str):
                slugs.setdefault(entry["slug"], line)
            if isinstance(entry.get("name"), str):
                names.setdefault(entry["name"].strip().casefold(), line)
        if not found and isinstance(entry, dict):
            terms = tuple(t.strip() for t in entry["terms"])
            formerly = tuple(entry.get("formerly") or ())
            topics.append(
                Topic(entry["slug"], entry["name"].strip(), " ".join(entry["description"].split()), terms, formerly)
            )
    current = {t.slug for t in topics}
    seen: dict[str, str] = {}
    for topic in topics:
        for old in topic.formerly:
            if old in current:
                problems.append(f"{path}: topic {topic.slug!r}: former slug {old!r} is the slug of a current topic")
            elif old in seen:
                problems.append(f"{path}: former slug {old!r} is claimed by {seen[old]!r} and {topic.slug!r}")
            seen.setdefault(old, topic.slug)
    if problems:
        raise UserError("\n".join(problems))
    return tuple(topics)


def _check_topic(entry: object, where: str, slugs: dict[str, object], names: dict[str, object]) -> list[str]:
    """Every problem of one topic entry, each naming the file and line."""
    if not isinstance(entry, dict):
        return [f"{where}: expected a topic mapping (slug, name, description, terms), found {entry!r}"]
    problems = [f"{where}: unknown key {key!r}" for key in sorted(set(entry) - {*KEYS, *OPTIONAL, "__line__"})]
    formerly = entry.get("formerly", [])
    if not isinstance(formerly, list) or not all(isinstance(s, str) and SLUG.match(s) for s in formerly):
        problems.append(f"{where}: 'formerly' must be a list of slugs (lowercase words joined by hyphens)")
    problems += [f"{where}: missing key {key!r}" for key in KEYS if key not in entry]
    slug, name, description, terms = (entry.get(k) for k in KEYS)
    if "slug" in entry and (not isinstance(slug, str) or not SLUG.match(slug)):
        problems.append(f"{where}: 'slug' must be lowercase words joined by hyphens, found {slug!r}")
    elif isinstance(slug, str) and slug in slugs:
        problems.append(f"{where}: slug {slug!r} is already used by the topic at line {slugs[slug]}")
    for key, value in (("name", name), ("description", description)):
        if key in entry and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{where}: '{key}' must be a non-empty text")
    if isinstance(name, str) and name.strip().casefold() in names:
        problems.append(
            f"{where}: name {name.strip()!r} is already used by the topic at line {names[name.strip().casefold()]}"
        )
    if "terms" in entry:
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and re.search(r"\w", t) for t in terms)
        ):
            problems.append(f"{where}: 'terms' must be a non-empty list of words or phrases")
        else:
            folded = [t.strip().casefold() for t in terms]
            problems += [
                f"{where}: term {t!r} is listed twice" for t in sorted({t for t in folded if folded.count(t) > 1})
            ]
            problems += [
                f"{where}: term {b!r} is already matched by {a!r} (plural and inflected forms match): remove it"
                for i, a in enumerate(terms)
                for b in terms[i + 1 :]
                if a.casefold() != b.casefold() and term_pattern(a).fullmatch(b)
            ]
    return problems

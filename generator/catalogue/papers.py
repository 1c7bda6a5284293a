"""Stage 2: merge the listings of every digest into unique papers.

Two listings are the same paper when their titles have the same `title_key` and their
abstracts are the same paper's (`same_abstract`: equal, one a cut copy of the other, a
revision, or too short to tell). Two listings with the same title and different abstracts are two papers: the one
listed first keeps the title's key and URL, the other gets a key and slug of its own (the
title key and a hash of its abstract), and `Catalogue.same_title` reports them, so no
abstract is ever dropped. A paper keeps the richest metadata its listings offer: the longest
abstract, a published date whose year was printed over one that was inferred, and the newest
digest's upvotes and author count.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.catalogue.slugs import assign_slugs, short_hash
from generator.model import Appearance, Digest, Listing, Paper
from generator.text import clean, find_urls, title_key


@dataclass(frozen=True)
class Catalogue:
    papers: tuple[Paper, ...]  # in order of first appearance
    listings: int
    merged: tuple[tuple[str, tuple[str, ...]], ...]  # (slug, digest ids) of papers listed more than once
    same_title: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (title, slugs): one title, different papers


def catalogue(
    digests: list[Digest], recorded: Mapping[str, str] | None = None, retired: Iterable[str] = ()
) -> Catalogue:
    """`recorded` (title key -> slug, from the state) keeps every published URL as it was;
    `retired` slugs (old URLs that now redirect) are never given to a new paper."""
    recorded = recorded or {}
    groups, shared = _groups(digests)
    new = ((key, group[0][2].title) for key, group in groups.items() if key not in recorded)
    slugs = {**assign_slugs(new, taken=[*recorded.values(), *retired]), **recorded}
    papers = tuple(_merge(key, slugs[key], group) for key, group in groups.items())
    merged = tuple((p.slug, p.digest_ids) for p in papers if len(groups[p.key]) > 1)
    same_title = tuple((groups[keys[0]][0][2].title, tuple(slugs[k] for k in keys)) for keys in shared)
    return Catalogue(
        papers=papers, listings=sum(len(d.listings) for d in digests), merged=merged, same_title=same_title
    )


def paper_texts(digests: list[Digest]) -> dict[str, tuple[str, str]]:
    """Each paper's title and abstract by key, as `catalogue` merges them (the first listing's
    title, the longest abstract): what the write stage needs to find a paper's page when its
    slug was not recorded."""
    texts: dict[str, tuple[str, str]] = {}
    for key, group in _groups(digests)[0].items():
        listings = [listing for _, _, listing in group]
        texts[key] = (clean(listings[0].title), max(listings, key=lambda listing: len(listing.abstract)).abstract)
    return texts


def _groups(digests: list[Digest]) -> tuple[dict[str, list[Sighting]], list[list[str]]]:
    """Every paper's listings by key, in order of first appearance, and the keys of papers
    that share one title (the first keeps the title's key; the others add a hash of their
    abstract)."""
    by_title: dict[str, list[Sighting]] = defaultdict(list)
    for digest in digests:
        for position, listing in enumerate(digest.listings, 1):
            by_title[title_key(listing.title)].append((digest, position, listing))
    groups: dict[str, list[Sighting]] = {}
    shared: list[list[str]] = []
    for key, sightings in by_title.items():
        papers_of_title = _by_abstract(sightings)
        keys = [key, *(f"{key} #{short_hash(abstract_key(g[0][2].abstract))}" for g in papers_of_title[1:])]
        groups.update(zip(keys, papers_of_title, strict=True))
        if len(keys) > 1:
            shared.append(keys)
    return groups, shared


Sighting = tuple[Digest, int, Listing]  # a listing, with its digest and its 1-based position there


def abstract_key(abstract: str) -> str:
    """An abstract as compared: case, white space, dashes and quotes folded (as titles are)."""
    return title_key(abstract)


SUBSTANTIAL = 200  # characters: below this an abstract says too little to tell two papers apart


def same_abstract(a: str, b: str) -> bool:
    """Whether two listings of one title are one paper by their abstracts: unless both say
    enough to tell (200 characters or more; real ones hold 500-1,900), they are; else when
    equal once folded, when one is cut short from the other (a listing page may truncate), or
    when one revises the other (half of the words or more in the same order). Two papers with
    one title share far fewer."""
    x, y = abstract_key(a), abstract_key(b)
    if x == y or min(len(x), len(y)) < SUBSTANTIAL:
        return True
    shorter, longer = sorted((x.rstrip(".…"), y.rstrip(".…")), key=len)
    if longer.startswith(shorter):
        return True
    matcher = difflib.SequenceMatcher(None, x.split(), y.split(), autojunk=False)
    return matcher.quick_ratio() >= REVISED and matcher.ratio() >= REVISED


REVISED = 0.5


def _by_abstract(sightings: list[Sighting]) -> list[list[Sighting]]:
    """Listings of one title, split into papers: each joins the first paper whose first
    listing has the same abstract, in order of first appearance."""
    papers: list[list[Sighting]] = []
    for sighting in sightings:
        home = next((p for p in papers if same_abstract(p[0][2].abstract, sighting[2].abstract)), None)
        if home is None:
            papers.append([sighting])
        else:
            home.append(sighting)
    return papers


def _merge(key: str, slug: str, group: list[Sighting]) -> Paper:
    listings = [listing for _, _, listing in group]
    newest_first = listings[::-1]
    abstract = max(listings, key=lambda listing: len(listing.abstract)).abstract
    dated = sorted((lst for lst in listings if lst.published), key=lambda lst: lst.published_year_inferred)
    seen: set[str] = set()
    appearances = []
    for digest, position, listing in group:
        if digest.id not in seen:
            seen.add(digest.id)
            appearances.append(Appearance(digest.id, digest.date, position, listing.upvotes))
    return Paper(
        key=key,
        slug=slug,
        title=clean(listings[0].title),
        abstract=abstract,
        appearances=tuple(appearances),
        published=dated[0].published if dated else None,
        published_year_inferred=dated[0].published_year_inferred if dated else False,
        author_count=next((lst.author_count for lst in newest_first if lst.author_count), None),
        upvotes=next((lst.upvotes for lst in newest_first if lst.upvotes is not None), None),
        links=find_urls(abstract),
        positions=tuple((digest.id, position) for digest, position, _ in group),
    )

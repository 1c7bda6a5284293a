"""Stage 2: merge the listings of every digest into unique papers.

Two listings are the same paper when their titles have the same `title_key`. A paper keeps
the richest metadata its listings offer: the longest abstract, a published date whose year was
printed over one that was inferred, and the newest digest's upvotes and author count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.catalogue.slugs import assign_slugs
from generator.model import Appearance, Digest, Listing, Paper
from generator.text import clean, find_urls, title_key


@dataclass(frozen=True)
class Catalogue:
    papers: tuple[Paper, ...]  # in order of first appearance
    listings: int
    merged: tuple[tuple[str, tuple[str, ...]], ...]  # (slug, digest ids) of papers listed more than once


def catalogue(
    digests: list[Digest], recorded: Mapping[str, str] | None = None, retired: Iterable[str] = ()
) -> Catalogue:
    """`recorded` (title key -> slug, from the state) keeps every published URL as it was;
    `retired` slugs (old URLs that now redirect) are never given to a new paper."""
    recorded = recorded or {}
    groups: dict[str, list[tuple[Digest, int, Listing]]] = defaultdict(list)
    for digest in digests:
        for position, listing in enumerate(digest.listings, 1):
            groups[title_key(listing.title)].append((digest, position, listing))
    new = ((key, group[0][2].title) for key, group in groups.items() if key not in recorded)
    slugs = {**assign_slugs(new, taken=[*recorded.values(), *retired]), **recorded}
    papers = tuple(_merge(key, slugs[key], group) for key, group in groups.items())
    merged = tuple((p.slug, p.digest_ids) for p in papers if len(groups[p.key]) > 1)
    return Catalogue(papers=papers, listings=sum(len(d.listings) for d in digests), merged=merged)


def paper_texts(digests: list[Digest]) -> dict[str, tuple[str, str]]:
    """Each paper's title and abstract by title key, as `catalogue` merges them (the first
    listing's title, the longest abstract): what the write stage needs to find a paper's
    page when its slug was not recorded."""
    texts: dict[str, tuple[str, str]] = {}
    for digest in digests:
        for listing in digest.listings:
            key = title_key(listing.title)
            title, abstract = texts.get(key, (clean(listing.title), ""))
            texts[key] = (title, listing.abstract if len(listing.abstract) > len(abstract) else abstract)
    return texts


def _merge(key: str, slug: str, group: list[tuple[Digest, int, Listing]]) -> Paper:
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
    )

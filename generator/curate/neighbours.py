"""Related papers a reader would click: lexical candidates, re-ranked with meaning, hubs curbed,
each with the reason it is related.

1. **Candidates**: each paper's `CANDIDATES` most TF-IDF-similar papers (related.py: title and
   abstract, word 1-2-grams, every pair up to 5,000 papers, a candidate search above, which
   a new digest only extends: related_cache.py).
2. **Score** of a pair: TF-IDF cosine + `EMBEDDING_WEIGHT` x how far the embedding cosine
   (embed.py) is above `EMBEDDING_BASE` (static embeddings of two unrelated abstracts already
   have a cosine of ~0.8) + `TOPIC_BONUS` if the two share their primary topic. Rounded to 6
   decimals. A pair under `FLOOR` is never shown: fewer papers rather than weak ones.
3. **Hubs**: a paper may appear in at most `hub_cap(n)` lists (1% of the reference's papers,
   related.py `reference_rows`: all papers up to 5,000; at least 1).
   Pairs are taken best first over the whole site (ties by slugs), each list up to `TOP_K`,
   so a paper popular with many lists stays in the lists where it scores best.
4. **Why**: for each related paper, a short reason (`why`): the shared topic, the rarest
   phrase (word 1-2-gram) both abstracts use (rarest in the reference), and "both have code"
   where true. A pair's reason depends on the two papers alone, so it is cached by pair.

Every step is deterministic: sorted inputs, rounded scores, ties broken by slug.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from generator.curate.facets import split_links
from generator.curate.related import (
    Lexical,
    Search,
    Wide,
    lexical,
    reference_key,
    scored,
    search_wide,
    text_key,
    update,
)
from generator.curate.related_cache import RelatedCache
from generator.curate.tfidf import words
from generator.model import Paper

TOP_K = 5
CANDIDATES = 20
CANDIDATE_FLOOR = 0.02
EMBEDDING_BASE = 0.55
EMBEDDING_WEIGHT = 0.25
TOPIC_BONUS = 0.03
FLOOR = 0.09  # precision >= 80% on the judged pairs (tests/fixtures/related_judgements.yml)
HUB_SHARE = 0.01
DECIMALS = 6
CHUNK = 20_000  # candidate pairs whose embedding cosines are computed at once


def hub_cap(n: int) -> int:
    """How many lists one paper may appear in: 1% of the papers, at least 1."""
    return max(1, int(n * HUB_SHARE))


def lexical_candidates(found: Lexical, cache: RelatedCache) -> list[list[tuple[int, float]]]:
    """Each paper's `CANDIDATES` best (index, cosine) at or above `CANDIDATE_FLOOR`. Above
    `related.EXACT_LIMIT`, from the cache where it still holds (related_cache.py)."""
    if found.exact or len(found.ordered) < 2:
        return scored(found, CANDIDATES, CANDIDATE_FLOOR)
    slugs = [p.slug for p in found.ordered]
    keys = [text_key(p) for p in found.ordered]
    reference = reference_key(found.ordered, found.reference, keys)
    search = Search.of(found)
    kept, new = cache.reuse(reference, slugs, keys)
    fresh = np.array([i for i in range(len(slugs)) if i not in kept], dtype=np.int64)
    cache.searched = len(fresh)
    wide: list[Wide | None] = [None] * len(slugs)
    for i, found_wide in zip(fresh.tolist(), search_wide(search, fresh), strict=True):
        wide[i] = found_wide
    rows = np.array(sorted(kept), dtype=np.int64)
    merged = update(search, rows, [kept[i] for i in rows.tolist()], np.array(new, dtype=np.int64))
    for i, found_wide in zip(rows.tolist(), merged, strict=True):
        wide[i] = found_wide
    complete = [w for w in wide if w is not None]
    assert len(complete) == len(slugs)
    cache.found = (reference, slugs, keys, complete)
    return [w.best(CANDIDATES, CANDIDATE_FLOOR) for w in complete]


def related_lists(
    found: Lexical, vectors: Mapping[str, np.ndarray], cache: RelatedCache, k: int = TOP_K, floor: float = FLOOR
) -> dict[str, tuple[tuple[str, float], ...]]:
    """{slug: ((related slug, score), ...)}, best first (see the module docstring).
    `vectors` maps each slug to its embedding."""
    ordered = found.ordered
    best_lists = lexical_candidates(found, cache)
    if not ordered:
        return {}
    emb = np.stack([vectors[p.slug] for p in ordered]).astype(np.float32)
    primary = [p.topics[0] if p.topics else "" for p in ordered]
    rows, cols, cosines = [], [], []
    for i, best in enumerate(best_lists):
        rows += [i] * len(best)
        cols += [j for j, _ in best]
        cosines += [c for _, c in best]
    if not rows:
        return {p.slug: () for p in ordered}
    left, right, lexical_scores = np.array(rows), np.array(cols), np.array(cosines)
    # In chunks: gathering 600,000 x 256 vectors twice would cost 1.2 GB at 30,000 papers.
    spans = [slice(at, at + CHUNK) for at in range(0, len(left), CHUNK)]
    meaning = np.concatenate([np.einsum("ij,ij->i", emb[left[s]], emb[right[s]]) for s in spans])
    same = np.array([primary[i] != "" and primary[i] == primary[j] for i, j in zip(rows, cols, strict=True)])
    score = lexical_scores + EMBEDDING_WEIGHT * np.maximum(meaning - EMBEDDING_BASE, 0) + TOPIC_BONUS * same
    score = np.round(score, DECIMALS)
    keep = score >= floor
    left, right, score = left[keep], right[keep], score[keep]
    order = np.lexsort((right, left, -score))  # best first; ties by the slugs' order
    cap = hub_cap(found.n_reference)
    lists: list[list[tuple[str, float]]] = [[] for _ in ordered]
    listed_in = np.zeros(len(ordered), dtype=np.int64)
    for at in order.tolist():
        i, j = int(left[at]), int(right[at])
        if len(lists[i]) < k and listed_in[j] < cap:
            lists[i].append((ordered[j].slug, float(score[at])))
            listed_in[j] += 1
    return {p.slug: tuple(found_list) for p, found_list in zip(ordered, lists, strict=True)}


def _phrases(paper: Paper) -> Counter[str]:
    tokens = words().tokens(f"{paper.title} {paper.abstract}")
    return Counter([*tokens, *(f"{a} {b}" for a, b in itertools.pairwise(tokens))])


def reason_key(paper: Paper) -> str:
    """A hash of what a reason reads of a paper: its text, its topics, whether it has code."""
    data = json.dumps([paper.title, paper.abstract, list(paper.topics), bool(split_links(paper.links)[0])])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def reasons(
    papers: Sequence[Paper], lists: Mapping[str, Sequence[str]], topic_names: Mapping[str, str], found: Lexical,
    known: Mapping[tuple[str, str], str] = {},
) -> dict[str, dict[str, str]]:
    """{slug: {related slug: why}}: "same topic: T; shared phrase: P; both have code". A pair
    in `known` keeps its reason (the caller checked that neither paper changed)."""
    by_slug = {p.slug: p for p in papers}
    todo = [(slug, other) for slug, related in lists.items() for other in related if (slug, other) not in known]
    phrases = {s: _phrases(by_slug[s]) for s in sorted({s for pair in todo for s in pair})}
    shared = {(a, b): {w for w in phrases[a].keys() & phrases[b].keys() if len(w) > 3} for a, b in todo}
    # How rare each shared phrase is in the reference (related.py: every paper up to 5,000).
    df = {w: found.phrase_df(w) for w in sorted(set().union(*shared.values()))} if shared else {}
    n = found.n_reference
    out: dict[str, dict[str, str]] = {}
    for slug, related in lists.items():
        paper, why = by_slug[slug], dict[str, str]()
        for other_slug in related:
            if (slug, other_slug) in known:
                why[other_slug] = known[(slug, other_slug)]
                continue
            other = by_slug[other_slug]
            parts = []
            topic = next((t for t in paper.topics if t in other.topics and t != "other"), None)
            if topic:
                parts.append(f"same topic: {topic_names.get(topic, topic)}")
            common = [w for w in shared[(slug, other_slug)] if df[w] <= max(3, n // 20)]
            if common:
                count_a, count_b = phrases[slug], phrases[other_slug]
                best = max(common, key=lambda w: ((" " in w), (count_a[w] + count_b[w]) * np.log(n / max(df[w], 1)), w))
                parts.append(f"shared phrase: {best}")
            if split_links(paper.links)[0] and split_links(other.links)[0]:
                parts.append("both have code")
            why[other_slug] = "; ".join(parts) or "similar abstract"
        out[slug] = why
    return out


def add_related(
    papers: tuple[Paper, ...], vectors: Mapping[str, np.ndarray], topic_names: Mapping[str, str],
    cache_path: Path | None = None, save: bool = True,
) -> tuple[tuple[Paper, ...], dict[str, dict[str, str]]]:
    """Papers with `related` set, and the reasons (slug -> related slug -> why). `cache_path`:
    the candidates and reasons of the last run (related_cache.py), read, and written back
    unless `save` is false; None: no cache."""
    cache = RelatedCache(cache_path, topic_names)
    found = lexical(papers)
    lists = {slug: tuple(s for s, _ in best) for slug, best in related_lists(found, vectors, cache).items()}
    updated = tuple(replace(p, related=lists.get(p.slug, ())) for p in papers)
    keys = {p.slug: reason_key(p) for p in updated}
    known = {
        pair: why for pair, (key_a, key_b, why) in cache.cached.reasons.items()
        if keys.get(pair[0]) == key_a and keys.get(pair[1]) == key_b
    } if cache.found is not None and cache.found[0] == cache.cached.reference else {}
    why = reasons(updated, lists, topic_names, found, known)
    if save and cache.found is not None:
        shown = {(a, b): (keys[a], keys[b], text) for a, pairs in why.items() for b, text in pairs.items()}
        cache.save(*cache.found, shown)
    return updated, why

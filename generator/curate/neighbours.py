"""Related papers a reader would click: lexical candidates, re-ranked with meaning, hubs curbed,
each with the reason it is related.

1. **Candidates**: each paper's `CANDIDATES` most TF-IDF-similar papers (related.py: title and
   abstract, word 1-2-grams, every pair up to 5,000 papers, a candidate search above).
2. **Score** of a pair: TF-IDF cosine + `EMBEDDING_WEIGHT` x how far the embedding cosine
   (embed.py) is above `EMBEDDING_BASE` (static embeddings of two unrelated abstracts already
   have a cosine of ~0.8) + `TOPIC_BONUS` if the two share their primary topic. Rounded to 6
   decimals. A pair under `FLOOR` is never shown: fewer papers rather than weak ones.
3. **Hubs**: a paper may appear in at most `hub_cap(n)` lists (1% of the papers, at least 1).
   Pairs are taken best first over the whole site (ties by slugs), each list up to `TOP_K`,
   so a paper popular with many lists stays in the lists where it scores best.
4. **Why**: for each related paper, a short reason (`why`): the shared topic, the rarest
   phrase (word 1-2-gram) both abstracts use, and "both have code" where true.

Every step is deterministic: sorted inputs, rounded scores, ties broken by slug.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from generator.curate.facets import split_links
from generator.curate.related import candidates
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


def related_lists(
    papers: Sequence[Paper], vectors: Mapping[str, np.ndarray], k: int = TOP_K, floor: float = FLOOR
) -> dict[str, tuple[tuple[str, float], ...]]:
    """{slug: ((related slug, score), ...)}, best first (see the module docstring).
    `vectors` maps each slug to its embedding."""
    ordered, found = candidates(papers, CANDIDATES, CANDIDATE_FLOOR)
    if not ordered:
        return {}
    emb = np.stack([vectors[p.slug] for p in ordered]).astype(np.float32)
    primary = [p.topics[0] if p.topics else "" for p in ordered]
    rows, cols, cosines = [], [], []
    for i, best in enumerate(found):
        rows += [i] * len(best)
        cols += [j for j, _ in best]
        cosines += [c for _, c in best]
    if not rows:
        return {p.slug: () for p in ordered}
    left, right, lexical = np.array(rows), np.array(cols), np.array(cosines)
    # In chunks: gathering 600,000 x 256 vectors twice would cost 1.2 GB at 30,000 papers.
    spans = [slice(at, at + CHUNK) for at in range(0, len(left), CHUNK)]
    meaning = np.concatenate([np.einsum("ij,ij->i", emb[left[s]], emb[right[s]]) for s in spans])
    same = np.array([primary[i] != "" and primary[i] == primary[j] for i, j in zip(rows, cols, strict=True)])
    score = lexical + EMBEDDING_WEIGHT * np.maximum(meaning - EMBEDDING_BASE, 0) + TOPIC_BONUS * same
    score = np.round(score, DECIMALS)
    keep = score >= floor
    left, right, score = left[keep], right[keep], score[keep]
    order = np.lexsort((right, left, -score))  # best first; ties by the slugs' order
    cap = hub_cap(len(ordered))
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


def reasons(
    papers: Sequence[Paper], lists: Mapping[str, Sequence[str]], topic_names: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    """{slug: {related slug: why}}: "same topic: T; shared phrase: P; both have code"."""
    by_slug = {p.slug: p for p in papers}
    involved = sorted({s for slug, related in lists.items() if related for s in (slug, *related)})
    phrases = {s: _phrases(by_slug[s]) for s in involved}
    shared: dict[tuple[str, str], set[str]] = {}
    for slug, related in lists.items():
        for other_slug in related:
            shared[(slug, other_slug)] = {w for w in phrases[slug].keys() & phrases[other_slug].keys() if len(w) > 3}
    wanted = set().union(*shared.values()) if shared else set()
    df: Counter[str] = Counter()
    for each in papers:  # document frequency of the shared phrases only
        own = phrases[each.slug] if each.slug in phrases else _phrases(each)
        df.update(wanted & own.keys())
    n = len(papers)
    out: dict[str, dict[str, str]] = {}
    for slug, related in lists.items():
        paper, why = by_slug[slug], dict[str, str]()
        for other_slug in related:
            other = by_slug[other_slug]
            parts = []
            topic = next((t for t in paper.topics if t in other.topics and t != "other"), None)
            if topic:
                parts.append(f"same topic: {topic_names.get(topic, topic)}")
            common = [w for w in shared[(slug, other_slug)] if 1 < df[w] <= max(3, n // 20)]
            if common:
                count_a, count_b = phrases[slug], phrases[other_slug]
                best = max(common, key=lambda w: ((" " in w), (count_a[w] + count_b[w]) * np.log(n / df[w]), w))
                parts.append(f"shared phrase: {best}")
            if split_links(paper.links)[0] and split_links(other.links)[0]:
                parts.append("both have code")
            why[other_slug] = "; ".join(parts) or "similar abstract"
        out[slug] = why
    return out


def add_related(
    papers: tuple[Paper, ...], vectors: Mapping[str, np.ndarray], topic_names: Mapping[str, str]
) -> tuple[tuple[Paper, ...], dict[str, dict[str, str]]]:
    """Papers with `related` set, and the reasons (slug -> related slug -> why)."""
    lists = {slug: tuple(s for s, _ in found) for slug, found in related_lists(papers, vectors).items()}
    updated = tuple(replace(p, related=lists.get(p.slug, ())) for p in papers)
    return updated, reasons(updated, lists, topic_names)

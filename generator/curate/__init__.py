"""Stage 3: papers -> papers with topics, related papers and facets; curator overrides.

Owns the taxonomy (topics.yml) and every judgement made about a paper's content.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.curate.facets import add_facets
from generator.memory import release_memory
from generator.model import Paper, Topic


def curate(
    papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...], cache: Path | None = None, save: bool = True,
    topics_cache: Path | None = None, related_cache: Path | None = None,
) -> tuple[Paper, ...]:
    """Each paper with its topics (topic_model.py: terms, similarity, labelled examples), its
    related papers with the reason for each (neighbours.py), and its facets (text rules).

    `cache`: the embedding cache file (embed.py; `.generator/embeddings.npz`), read and, after
    the papers are embedded, written back unless `save` is false (a check writes nothing);
    None: no cache. `topics_cache`: the same for each paper's topics as the model ranked
    them (topic_cache.py; `.generator/topics-cache.json`): only papers it does not know are
    ranked. Curators' tags are applied after this (overrides.py), never cached."""
    # Imported here: numpy and scipy (~0.4 s) are not needed by a no-op run.
    from generator.curate.embed import EmbeddingCache, paper_text
    from generator.curate.neighbours import add_related
    from generator.curate.topic_cache import TopicCache
    from generator.curate.topics import assign_topics

    embeddings = EmbeddingCache(cache)
    vectors = embeddings.vectors([paper_text(p.title, p.abstract) for p in papers])
    if save:
        embeddings.save()
    ranked = TopicCache(topics_cache, taxonomy)
    papers = assign_topics(papers, taxonomy, vectors, ranked)
    if save:
        ranked.save()
    release_memory()  # the topics' TF-IDF temporaries (memory.py)
    by_slug = {p.slug: vectors[i] for i, p in enumerate(papers)}
    papers, why = add_related(papers, by_slug, {t.slug: t.name for t in taxonomy}, related_cache, save)
    papers = tuple(replace(p, related_why=tuple(why.get(p.slug, {}).get(s, "") for s in p.related)) for p in papers)
    release_memory()
    return add_facets(papers)

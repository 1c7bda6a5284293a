"""Stage 3: papers -> papers with topics, related papers and facets; curator overrides.

Owns the taxonomy (topics.yml) and every judgement made about a paper's content.
"""

from __future__ import annotations

from generator.curate.facets import add_facets
from generator.curate.topics import assign_topics
from generator.memory import release_memory
from generator.model import Paper, Topic


def curate(papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...]) -> tuple[Paper, ...]:
    """Each paper with its topics (terms and TF-IDF similarity), its most similar papers, and
    its facets (code, dataset, survey, theory: text rules)."""
    papers = assign_topics(papers, taxonomy)
    release_memory()  # the topics' TF-IDF temporaries (memory.py)
    # Imported here: numpy and scipy (~0.4 s) are not needed by a no-op run.
    from generator.curate.related import add_related

    papers = add_related(papers)
    release_memory()
    return add_facets(papers)

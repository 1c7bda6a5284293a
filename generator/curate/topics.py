"""Rank each paper's topics, primary first: a model trained on papers labelled by reading them.

Signals (generator/curate/signals.py), for every paper and topic:

1. **Terms** (`terms.py`), the curators' signal: each of a topic's terms found as a whole
   word or phrase, with plural and inflected forms; points in the title and in the abstract.
2. **Profile similarity**: TF-IDF cosine (word 1-2-grams, as scikit-learn computes it:
   `tfidf.py`, over the profiles' vocabulary with an IDF fitted once on the labelled train
   papers, shipped with the model) and embedding cosine (`embed.py`) between the paper and the
   topic's name, description and terms.
3. **Labelled examples**: embedding cosine to the mean, and to the nearest, of the topic's
   labelled train papers (`topic_model.py`).
4. **Text classifier**: the score of the topic's linear SVM over TF-IDF word 1-2-grams,
   trained on the labelled train papers (`topic_model.py`).

One logistic regression with the same weights for every topic, plus a bias of each topic's
own (`curation/train.py` fits it on the train split), turns them into each topic's
probability of being the primary topic.
The most probable is the primary; others with at least `secondary_share` of its probability
are secondary (at most `MAX_TOPICS`); a paper whose best probability is under `other_below`
goes to "other". Probabilities are rounded before ranking and ties go to the topic earlier
in topics.yml: the same topics on every machine.

Every signal is a function of the paper's own title and abstract and of shipped or curated
files (topics.yml, generator/curate/model/), never of the other papers being built: a paper's
topics do not move when a digest arrives (tests/test_topics.py). That is also why a build
ranks only the papers it has not ranked before: the others' topics come from the topics cache
(topic_cache.py, `.generator/topics-cache.json`), keyed by the paper's text and by everything
else above (taxonomy, model files, code, library versions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator.curate.terms import Matches, all_term_matches
from generator.model import Paper, Topic

if TYPE_CHECKING:  # the cache is read by curate() only: a no-op run never imports it
    from generator.curate.topic_cache import TopicCache

MAX_TOPICS = 3


@dataclass(frozen=True)
class Ranking:
    """Every signal and probability of every paper and topic (numpy arrays, papers x topics)."""

    slugs: list[str]
    raw: dict[str, Any]
    probabilities: Any
    matches: list[list[Matches]]


def rank(papers: Sequence[Paper], taxonomy: Sequence[Topic], vectors: Any, model: Any = None) -> Ranking:
    """The signals and topic probabilities of `papers`; `vectors` are their embeddings
    (embed.py, one row per paper, in order)."""
    # Imported here: numpy and scipy (~0.4 s) are not needed to load the taxonomy (MkDocs'
    # hooks, a no-op run).
    import numpy as np

    from generator.curate.embed import embed
    from generator.curate.signals import example_similarity, features, profile_similarity, term_points
    from generator.curate.tfidf import transform
    from generator.curate.topic_model import TopicModel

    model = model or TopicModel.load()
    slugs = [t.slug for t in taxonomy]
    found = all_term_matches(papers, taxonomy)
    title, abstract = term_points(found)
    # "title title abstract" as scikit-learn's TfidfVectorizer transforms it, over vocabularies
    # and IDFs fitted by training (shipped), never over the papers being built.
    docs = [(p.title, p.title, p.abstract) for p in papers]
    words, idf = model.profile_vocabulary, model.profile_idf
    profile = profile_similarity(transform(docs, words, idf), transform([(t.profile,) for t in taxonomy], words, idf))
    text = model.text_scores(transform(docs, model.vocabulary, model.idf), slugs)
    profile_vectors = embed([t.profile for t in taxonomy]).astype(np.float16).astype(np.float32)
    index = {s: j for j, s in enumerate(slugs)}
    known = [k for k, label in enumerate(model.labels) if label in index]  # a removed topic's examples drop out
    labels = np.array([index[model.labels[k]] for k in known], dtype=np.int64)
    centroid, nearest = example_similarity(vectors, model.examples[known], labels, len(slugs))
    raw = {"title": title, "abstract": abstract, "profile_tfidf": profile,
           "profile_emb": vectors @ profile_vectors.T, "centroid": centroid, "nearest": nearest,
           "text_model": text}  # fmt: skip
    return Ranking(slugs, raw, model.probabilities(features(raw), slugs), found)


def assign_topics(
    papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...], vectors: Any = None, cache: TopicCache | None = None
) -> tuple[Paper, ...]:
    """Each paper with its 1-3 topics, primary first (see the module docstring). `vectors`:
    the papers' embeddings (embed.py), computed here when not given. `cache`
    (topic_cache.py): papers whose text it knows take its topics, the others are ranked and
    recorded in it; a paper's topics depend on it alone, so ranking only them is the same."""
    if not papers:
        return papers
    found: list[tuple[str, ...] | None] = cache.get(papers) if cache is not None else [None] * len(papers)
    missing = [i for i, topics in enumerate(found) if topics is None]
    if missing:
        from generator.curate.embed import EmbeddingCache, paper_text
        from generator.curate.topic_model import TopicModel

        todo = tuple(papers[i] for i in missing)
        if vectors is None:
            rows = EmbeddingCache(None).vectors([paper_text(p.title, p.abstract) for p in todo])
        else:
            rows = vectors[missing] if len(missing) < len(papers) else vectors
        model = TopicModel.load()
        ranking = rank(todo, taxonomy, rows, model)
        chosen = [model.choose(row, ranking.slugs, MAX_TOPICS) for row in ranking.probabilities]
        if cache is not None:
            cache.put(todo, chosen)
        for i, topics in zip(missing, chosen, strict=True):
            found[i] = topics
    return tuple(replace(p, topics=topics or ()) for p, topics in zip(papers, found, strict=True))


def explain(paper: Paper, papers: Sequence[Paper], taxonomy: Sequence[Topic], vectors: Any) -> str:
    """A readable account of a paper's topic ranking (`papers`: the paper among others; its
    topics do not depend on them)."""
    from generator.curate.signals import NAMES
    from generator.curate.topic_model import TopicModel

    index = next(i for i, p in enumerate(papers) if p.slug == paper.slug)
    model = TopicModel.load()
    ranking = rank(papers, taxonomy, vectors, model)
    row = ranking.probabilities[index]
    chosen = model.choose(row, ranking.slugs, MAX_TOPICS)
    names = {t.slug: t.name for t in taxonomy}
    lines = [f"{paper.title}", f"topics: {', '.join(names[s] for s in chosen)}", ""]
    lines.append(
        f"rules: primary = most probable topic; secondary >= {model.secondary_share:.0%} of its probability "
        f"(max {MAX_TOPICS}); 'other' if the best is under {model.other_below:.3f}"
    )
    order = sorted(range(len(ranking.slugs)), key=lambda j: (-row[j], j))
    for j in order[:8]:
        slug = ranking.slugs[j]
        verdict = f"chosen #{chosen.index(slug) + 1}" if slug in chosen else "not chosen"
        signals = ", ".join(f"{n} {ranking.raw[n][index, j]:.2f}" for n in NAMES)
        terms = ", ".join(f"{t} ({w}{' x' + str(n) if n > 1 else ''})" for t, w, n in ranking.matches[index][j])
        lines.append(f"- {names[slug]} [{slug}]: probability {row[j]:.3f}; {verdict}")
        lines.append(f"    signals: {signals}")
        lines.append(f"    terms: {terms or 'no terms'}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Coverage:
    """How the papers spread over the topics: the figures a curator checks after a run."""

    papers: int
    counts: tuple[tuple[str, int], ...]  # (topic name, papers), in taxonomy order
    unclassified: int

    @property
    def unclassified_share(self) -> float:
        return self.unclassified / self.papers if self.papers else 0.0

    def share(self, count: int) -> float:
        return count / self.papers if self.papers else 0.0


def coverage(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> Coverage:
    counts = {t.slug: 0 for t in taxonomy}
    for paper in papers:
        for slug in paper.topics:
            counts[slug] += 1
    unclassified = sum(1 for p in papers if not p.topics)
    return Coverage(len(papers), tuple((t.name, counts[t.slug]) for t in taxonomy), unclassified)

"""The fast ranking paths give exactly what the plain computations give (issue 7: speed, same output).

Term matching searches only texts holding a term's first word (an index), TF-IDF is counted
with numpy, facets try their patterns only where a match can begin. Each is compared with
the plain computation it replaces, on every real paper and on texts made to trip them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.curate import facets, terms
from generator.curate.taxonomy import load_taxonomy
from generator.curate.terms import all_term_matches, term_matches
from generator.curate.tfidf import SETTINGS, Words, tfidf
from generator.model import Appearance, Paper, Topic
from tests.conftest import REAL_DIGESTS

SEEN = (Appearance("d", date(2025, 1, 1), 1, None),)
TRICKY = [
    ("Code, encoders and decoders", "The encoder's code_base: no code-free decoder. Pre-code, -code, codes."),
    ("Fine-tuned LLMs", "We fine-tune, fine-tuned and Fine-Tuning an LLM's head; llms and LLMS are not LLMs."),
    ("Policies", "A policy's policies; POLICY and policyless. Poliſies and policieſ fold to policies."),
    ("RL for NAS", "Deep-RL, non-RL, RL-based, rl, RL's and nas or Nas: only some are acronyms."),
    ("Large language-models", "Language  Models, language\nmodel, language-modelling and languagemodels."),
    ("Straße für Diffusion", "Diffusion über Straßen; \u212aernel methods (Kelvin K) and kernel's; naïve diffusions."),
    ("3D-aware TTY", "3d gaussian splatting, 3D's, TTYs and ttys; x-ray, X-rays and xray."),
    ("", "'Quoted' terms: 'diffusion', \"transformer\", (transformers) [policy]."),
]
TRICKY_TOPIC = Topic(
    "tricky",
    "Tricky",
    "Terms that exercise every branch of term_pattern.",
    ("code", "fine-tune", "policy", "LLM", "RL", "NAS", "language model", "kernel", "3D", "TTY", "x-ray", "diffusion"),
)


def paper(n: int, title: str, abstract: str) -> Paper:
    return Paper(key=f"k{n}", slug=f"p{n}", title=title, abstract=abstract, appearances=SEEN)


@pytest.fixture(scope="module")
def real_papers() -> tuple[Paper, ...]:
    from generator.catalogue import catalogue
    from generator.read import read_digests
    from generator.settings import load_settings

    return catalogue(read_digests(REAL_DIGESTS, load_settings(REAL_DIGESTS.parent / "site.yml"))).papers


@pytest.fixture(scope="module")
def taxonomy() -> tuple[Topic, ...]:
    return (*load_taxonomy(REAL_DIGESTS.parent / "topics.yml"), TRICKY_TOPIC)


def test_term_index_counts_what_the_regex_finds(
    real_papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = [*real_papers, *(paper(n, t, a) for n, (t, a) in enumerate(TRICKY))]
    found = all_term_matches(papers, taxonomy)
    assert found == [[term_matches(p, topic) for topic in taxonomy] for p in papers]
    # The same table from worker processes, each matching its own share of the papers.
    monkeypatch.setattr(terms, "PARALLEL_FROM", 0)
    monkeypatch.setenv("GENERATOR_WORKERS", "3")
    assert all_term_matches(papers, taxonomy) == found
    assert all_term_matches([], taxonomy) == []
    tricky = dict(zip([p.title for p in papers[len(real_papers) :]], found[len(real_papers) :], strict=True))
    # The tricky texts do hit: the comparison above is not between two empty tables.
    # "code-free" and "codes"; not "encoder", "code_base", "Pre-code" or "-code".
    assert ("code", "abstract", 2) in tricky["Code, encoders and decoders"][-1]
    # "policy's", "policies" twice, "POLICY" and "policieſ" (the long s folds to s).
    assert ("policy", "abstract", 5) in tricky["Policies"][-1]
    assert ("RL", "abstract", 2) in tricky["RL for NAS"][-1]  # "RL-based", "RL's"; not "Deep-RL" or "rl"
    assert ("kernel", "abstract", 2) in tricky["Straße für Diffusion"][-1]  # the Kelvin sign folds to k


def same(mine: sparse.csr_matrix, theirs: sparse.csr_matrix) -> bool:
    """Same type, shape, dtypes and stored arrays, value for value and in the same order."""
    return (
        type(mine) is type(theirs)
        and mine.shape == theirs.shape
        and mine.dtype == theirs.dtype
        and mine.indices.dtype == theirs.indices.dtype
        and np.array_equal(mine.indptr, theirs.indptr)
        and np.array_equal(mine.indices, theirs.indices)
        and np.array_equal(mine.data, theirs.data)
    )


def test_tfidf_is_scikit_learns_matrix_bit_for_bit(real_papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...]) -> None:
    odd = [
        ("ΟΔΟΣ ΣΟΦΙΑΣ", "Σ at the end of a word lowers to ς"),
        ("", "an empty title"),
        ("the of and", "stop words only in the title"),
        ("Naïve Straße", "ÉCOLE élève, ﬁne-tuning ligatures"),
    ]
    papers = [*real_papers, *(paper(n, t, a) for n, (t, a) in enumerate(odd))]
    topics_docs = [(p.title, p.title, p.abstract) for p in papers] + [(t.profile,) for t in taxonomy]
    related_docs = [(p.title, p.abstract) for p in sorted(papers, key=lambda p: p.slug)]
    for docs in (topics_docs, related_docs, topics_docs):  # the last one again: from the kept texts
        expected = TfidfVectorizer(**SETTINGS).fit_transform([" ".join(parts) for parts in docs])
        assert same(tfidf(docs), expected)
    assert same(tfidf([("x",), ("the",), ("ab cd",)]), TfidfVectorizer(**SETTINGS).fit_transform(["x", "the", "ab cd"]))


def test_tfidf_reports_an_empty_vocabulary_as_scikit_learn_does() -> None:
    with pytest.raises(ValueError, match="empty vocabulary"):
        tfidf([("the and",), ("of",)])


def test_words_are_tokenised_once_per_text() -> None:
    words = Words()
    docs = [("same title", "same title", "an abstract"), ("same title", "another abstract")]
    first = words.documents(docs)
    assert [words.words[i] for i in first[0]] == ["title", "title", "abstract"]  # "same" is a stop word
    known = dict(words.ids)
    again = words.documents(docs)
    assert words.ids == known and all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))


FACET_TEXTS = [
    "We Introduce a new benchmark. WE PROPOSE datasets; this paper presents a corpus.",
    "This Survey covers the field. We survey; THIS TUTORIAL explains.",
    "We prove upper bounds and Lower Bounds; minimax convergence rates, a Theorem, provably.",
    "we\tintroduce\nthe  dataset; Wenow introduce no benchmark; swe build a corpus",
    "Straße: we introduce ſurvey data; we prove a theorem über alles, \u212aL regret bounds.",
    "",
]


def test_facet_patterns_find_what_a_whole_text_search_finds(real_papers: tuple[Paper, ...]) -> None:
    texts = [p.abstract for p in real_papers] + FACET_TEXTS
    for pattern, starts in (
        (facets._BENCH_ABSTRACT, ("we", "this")),
        (facets._SURVEY_ABSTRACT, ("this", "we")),
        (facets._THEORY_ABSTRACT, facets._THEORY_STARTS),
    ):
        assert [facets._find_all(pattern, t, starts) for t in texts] == [pattern.findall(t) for t in texts]
    assert facets.paper_facets(paper(0, "Plain", FACET_TEXTS[2])) == ("theory",)


def test_ascii_words_are_the_regex_words() -> None:
    import re

    from generator.text import ascii_words

    every = "".join(map(chr, range(128)))
    for text in (every, every[::-1] * 3, "a-b_c d'e 3.14 x\ty\nz", ""):
        assert ascii_words(text) == re.findall(r"\w+", text)
        assert [w for w in ascii_words(text.lower()) if len(w) > 1] == re.findall(r"(?u)\b\w\w+\b", text.lower())


def test_related_lists_are_the_same_from_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.related_30k import synthetic
    from generator.curate import related

    papers = synthetic(1200)  # three blocks of rows
    monkeypatch.setenv("GENERATOR_WORKERS", "1")
    alone, exact = related.related_slugs(papers, exact=False), related.related_slugs(papers, exact=True)
    monkeypatch.setattr(related, "PARALLEL_FROM", 0)
    monkeypatch.setenv("GENERATOR_WORKERS", "2")
    assert related.related_slugs(papers, exact=False) == alone
    assert related.related_slugs(papers, exact=True) == exact
    assert list(alone) == [p.slug for p in sorted(papers, key=lambda p: p.slug)]
    assert sum(1 for v in alone.values() if v) > 1000  # lists are not empty


def test_weights_and_cosines_are_scikit_learns_bit_for_bit(real_papers: tuple[Paper, ...]) -> None:
    """The weighting and the topic cosines, computed without scikit-learn, against scikit-learn."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from sklearn.metrics.pairwise import cosine_similarity

    from generator.curate.tfidf import STOP_WORDS, cosine

    assert STOP_WORDS == ENGLISH_STOP_WORDS
    docs = [(p.title, p.title, p.abstract) for p in real_papers]
    matrix = tfidf(docs)
    left, right = matrix[:200], matrix[200:]
    theirs = cosine_similarity(left, right)
    mine = cosine(left.copy(), right.copy())
    assert mine.dtype == theirs.dtype and mine.shape == theirs.shape and np.array_equal(mine, theirs)
    assert theirs.max() > 0.1  # real similarities were compared, not zeros


def test_a_run_does_not_import_scikit_learn(tmp_path: Path) -> None:
    """scikit-learn is a test dependency only: importing it would cost 1.5-2.5 s a run."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT, copy_project

    project = copy_project(tmp_path / "p")
    code = (
        "import sys; from generator.cli import main; code = main(['build', '-q']); "
        "sys.exit(code or (3 if any(m.split('.')[0] == 'sklearn' for m in sys.modules) else 0))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert (project / "docs" / "papers").is_dir()

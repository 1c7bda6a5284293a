"""The taxonomy validates, and the classifier puts real papers where a researcher would look."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.catalogue import catalogue
from generator.cli import main
from generator.curate.taxonomy import load_taxonomy
from generator.curate.terms import term_pattern
from generator.curate.topics import assign_topics, coverage
from generator.errors import UserError
from generator.model import Appearance, Paper
from generator.read import read_digests
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests/fixtures/topic_labels.yml"


@pytest.fixture(scope="module")
def real() -> tuple[tuple[Paper, ...], tuple[Paper, ...]]:
    settings = load_settings(ROOT / "site.yml")
    papers = catalogue(read_digests(ROOT / "digests", settings)).papers
    return papers, assign_topics(papers, load_taxonomy(ROOT / "topics.yml"))


def test_every_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "topics.yml"
    bad.write_text(
        "- slug: ok-topic\n  name: Vision\n  description: d\n  terms: [image, images]\n"
        "- slug: Bad Slug\n  name: vision\n  description: ''\n  terms: [x]\n  colour: red\n"
        "- slug: ok-topic\n  name: Other\n  terms: []\n"
    )
    with pytest.raises(UserError) as error:
        load_taxonomy(bad)
    lines = str(error.value).splitlines()
    assert (
        f"{bad}:1: term 'images' is already matched by 'image' (plural and inflected forms match): remove it" in lines
    )
    assert f"{bad}:5: unknown key 'colour'" in lines
    assert f"{bad}:5: 'slug' must be lowercase words joined by hyphens, found 'Bad Slug'" in lines
    assert f"{bad}:5: 'description' must be a non-empty text" in lines
    assert f"{bad}:10: missing key 'description'" in lines
    assert f"{bad}:10: 'terms' must be a non-empty list of words or phrases" in lines
    assert f"{bad}:10: slug 'ok-topic' is already used by the topic at line 1" in lines
    assert f"{bad}:5: name 'vision' is already used by the topic at line 1" in lines


def test_terms_match_whole_words_with_plural_and_inflected_forms() -> None:
    assert term_pattern("language model").search("two Language-Models agree")
    assert term_pattern("LLM").search("LLMs are big")
    assert term_pattern("policy").search("learned policies")
    assert term_pattern("fine-tune").search("we fine-tuned it")
    assert not term_pattern("NAS").search("the nas drive")  # acronyms keep their case
    assert not term_pattern("graph").search("a paragraph")  # whole words only


def paper(title: str, abstract: str) -> Paper:
    return Paper(
        key=title,
        slug=title.lower().replace(" ", "-"),
        title=title,
        abstract=abstract,
        appearances=(Appearance("d", date(2025, 1, 1), 1, None),),
    )


def test_one_incidental_word_does_not_make_a_topic() -> None:
    taxonomy = load_taxonomy(ROOT / "topics.yml")
    diffusion = paper(
        "Faster diffusion samplers",
        "We speed up diffusion model sampling; diffusion "
        "samplers need fewer steps, with an error bound on the generalization error.",
    )
    (ranked,) = assign_topics((diffusion,), taxonomy)
    assert ranked.topics[0] == "generative-models"
    assert "learning-theory" not in ranked.topics


def test_primary_topic_accuracy_on_hand_labelled_papers(real: tuple[tuple[Paper, ...], tuple[Paper, ...]]) -> None:
    labels = yaml.safe_load(LABELS.read_text())
    by_slug = {p.slug: p for p in real[1]}
    assert len(labels) >= 80
    confusion: Counter[tuple[str, str]] = Counter()
    for label in labels:
        topics = by_slug[label["slug"]].topics
        if topics[:1] != (label["primary"],):
            confusion[(label["primary"], topics[0] if topics else "(none)")] += 1
    accuracy = 1 - sum(confusion.values()) / len(labels)
    print(f"\nprimary-topic accuracy: {accuracy:.1%} on {len(labels)} labelled papers")
    for (expected, got), n in confusion.most_common():
        print(f"  labelled {expected}, classified {got}: {n}")
    assert accuracy >= 0.85, f"accuracy {accuracy:.1%}; confusion: {dict(confusion)}"


def test_coverage_of_the_real_digests(real: tuple[tuple[Paper, ...], tuple[Paper, ...]]) -> None:
    taxonomy = load_taxonomy(ROOT / "topics.yml")
    assert 15 <= len(taxonomy) <= 25
    papers = real[1]
    assert all(1 <= len(p.topics) <= 3 for p in papers)
    cov = coverage(papers, taxonomy)
    assert cov.unclassified_share <= 0.03
    for topic, count in cov.counts:
        assert 4 <= count <= 0.30 * len(papers), (topic, count)


def test_assignment_is_deterministic(real: tuple[tuple[Paper, ...], tuple[Paper, ...]]) -> None:
    again = assign_topics(real[0], load_taxonomy(ROOT / "topics.yml"))
    assert [p.topics for p in again] == [p.topics for p in real[1]]


def explain_topics(slug: str) -> int:
    """`python -m generator topics --explain SLUG` on the real digests."""
    inputs = {"--digests": "digests", "--topics": "topics.yml", "--settings": "site.yml"}
    paths = [arg for option, name in inputs.items() for arg in (option, str(ROOT / name))]
    return main(["topics", *paths, "--explain", slug])


def test_explain_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    slug = "does-sparsity-help-in-learning-misspecified-linear-bandits"
    assert explain_topics(slug) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Does Sparsity Help in Learning Misspecified Linear Bandits?\ntopics: Bandits and online learning"
    )
    assert "- Bandits and online learning [bandits]: score" in out and "chosen #1" in out
    assert "bandit (title)" in out
    assert "below floor" in out  # a topic with one incidental abstract term is shown as rejected


def test_explain_unknown_slug_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert explain_topics("no-such-paper") == 1
    assert capsys.readouterr().err == "Error: no paper has the slug 'no-such-paper' (see docs/papers/)\n"

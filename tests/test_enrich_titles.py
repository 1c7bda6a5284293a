"""Title normalisation and arXiv identifiers: the cases side by side, one table each."""

from __future__ import annotations

import pytest

from generator.enrich.ids import arxiv_id
from generator.enrich.titles import abstract_similarity, match_key, query_words, tex_to_unicode, titles_agree
from tests.test_enrich_fakes import corpus, record

# (as arXiv has it, as a digest may show it): the same title.
SAME = [
    ("Online Generic Event Boundary Detection", "online generic event boundary detection"),
    ("TRACEALIGN -- Tracing the Drift: Attributing", "TRACEALIGN — Tracing the Drift – Attributing"),
    ("Give Me FP32 or Give Me Death? Challenges", "Give me FP32 or give me death: challenges"),
    ("Don't Pass$\\mathtt{@}k$: A Bayesian Framework", "Don’t Pass@k: A Bayesian Framework"),
    ("$\\textit{Agents Under Siege}$: Breaking", "Agents Under Siege: Breaking"),
    ("LLM$\\times$MapReduce-V2: Entropy-Driven", "LLM×MapReduce-V2: Entropy-Driven"),
    ("\\textsc{SimInstruct}: A Responsible Tool", "SimInstruct: A Responsible Tool"),
    ("User Experience \\& Acceptability", "User Experience & Acceptability"),
    ("$\\varphi$-Adapt: A Physics-Informed", "φ-Adapt: A Physics-Informed"),
    ("Memorization $\\neq$ Understanding", "Memorization ≠ Understanding"),
    ("Schr\\\"odinger's ``Cat''", "Schrödinger’s “Cat”"),
    ("A$^\\text{T}$A: Adaptive", "ATA: Adaptive"),
    ("H$^{\\mathbf{3}}$DP: Triply", "H³DP: Triply"),
    ("Call\\,Recording Datasets", "Call Recording Datasets"),
    ("GPT-4 Technical   Report", "GPT4 technical report."),
    ("{BERT}: Pre-training of Deep", "BERT: Pre-training of\n deep"),
]
# Titles that must stay apart.
DIFFERENT = [
    ("Attention Is All You Need", "Attention Is Not All You Need"),
    ("Logit Arithmetic Elicits Long Reasoning", "Logit Arithmetic Elicits Long Reasoning II"),
    ("$\\alpha$-Divergence", "$\\beta$-Divergence"),
    ("Model-2", "Model 3"),
]


@pytest.mark.parametrize(("arxiv", "digest"), SAME)
def test_the_same_title_written_two_ways_agrees(arxiv: str, digest: str) -> None:
    assert titles_agree(arxiv, digest), (match_key(arxiv), match_key(digest))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_titles_do_not_agree(a: str, b: str) -> None:
    assert not titles_agree(a, b)


def test_the_key_is_lower_case_words() -> None:
    assert match_key("$\\textit{Agents Under Siege}$: Breaking Multi-Agent LLM Systems") == (
        "agents under siege breaking multi agent llm systems"
    )


def test_corpus_titles_share_a_key_only_where_arxiv_has_the_title_twice() -> None:
    groups: dict[str, set[str]] = {}
    for r in corpus():
        groups.setdefault(match_key(r["title"]).replace(" ", ""), set()).add(r["id"])
    shared = sorted(sorted(ids) for ids in groups.values() if len(ids) > 1)
    assert shared == [["2505.17997", "2506.03038"], ["2507.12759", "2510.09354"], ["2509.21801", "2601.11002"]]
    assert all(len({record(i)["title"] for i in ids}) == 1 for ids in shared)


@pytest.mark.parametrize(("title", "words"), [
    ("LLM$\\times$MapReduce-V2: Entropy-Driven", ["llm", "mapreduce", "v2", "entropy", "driven"]),
    ('Say "AND" OR: NOT (this)', ["say", "and", "or", "not", "this"]),  # no operator survives
    ("$\\varphi$-Adapt", ["adapt"]),
    ("Schrödinger's Cat", ["schrodinger", "s", "cat"]),
    ("$\\alpha$", []),
])
def test_query_words_are_plain_ascii_words(title: str, words: list[str]) -> None:
    assert query_words(title) == words


def test_tex_accents_become_unicode() -> None:
    names = tex_to_unicode('Annika M\\"utze, Bal\\\'{a}zs, \\v{C}ech, Ga\\ss{}ner')
    assert names == "Annika Mütze, Balázs, Čech, Gaßner"


def test_abstracts_of_one_paper_agree_and_of_two_papers_do_not() -> None:
    one = record("2506.07927")["abstract"]
    assert abstract_similarity(one, one.replace("$", "").upper()) == 1.0
    assert abstract_similarity(one, record("2510.06855")["abstract"]) < 0.25


@pytest.mark.parametrize(("text", "identifier"), [
    ("2510.09842", "2510.09842"),
    ("2510.09842v3", "2510.09842"),
    ("arXiv:2510.09842", "2510.09842"),
    (" http://arxiv.org/abs/2510.09842v1 ", "2510.09842"),
    ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"),
    ("math.GT/0309136", "math.GT/0309136"),
    ("0704.0001", "0704.0001"),
    ("1412.6980", "1412.6980"),
    ("1412.69800", None),
    ("2510.9842", None),
    ("2510.1", None),  # YAML read `arxiv: 2510.10000` as the number 2510.1
    ("2510.098420", None),
    ("http://arxiv.org/api/errors#incorrect_id", None),
    ("10.1234/example", None),
])
def test_arxiv_ids_lose_version_prefix_and_url(text: str, identifier: str | None) -> None:
    assert arxiv_id(text) == identifier

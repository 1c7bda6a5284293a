"""Matching on real arXiv papers, including the titles arXiv holds twice."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from generator.enrich.match import decide, years_agree
from generator.enrich.model import Candidate
from tests.test_enrich_fakes import Paper, corpus, paper, record


def candidate(r: dict[str, Any], **changes: Any) -> Candidate:
    fields: dict[str, Any] = dict(arxiv=r["id"], title=r["title"], abstract=r["abstract"], authors=tuple(r["authors"]),
                                  categories=tuple(r["categories"]), published=date.fromisoformat(r["listed"]))
    return Candidate(**{**fields, **changes})


EVERYTHING = [candidate(r) for r in corpus()]


def test_a_paper_is_matched_to_its_own_arxiv_record() -> None:
    decision = decide(paper("2506.07927"), EVERYTHING)
    assert decision.status == "matched"
    assert [c.arxiv for c in decision.passed] == ["2506.07927"]


def test_a_digest_title_without_the_tex_still_matches() -> None:
    decision = decide(paper("2504.00218", title="Agents Under Siege: Breaking Pragmatic Multi-Agent LLM Systems "
                                                "with Optimized Prompt Attacks"), EVERYTHING)
    assert [c.arxiv for c in decision.passed] == ["2504.00218"]


def test_a_title_that_only_contains_the_papers_title_is_no_match() -> None:
    shorter = paper("2510.06855", title="Generic Event Boundary Detection")
    assert decide(shorter, EVERYTHING).status == "unmatched"


def test_same_title_and_near_identical_abstracts_are_ambiguous() -> None:
    """arXiv holds "Redefining Machine Simultaneous Interpretation" twice (abstracts 85% alike):
    neither may be chosen silently."""
    decision = decide(paper("2509.21801"), EVERYTHING)
    assert decision.status == "ambiguous"
    assert [c.arxiv for c in decision.passed] == ["2509.21801", "2601.11002"]


def test_same_title_same_year_and_related_abstracts_are_ambiguous() -> None:
    assert decide(paper("2507.12759"), EVERYTHING).status == "ambiguous"


def test_same_title_but_an_unrelated_abstract_is_not_a_candidate() -> None:
    """The two "Limitations of VAPO" papers share 21% of their words, as unrelated papers do."""
    decision = decide(paper("2505.17997"), EVERYTHING)
    assert (decision.status, [c.arxiv for c in decision.passed]) == ("matched", ["2505.17997"])


def test_a_wrong_year_is_outweighed_by_an_agreeing_abstract() -> None:
    """A digest's inferred year can be a year off; the abstract still identifies the paper."""
    assert decide(paper("2506.07927", published=date(2024, 6, 9)), EVERYTHING).status == "matched"


def test_neither_year_nor_abstract_agreeing_rejects_the_title() -> None:
    r = record("2506.07927")
    other_abstract = Paper(r["title"], record("2510.06855")["abstract"], date(2021, 6, 9))
    assert decide(other_abstract, EVERYTHING).status == "unmatched"


def test_without_an_abstract_the_year_decides() -> None:
    r = record("2506.07927")
    assert decide(Paper(r["title"], "", date(2025, 6, 9)), EVERYTHING).status == "matched"
    assert decide(Paper(r["title"], "", date(2022, 6, 9)), EVERYTHING).status == "unmatched"
    assert decide(Paper(r["title"], "", None), EVERYTHING).status == "matched"  # the title alone


@pytest.mark.parametrize(("a", "b", "agree"), [
    (date(2025, 6, 1), date(2025, 12, 31), True),
    (date(2025, 12, 20), date(2026, 1, 3), True),  # listed across the new year
    (date(2025, 1, 5), date(2024, 11, 1), True),
    (date(2025, 6, 1), date(2024, 12, 1), False),
    (date(2025, 6, 1), date(2023, 6, 1), False),
])
def test_years_agree_within_a_year_or_across_a_new_year(a: date, b: date, agree: bool) -> None:
    assert years_agree(a, b) is agree
    assert years_agree(b, a) is agree


def test_a_paper_listed_in_january_matches_its_december_submission() -> None:
    r = record("2512.16814")
    january = paper("2512.16814", published=date.fromisoformat(r["listed"]) + timedelta(days=20))
    late = [candidate(r, abstract="")]  # only the year can confirm it
    assert decide(Paper(january.title, "", january.published), late).status == "matched"

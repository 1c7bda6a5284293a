"""The arXiv API source over real HTTP on 127.0.0.1: what lands in the store, and how the
client behaves when the server is slow, busy or broken."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from generator.enrich.arxiv_api import ArxivApi
from generator.enrich.model import Record
from generator.enrich.run import Summary, enrich
from generator.enrich.store import read_store
from generator.errors import UserError
from tests.test_enrich_fakes import FakeArxiv, FakeClock, Paper, Reply, paper, record, serve_arxiv


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def arxiv(clock: FakeClock) -> Iterator[FakeArxiv]:
    with serve_arxiv(clock) as fake:
        yield fake


def run(
    arxiv: FakeArxiv, clock: FakeClock, store: Path, papers: list[Paper], pins: dict[str, str] | None = None,
    **options: Any,
) -> Summary:
    """`enrich` against the fake API; `options` go to ArxivApi."""
    with ArxivApi(arxiv.url, clock=clock, **options) as api:
        return enrich(papers, api, store, pins=pins, progress=False, clock=clock)


def stored(store: Path, p: Paper) -> Record:
    return read_store(store)[p.key]


def test_a_paper_is_recorded_with_arxivs_metadata(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    p = paper("2506.07927")
    run(arxiv, clock, tmp_path / "papers.jsonl", [p])
    r = record("2506.07927")
    assert stored(tmp_path / "papers.jsonl", p) == Record(
        key="solving inequality proofs with large language models", status="matched", source="arxiv-api",
        query='ti:"solving inequality proofs with large language models"', fetched="2026-01-31T12:00:00Z",
        arxiv="2506.07927", title="Solving Inequality Proofs with Large Language Models", authors=tuple(r["authors"]),
        categories=("cs.AI", "cs.CL", "cs.LG"), published=date(2025, 6, 10),
    )
    assert [q.params for q in arxiv.requests] == [
        {"search_query": 'ti:"solving inequality proofs with large language models"', "start": "0",
         "max_results": "25"}
    ]


def test_a_revised_paper_keeps_its_first_date_and_gets_doi_and_journal(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    p = paper("2506.09501")
    run(arxiv, clock, tmp_path / "papers.jsonl", [p])
    got = stored(tmp_path / "papers.jsonl", p)
    assert (got.arxiv, got.published, got.updated) == ("2506.09501", date(2025, 6, 12), date(2025, 9, 22))
    assert (got.doi, got.journal_ref) == ("10.1234/example.2506.09501", "Example Proceedings 2025")


@pytest.mark.parametrize(("arxiv_id", "digest_title"), [
    ("2504.00218", "agents under siege: breaking pragmatic multi-agent LLM systems with optimized prompt attacks"),
    ("2504.05732", "LLM×MapReduce-V2: Entropy-Driven Convolutional Test-Time Scaling for Generating Long-Form "
                   "Articles from Extremely Long Resources"),
    ("2508.02063", "TraceAlign — Tracing the Drift: Attributing Alignment Failures to Training-Time Belief "
                   "Sources in LLMs"),
    ("2508.05358", "Evaluation of a Sign Language Avatar on Comprehensibility, User Experience & Acceptability"),
])
def test_a_title_differing_in_case_punctuation_or_tex_is_matched(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path, arxiv_id: str, digest_title: str
) -> None:
    p = paper(arxiv_id, title=digest_title)
    run(arxiv, clock, tmp_path / "papers.jsonl", [p])
    got = stored(tmp_path / "papers.jsonl", p)
    assert (got.status, got.arxiv, got.title) == ("matched", arxiv_id, record(arxiv_id)["title"])


def test_a_paper_arxiv_does_not_have_is_unmatched(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    p = Paper("Solving Inequality Proofs with Small Language Models", record("2506.07927")["abstract"])
    summary = run(arxiv, clock, tmp_path / "papers.jsonl", [p])
    got = stored(tmp_path / "papers.jsonl", p)
    assert (got.status, got.arxiv, got.candidates) == ("unmatched", None, ())
    assert got.query == 'ti:"solving inequality proofs with small language models"'
    assert summary.counts == {"unmatched": 1}


def test_two_arxiv_papers_of_the_title_are_ambiguous(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    p = paper("2509.21801")
    run(arxiv, clock, tmp_path / "papers.jsonl", [p])
    got = stored(tmp_path / "papers.jsonl", p)
    assert (got.status, got.arxiv, got.candidates) == ("ambiguous", None, ("2509.21801", "2601.11002"))


def test_requests_are_paced_by_the_interval(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    papers = [paper(i) for i in ("2506.07927", "2510.06855", "2504.06838", "2505.07558", "2509.08705")]
    run(arxiv, clock, tmp_path / "papers.jsonl", papers, interval=3.0)
    times = [q.at for q in arxiv.requests]
    assert len(times) == 5
    assert all(later - earlier >= 3.0 for earlier, later in itertools.pairwise(times))
    assert clock.time == pytest.approx(12.0)  # and no more waiting than that


def test_a_503_is_retried_after_the_wait_it_names(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    arxiv.replies.append(Reply(status=503, headers=(("Retry-After", "7"),)))
    p = paper("2506.07927")
    run(arxiv, clock, tmp_path / "papers.jsonl", [p])
    assert stored(tmp_path / "papers.jsonl", p).status == "matched"
    assert clock.sleeps == [7.0]
    assert [q.at for q in arxiv.requests] == [0.0, 7.0]


def test_a_retry_after_date_is_honoured(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    when = format_datetime(clock.now().replace(second=20), usegmt=True)  # 20 s from now
    arxiv.replies.append(Reply(status=503, headers=(("Retry-After", when),)))
    run(arxiv, clock, tmp_path / "papers.jsonl", [paper("2506.07927")])
    assert clock.sleeps == [20.0]


def test_5xx_without_retry_after_backs_off_exponentially_then_stops_with_an_error(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    done, failing = paper("2510.06855"), paper("2506.07927")
    arxiv.replies.extend([Reply(), Reply(status=502), Reply(status=500), Reply(status=503)])
    with pytest.raises(UserError) as error:
        run(arxiv, clock, tmp_path / "papers.jsonl", [done, failing], tries=3, interval=3.0)
    assert str(error.value) == ('arXiv API: no answer to ti:"solving inequality proofs with large language models" '
                                "after 3 tries (last: HTTP 503); run again later (what was fetched is saved)")
    assert clock.sleeps == [3.0, 3.0, 6.0]  # the pace before the 2nd paper, then 3 s and 6 s
    assert list(read_store(tmp_path / "papers.jsonl")) == [done.key]


def test_a_retry_after_too_long_stops_at_once(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    arxiv.replies.append(Reply(status=503, headers=(("Retry-After", "3600"),)))
    with pytest.raises(UserError, match="arXiv API is busy: it asks to wait 3600 s before ti:"):
        run(arxiv, clock, tmp_path / "papers.jsonl", [paper("2506.07927")])
    assert len(arxiv.requests) == 1


def test_a_time_out_is_retried(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    arxiv.replies.append(Reply(delay=0.6))
    p = paper("2506.07927")
    run(arxiv, clock, tmp_path / "papers.jsonl", [p], timeout=0.2)
    assert stored(tmp_path / "papers.jsonl", p).status == "matched"
    assert len(arxiv.requests) == 2
    assert clock.sleeps == [3.0]


def test_time_outs_every_try_end_in_an_error_naming_the_query(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    arxiv.replies.extend([Reply(delay=0.6), Reply(delay=0.6)])
    with pytest.raises(UserError, match=r'no answer to ti:"solving inequality .* after 2 tries \(last: timed out\)'):
        run(arxiv, clock, tmp_path / "papers.jsonl", [paper("2506.07927")], timeout=0.2, tries=2)
    assert not (tmp_path / "papers.jsonl").exists()


def test_a_client_error_is_not_retried(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    arxiv.replies.append(Reply(status=400, body=b"bad request"))
    with pytest.raises(UserError, match=r'^arXiv API answered HTTP 400 to ti:"solving'):
        run(arxiv, clock, tmp_path / "papers.jsonl", [paper("2506.07927")])
    assert len(arxiv.requests) == 1


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>"""


@pytest.mark.parametrize(("body", "why"), [
    (b"<html><body>arXiv is down for maintenance</body></html>", "not an Atom feed (root element 'html')"),
    (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://ar', "not XML"),
    (b"", "not XML"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "no opensearch:totalResults"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:o="http://a9.com/-/spec/opensearch/1.1/">'
     b"<o:totalResults>1</o:totalResults><entry><id>http://arxiv.org/abs/2506.07927v1</id></entry></feed>",
     "entry 1 has no published"),
    (LAUGHS, "not XML"),
])
def test_a_malformed_answer_is_an_error_naming_the_query(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path, body: bytes, why: str
) -> None:
    arxiv.replies.append(Reply(body=body))
    with pytest.raises(UserError) as error:
        run(arxiv, clock, tmp_path / "papers.jsonl", [paper("2506.07927")])
    assert str(error.value).startswith(
        'arXiv API: malformed answer to ti:"solving inequality proofs with large language models": '
    )
    assert why in str(error.value)


def test_an_error_entry_is_arxivs_refusal(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    from tests.test_enrich_fakes import error_feed

    arxiv.replies.append(Reply(body=error_feed("incorrect id format for 2506.07927x")))
    with pytest.raises(UserError, match=r'^arXiv API refused ti:"solving .*: incorrect id format for 2506.07927x$'):
        run(arxiv, clock, tmp_path / "papers.jsonl", [paper("2506.07927")])


def test_pins_are_looked_up_by_id_in_batches_and_win_over_search(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    papers = [paper("2510.06855"), paper("2504.06838"), paper("2506.07927"), paper("2509.21801"),
              Paper("A Paper Pinned to an Id arXiv Lacks", "An abstract.")]
    pins = {papers[0].key: "2510.06855", papers[1].key: "arXiv:2504.06838v2", papers[3].key: "2601.11002",
            papers[4].key: "2512.99999"}
    with ArxivApi(arxiv.url, clock=clock) as api:
        api.id_batch = 3
        summary = enrich(papers, api, tmp_path / "papers.jsonl", pins=pins, progress=False, clock=clock)
    assert [q.params.get("id_list") for q in arxiv.requests] == [
        "2510.06855,2504.06838,2601.11002", "2512.99999", None,  # then one title search, unpinned
    ]
    records = read_store(tmp_path / "papers.jsonl")
    assert [(records[p.key].status, records[p.key].arxiv, records[p.key].query) for p in papers] == [
        ("pinned", "2510.06855", "id:2510.06855"),
        ("pinned", "2504.06838", "id:2504.06838"),
        ("matched", "2506.07927", 'ti:"solving inequality proofs with large language models"'),
        ("pinned", "2601.11002", "id:2601.11002"),  # the curator settled the ambiguity
        ("unmatched", None, "id:2512.99999"),
    ]
    assert records[papers[3].key].published == date(2026, 1, 19)
    assert summary.counts == {"pinned": 3, "matched": 1, "unmatched": 1}
    assert summary.warnings == (
        "the paper 'A Paper Pinned to an Id arXiv Lacks' is pinned to 2512.99999, which arxiv-api does not know",
    )


def test_a_pin_to_a_paper_of_another_title_is_kept_with_a_warning(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    p = paper("2510.06855")
    summary = run(arxiv, clock, tmp_path / "papers.jsonl", [p], pins={p.key: "2504.06838"})
    assert stored(tmp_path / "papers.jsonl", p).arxiv == "2504.06838"
    assert summary.warnings == (
        "the paper 'Online Generic Event Boundary Detection' is pinned to 2504.06838, titled 'ZIP: An Efficient "
        "Zeroth-order Prompt Tuning for Black-box Vision-Language Models' (kept: check the pin)",
    )


def test_a_pin_that_is_no_arxiv_id_stops_before_any_request(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    p = paper("2510.06855")
    with pytest.raises(UserError, match=r"pinned to '2510.1', which is not an arXiv identifier \(write it as"):
        run(arxiv, clock, tmp_path / "papers.jsonl", [p], pins={p.key: "2510.1"})
    assert arxiv.requests == []

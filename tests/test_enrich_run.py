"""Whole runs: what a second run looks up, how an interrupted or killed run resumes, pins over
time, and the command the CLI will call."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.enrich.arxiv_api import ArxivApi
from generator.enrich.command import EnrichInput, add_enrich_command, run_enrich
from generator.enrich.model import Record
from generator.enrich.run import Summary, enrich
from generator.enrich.store import read_store, write_store
from generator.errors import UserError
from tests.test_enrich_fakes import FakeArxiv, FakeClock, Paper, Reply, paper, serve_arxiv

ROOT = Path(__file__).resolve().parent.parent
IDS = ["2506.07927", "2510.06855", "2504.06838", "2505.07558", "2509.08705", "2506.16144"]
PAPERS = [paper(i) for i in IDS]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def arxiv(clock: FakeClock) -> Iterator[FakeArxiv]:
    with serve_arxiv(clock) as fake:
        yield fake


def run(arxiv: FakeArxiv, clock: FakeClock, store: Path, papers: list[Paper], **options: Any) -> Summary:
    api_options = {k: options.pop(k) for k in ("tries", "interval") if k in options}
    with ArxivApi(arxiv.url, clock=clock, **api_options) as api:
        return enrich(papers, api, store, progress=False, clock=clock, **options)


def searched(arxiv: FakeArxiv) -> list[str]:
    """The titles' queries the server was asked, in order."""
    return [q.query for q in arxiv.requests]


def query(p: Paper) -> str:
    return ArxivApi.title_query(p.title)


def test_a_second_run_looks_up_only_new_papers_and_keeps_the_rest(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    store = tmp_path / "papers.jsonl"
    run(arxiv, clock, store, PAPERS[:4])
    before = read_store(store)
    arxiv.requests.clear()
    summary = run(arxiv, clock, store, PAPERS)
    assert searched(arxiv) == [query(p) for p in PAPERS[4:]]
    after = read_store(store)
    assert {k: after[k] for k in before} == before  # fetched times included: not fetched again
    assert (summary.looked_up, summary.kept) == (2, 4)


def test_nothing_new_means_no_request_and_no_write(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    store = tmp_path / "papers.jsonl"
    run(arxiv, clock, store, PAPERS[:2])
    os.utime(store, (0, 0))
    arxiv.requests.clear()
    summary = run(arxiv, clock, store, PAPERS[:2])
    assert arxiv.requests == []
    assert store.stat().st_mtime == 0
    assert summary.line() == (f"Enrichment: looked up 0 papers: 0 matched, 0 ambiguous, 0 unmatched, 0 pinned; "
                              f"kept 2 records from before ({store}).")


def test_all_looks_every_paper_up_again(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    store = tmp_path / "papers.jsonl"
    run(arxiv, clock, store, PAPERS[:2])
    before = read_store(store)
    arxiv.requests.clear()
    summary = run(arxiv, clock, store, PAPERS[:2], all=True)
    assert searched(arxiv) == [query(p) for p in PAPERS[:2]]
    after = read_store(store)
    assert all(after[k].fetched > before[k].fetched for k in before)
    assert summary.line().startswith("Enrichment: looked up 2 papers: 2 matched, 0 ambiguous, 0 unmatched, 0 pinned")


def test_records_of_papers_no_longer_listed_are_kept(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    store = tmp_path / "papers.jsonl"
    old = Record("a paper from an old digest", "unmatched", "arxiv-api", 'ti:"a paper from an old digest"',
                 "2025-01-01T00:00:00Z")
    write_store(store, {old.key: old})
    summary = run(arxiv, clock, store, PAPERS[:1])
    assert read_store(store)[old.key] == old
    assert summary.kept == 1


def test_the_same_paper_twice_is_looked_up_once(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    twice = [PAPERS[0], paper(IDS[0], title=PAPERS[0].title.upper())]
    assert twice[0].key == twice[1].key
    run(arxiv, clock, tmp_path / "papers.jsonl", twice)
    assert searched(arxiv) == [query(PAPERS[0])]


def test_ctrl_c_keeps_what_was_fetched_and_the_next_run_finishes_the_rest(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    store = tmp_path / "papers.jsonl"
    clock.interrupt_on_sleep = 3  # Ctrl-C while pacing before the 4th request
    with pytest.raises(KeyboardInterrupt):
        run(arxiv, clock, store, PAPERS)
    first = read_store(store)
    assert list(first) == sorted(p.key for p in PAPERS[:3])
    assert all(r.status == "matched" for r in first.values())

    arxiv.requests.clear()
    summary = run(arxiv, FakeClock(), store, PAPERS)
    assert searched(arxiv) == [query(p) for p in PAPERS[3:]]
    final = read_store(store)
    assert sorted(final) == sorted(p.key for p in PAPERS)
    assert {k: final[k] for k in first} == first
    assert (summary.looked_up, summary.kept) == (3, 3)


def test_a_server_that_stops_answering_leaves_the_store_intact_for_the_next_run(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    store = tmp_path / "papers.jsonl"
    arxiv.drop_from = 3  # the connection is closed unanswered from the 3rd request on
    with pytest.raises(UserError, match=r"after 2 tries \(last: connection failed: Server disconnected"):
        run(arxiv, clock, store, PAPERS, tries=2, save_every=1)
    assert sorted(read_store(store)) == sorted(p.key for p in PAPERS[:2])

    arxiv.drop_from = None
    arxiv.requests.clear()
    run(arxiv, clock, store, PAPERS)
    assert searched(arxiv) == [query(p) for p in PAPERS[2:]]
    assert len(read_store(store)) == 6


KILLED_RUN = """
import sys
from pathlib import Path
from generator.enrich.arxiv_api import ArxivApi
from generator.enrich.run import enrich
from tests.test_enrich_fakes import paper
with ArxivApi(sys.argv[1], interval=0.0) as api:
    enrich([paper(i) for i in sys.argv[3].split(",")], api, Path(sys.argv[2]), progress=False, save_every=1)
"""


def test_a_killed_run_leaves_a_readable_store_and_the_next_run_resumes(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path
) -> None:
    """SIGKILL, no clean-up at all, while the run waits for its 4th answer."""
    store = tmp_path / "papers.jsonl"
    arxiv.replies.extend([Reply(), Reply(), Reply(), *[Reply(delay=5.0)] * 3])
    process = subprocess.Popen([sys.executable, "-c", KILLED_RUN, arxiv.url, str(store), ",".join(IDS)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 30
        while len(arxiv.requests) < 4 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        assert len(arxiv.requests) == 4, "the run did not reach its 4th request"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    kept = read_store(store)
    assert sorted(kept) == sorted(p.key for p in PAPERS[:3])
    assert os.listdir(tmp_path) == ["papers.jsonl"]  # each save had finished before the next request

    arxiv.requests.clear()
    arxiv.replies.clear()
    run(arxiv, clock, store, PAPERS)
    assert searched(arxiv) == [query(p) for p in PAPERS[3:]]
    assert {k: read_store(store)[k] for k in kept} == kept


def test_pins_over_time(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    """Pinned: looked up once. Same pin: nothing to do. Another pin: looked up again. Pin
    removed: searched by title again."""
    store, p = tmp_path / "papers.jsonl", PAPERS[0]
    run(arxiv, clock, store, [p], pins={p.key: IDS[0]})
    assert (read_store(store)[p.key].status, searched(arxiv)) == ("pinned", [f"id_list={IDS[0]}"])
    arxiv.requests.clear()
    run(arxiv, clock, store, [p], pins={p.key: IDS[0]})
    assert arxiv.requests == []
    run(arxiv, clock, store, [p], pins={p.key: IDS[1]})
    assert (read_store(store)[p.key].arxiv, searched(arxiv)) == (IDS[1], [f"id_list={IDS[1]}"])
    arxiv.requests.clear()
    run(arxiv, clock, store, [p])
    assert (read_store(store)[p.key].status, searched(arxiv)) == ("matched", [query(p)])


def test_a_pin_arxiv_does_not_know_is_not_asked_again(arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path) -> None:
    store, p = tmp_path / "papers.jsonl", PAPERS[0]
    run(arxiv, clock, store, [p], pins={p.key: "2512.99999"})
    arxiv.requests.clear()
    run(arxiv, clock, store, [p], pins={p.key: "2512.99999"})
    assert arxiv.requests == []
    assert read_store(store)[p.key].status == "unmatched"


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ArxivApi(arxiv.url, clock=clock) as api:
        enrich(PAPERS[:2], api, tmp_path / "papers.jsonl", progress=True, clock=clock)
    assert capsys.readouterr().err == ""


# ---- the command -------------------------------------------------------------------------


def parse(argv: list[str], loader: Any = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m generator")
    add_enrich_command(parser.add_subparsers(dest="command"), loader)
    return parser.parse_args(["enrich", *argv])


def test_the_command_reads_papers_through_the_loader_and_prints_a_summary(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "enrichment" / "papers.jsonl"
    seen: list[argparse.Namespace] = []

    def loader(args: argparse.Namespace) -> EnrichInput:
        seen.append(args)
        return EnrichInput(PAPERS[:2], pins={PAPERS[1].key: IDS[1]})

    args = parse(["--store", str(store), "--api-url", arxiv.url, "--interval", "0.5", "--no-progress"], loader)
    assert run_enrich(args, clock=clock) == 0
    assert seen == [args]
    out = capsys.readouterr()
    assert out.out == (f"Enrichment: looked up 2 papers: 1 matched, 0 ambiguous, 0 unmatched, 1 pinned; "
                       f"kept 0 records from before ({store}).\n")
    assert out.err == ""
    assert [r.status for r in read_store(store).values()] == ["pinned", "matched"]


def test_the_command_takes_papers_directly(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse(["--store", str(tmp_path / "s.jsonl"), "--api-url", arxiv.url, "--interval", "0"])
    assert run_enrich(args, EnrichInput(PAPERS[:1]), clock=clock) == 0
    assert "looked up 1 papers: 1 matched" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["--interval", "1"], "Error: arXiv asks for at least 3 s between requests, not 1 (--interval)\n"),
    (["--api-url", "http://127.0.0.1:9/api", "--tries", "0"], "Error: --tries must be at least 1, not 0\n"),
    (["--snapshot", "missing.json.gz"], "Error: missing.json.gz: no such file: download arXiv's metadata snapshot "
                                        "(see the README)\n"),
])
def test_the_command_prints_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    args = parse(["--store", str(tmp_path / "s.jsonl"), *argv])
    assert run_enrich(args, EnrichInput(PAPERS[:1])) == 1
    assert capsys.readouterr() == ("", message)


def test_the_command_reports_an_interrupted_run(
    arxiv: FakeArxiv, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.jsonl"
    clock.interrupt_on_sleep = 1
    args = parse(["--store", str(store), "--api-url", arxiv.url])
    assert run_enrich(args, EnrichInput(PAPERS[:3]), clock=clock) == 130
    assert capsys.readouterr().err == f"Interrupted: what was fetched is saved in {store}; run enrich again to go on.\n"
    assert len(read_store(store)) == 1

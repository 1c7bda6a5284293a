"""arXiv's metadata snapshot as a source: the bulk file's layout read into records, compressed
or not, streamed once per batch."""

from __future__ import annotations

import gzip
import json
import lzma
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.enrich.run import enrich
from generator.enrich.snapshot import ArxivSnapshot
from generator.enrich.store import read_store
from generator.errors import UserError
from tests.test_enrich_fakes import SNAPSHOT, FakeClock, Paper, paper, record


def run(snapshot: Path, store: Path, papers: list[Paper], pins: dict[str, str] | None = None) -> None:
    enrich(papers, ArxivSnapshot(snapshot), store, pins=pins, progress=False, clock=FakeClock())


def test_papers_are_found_by_title_with_the_snapshots_metadata(tmp_path: Path) -> None:
    papers = [paper("2504.00218", title="Agents Under Siege: Breaking Pragmatic Multi-Agent LLM Systems with "
                                        "Optimized Prompt Attacks"),
              paper("2506.09501"), paper("2503.12453"), paper("2509.21801"), paper("2505.17997"),
              paper("2504.06838")]  # not in the snapshot
    store = tmp_path / "papers.jsonl"
    run(SNAPSHOT, store, papers)
    got = [read_store(store)[p.key] for p in papers]
    assert [(r.status, r.arxiv) for r in got] == [("matched", "2504.00218"), ("matched", "2506.09501"),
                                                  ("matched", "2503.12453"), ("ambiguous", None),
                                                  ("matched", "2505.17997"), ("unmatched", None)]
    siege = got[0]
    assert siege.title == record("2504.00218")["title"]  # the line breaks of the bulk file gone
    assert siege.authors == tuple(record("2504.00218")["authors"])
    assert siege.categories == ("cs.MA", "cs.AI", "cs.CL", "cs.LG")
    assert (siege.source, siege.published, siege.updated) == ("arxiv-snapshot", date(2025, 4, 2), None)
    assert siege.query == ("title:agents under siege breaking pragmatic multi agent llm systems with optimized "
                           "prompt attacks")
    revised = got[1]
    assert (revised.published, revised.updated) == (date(2025, 6, 12), date(2025, 9, 22))
    assert (revised.doi, revised.journal_ref) == ("10.1234/example.2506.09501", "Example Proceedings 2025")
    assert got[2].authors == ("Edgar Heinert", "Thomas Gottwald", "Annika Mütze", "Matthias Rottmann")
    assert got[3].candidates == ("2509.21801", "2601.11002")


@pytest.mark.parametrize("suffix", [".gz", ".xz"])
def test_a_compressed_snapshot_gives_the_same_records(tmp_path: Path, suffix: str) -> None:
    packed = tmp_path / f"arxiv-metadata-oai-snapshot.json{suffix}"
    opener = gzip.open if suffix == ".gz" else lzma.open
    with SNAPSHOT.open("rb") as plain, opener(packed, "wb") as out:
        shutil.copyfileobj(plain, out)
    papers = [paper(i) for i in ("2504.00218", "2506.09501", "2509.21801", "2504.06838")]
    run(SNAPSHOT, tmp_path / "plain.jsonl", papers)
    run(packed, tmp_path / "packed.jsonl", papers)
    assert (tmp_path / "packed.jsonl").read_bytes() == (tmp_path / "plain.jsonl").read_bytes()


def test_pins_are_read_by_id_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[int] = []
    stream = ArxivSnapshot._papers

    def counted(self: ArxivSnapshot) -> Iterator[tuple[int, dict[str, Any]]]:
        passes.append(1)
        return stream(self)

    monkeypatch.setattr(ArxivSnapshot, "_papers", counted)
    papers = [paper("2509.21801"), paper("2510.06855"), paper("2506.07927"), paper("2509.08705")]
    pins = {papers[0].key: "2601.11002", papers[1].key: "2510.06855"}
    run(SNAPSHOT, tmp_path / "papers.jsonl", papers, pins)
    records = read_store(tmp_path / "papers.jsonl")
    assert [(records[p.key].status, records[p.key].arxiv, records[p.key].query) for p in papers] == [
        ("pinned", "2601.11002", "id:2601.11002"),
        ("pinned", "2510.06855", "id:2510.06855"),
        ("matched", "2506.07927", "title:solving inequality proofs with large language models"),
        ("matched", "2509.08705", "title:" + "one model two minds a context gated graph learner that recreates "
                                             "human biases"),
    ]
    assert len(passes) == 2  # one for the pins, one for every title


def test_a_corrupt_line_names_file_and_line(tmp_path: Path) -> None:
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "snapshot.json"
    broken.write_text("\n".join([*lines[:3], lines[3][:200], *lines[4:]]) + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=rf"^{broken}:4: not a JSON line of arXiv's snapshot"):
        run(broken, tmp_path / "papers.jsonl", [paper("2506.07927")])
    assert not (tmp_path / "papers.jsonl").exists()


def test_a_found_line_without_versions_names_file_and_line(tmp_path: Path) -> None:
    lines = [json.loads(line) for line in SNAPSHOT.read_text(encoding="utf-8").splitlines()]
    del lines[1]["versions"]  # 2506.07927
    broken = tmp_path / "snapshot.json"
    broken.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(UserError, match=rf"^{broken}:2: not a paper of arXiv's snapshot: KeyError\('versions'\)"):
        run(broken, tmp_path / "papers.jsonl", [paper("2506.07927")])

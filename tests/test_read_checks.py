"""Listings that look wrong: each is read right and reported, or refused naming file and line.

The decisions (README, "When a listing looks wrong"):

- an "abstract" holding further titles and abstracts after hidden line breaks: an error there;
  holding listing metadata and longer than arXiv's limit: an error; only very long: a warning,
  and the abstract is published verbatim (tests/test_security.py builds a 200 KB one);
- two listings with the same title and different abstracts: two papers, two pages, a warning;
- a site.yml date that contradicts the header: site.yml wins, a warning;
- a title that is a boilerplate line, or longer than any real title: read, a warning;
- a digest whose listing count does not fit its size: a warning.
Warnings are on the quality page and in the run summary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.read import read_digest
from generator.settings import Settings

from .conftest import run_generator

SETTINGS = Settings(boilerplate=frozenset({"new", "Subscribe", "Daily Papers"}))
ABSTRACT = ("We study a problem of some importance and find a simple answer that holds in practice. "
            "Experiments on three benchmarks agree with the theory, and the code is released. "
            "Further work may extend it to the other settings we list.")
HEADER = "new\n\nSubscribe\n\nNov 20, 2025\n\n"


def write(tmp_path: Path, text: str, name: str = "d.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def notices(path: Path, settings: Settings = SETTINGS) -> list[tuple[int | None, str]]:
    return [(n.line, n.text) for n in read_digest(path, settings).notices]


def test_papers_run_together_behind_hidden_line_breaks_are_an_error_on_their_line(tmp_path: Path) -> None:
    together = "\u2028".join([ABSTRACT, "Another Paper About Graphs", ABSTRACT.replace("problem", "graph problem")])
    path = write(tmp_path, HEADER + f"First Paper\n\n{together}\n\nLast Paper\n\n{ABSTRACT}\n")
    with pytest.raises(InputError) as caught:
        read_digest(path, SETTINGS)
    assert caught.value.line == 9
    assert "holds another title and abstract after a hidden line break ('Another Paper About Graphs')" in str(
        caught.value
    )


def test_a_hidden_line_break_inside_one_abstract_is_only_a_space(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + f"First Paper\n\n{ABSTRACT}\u2028{ABSTRACT}\n")
    (listing,) = read_digest(path, SETTINGS).listings
    assert listing.abstract == f"{ABSTRACT} {ABSTRACT}"


def test_listing_metadata_inside_a_too_long_abstract_is_an_error(tmp_path: Path) -> None:
    inside = (ABSTRACT + " ") * 11 + "Next Paper  • 4 authors · Jun 2 " + ABSTRACT
    path = write(tmp_path, HEADER + f"First Paper\n\n{inside}\n")
    with pytest.raises(InputError, match=r"d\.txt:9: the abstract of 'First Paper' \(2,\d\d\d characters\) holds "
                                         r"listing metadata \('• 4 authors ·'\): several papers ran together"):
        read_digest(path, SETTINGS)


def test_an_abstract_far_beyond_the_arxiv_limit_is_read_verbatim_and_reported(tmp_path: Path) -> None:
    long = " ".join([ABSTRACT] * 40)  # 6,600 characters, nothing in it like a further title
    path = write(tmp_path, HEADER + f"First Paper\n\n{long}\n")
    (listing,) = read_digest(path, SETTINGS).listings
    assert listing.abstract == long
    assert (9, f"the abstract of 'First Paper' has {len(long):,} characters, far beyond arXiv's 1,920: read as one "
               "abstract (nothing in it looks like a further title)") in notices(path)


def test_a_title_like_a_boilerplate_line_or_longer_than_any_real_title_is_read_and_reported(tmp_path: Path) -> None:
    long_title = "A Study of " + "Very " * 70 + "Long Titles"
    path = write(tmp_path, HEADER + f"Daily Papers\n\n{ABSTRACT}\n\n{long_title}\n\n{ABSTRACT}\n")
    assert [x.title for x in read_digest(path, SETTINGS).listings] == ["Daily Papers", long_title]
    found = notices(path)
    assert found[0] == (7, "the title 'Daily Papers' is also a boilerplate line of site.yml: read as a paper, since "
                           "an abstract follows it")
    assert found[1][0] == 11 and found[1][1].startswith(f"a title of {len(long_title)} characters, longer than any")


def test_a_listing_count_that_does_not_fit_the_size_is_reported(tmp_path: Path) -> None:
    huge = "Huge abstract words here. " * 400  # one listing of 10 KB where real ones hold 1.3-1.7 KB
    path = write(tmp_path, HEADER + f"Only Paper\n\n{huge}\n")
    assert any(line is None and text.startswith("10,") and "bytes for 1 listing" in text
               for line, text in notices(path))


def test_a_site_yml_date_that_contradicts_the_header_wins_and_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + f"P\n\n{ABSTRACT}\n", name="x.txt")
    settings = Settings(boilerplate=SETTINGS.boilerplate, digest_dates={"x": date(2025, 11, 21)},
                        digest_date_lines={"x": 40})
    digest = read_digest(path, settings)
    assert (digest.date, digest.date_source) == (date(2025, 11, 21), "site.yml, line 40")
    assert notices(path, settings) == [(5, "site.yml (line 40) dates the digest 2025-11-21, but its header says "
                                           "'Nov 20, 2025': site.yml wins")]


def test_the_same_title_with_two_abstracts_is_two_pages_and_a_warning_in_summary_and_quality_page(
    make_project: Callable[[dict[str, str | bytes]], Path]
) -> None:
    other = ("An unrelated method for colouring planar graphs in linear time, with a proof that it is "
             "optimal and an implementation that colours a million vertices in a second, released with a "
             "benchmark of road networks and a study of when greedy colourings fail.")
    project = make_project({
        "2025-11-20.txt": f"Scaling Laws Revisited\n\n{ABSTRACT}\n",
        "2025-11-21.txt": f"Scaling laws revisited\n\n{other}\n",
    })
    done = run_generator(project, "build")
    assert done.returncode == 0, done.stderr
    assert ("warning: docs/papers/: 2 different papers share the title 'Scaling Laws Revisited' (different "
            "abstracts): scaling-laws-revisited, scaling-laws-revisited-") in done.stdout
    pages = sorted(p.name for p in (project / "docs" / "papers").glob("scaling-laws-revisited*.md"))
    assert len(pages) == 2
    texts = [(project / "docs" / "papers" / name).read_text(encoding="utf-8") for name in pages]
    assert any(ABSTRACT in t for t in texts) and any(other in t for t in texts)
    quality = (project / "docs" / "quality.md").read_text(encoding="utf-8")
    shared = quality.split("## Titles shared by different papers")[1].split("##")[0]
    assert "(papers/scaling-laws-revisited.md)" in shared and "(papers/scaling-laws-revisited-" in shared


def test_reader_warnings_reach_the_run_summary_and_the_quality_page(
    make_project: Callable[[dict[str, str | bytes]], Path]
) -> None:
    project = make_project({"2025-11-20.txt": f"Latest Papers For You\n\nSubscribeFirst Paper\n\n{ABSTRACT}\n"})
    done = run_generator(project, "build")
    assert done.returncode == 0, done.stderr
    assert ("warning: digests/2025-11-20.txt:1: skipped the header line 'Latest Papers For You' (not a boilerplate "
            "line of site.yml)") in done.stdout
    split = "warning: digests/2025-11-20.txt:3: split the boilerplate word 'Subscribe' off the first title"
    assert split in done.stdout
    quality = (project / "docs" / "quality.md").read_text(encoding="utf-8")
    warnings = quality.split("## Reader warnings")[1].split("##")[0]
    assert "- `2025-11-20.txt`, line 1: skipped the header line 'Latest Papers For You'" in warnings
    again = run_generator(project, "build")  # the no-op run reports the same, from its record
    assert "Nothing to write" in again.stdout and "warning: digests/2025-11-20.txt:1:" in again.stdout

"""The digest reader on every layout of the real digests, and on input it must refuse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.read import read_digest, read_digests
from generator.settings import Settings, load_settings

from .conftest import ROOT

SETTINGS = Settings(
    boilerplate=frozenset({"new", "Subscribe", "Daily Papers", "byAK and the research community",
                           "Get trending papers in your email inbox!"}),
)
ABSTRACT = "We study a problem of some importance. " * 3
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"


def digest(tmp_path: Path, text: str | bytes, name: str = "d.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_real_digests_hold_249_listings() -> None:
    digests = read_digests(ROOT / "digests", load_settings(ROOT / "site.yml"))
    assert [len(d.listings) for d in digests] == [81, 64, 104]
    assert [d.date for d in digests] == [date(2025, 3, 11), date(2025, 3, 14), date(2025, 11, 20)]
    first = digests[-1].listings[0]
    assert first.title.startswith("h-calibration: Rethinking Classifier Recalibration")
    assert (first.author_count, first.published, first.published_year_inferred) == (6, date(2025, 6, 22), True)


def test_layout_without_metadata(tmp_path: Path) -> None:
    path = digest(tmp_path, HEADER + f"Mar 14, 2025\n\nFirst Paper\n\n{ABSTRACT}\n\nSecond Paper\n\n{ABSTRACT}\n")
    d = read_digest(path, SETTINGS)
    assert d.date == date(2025, 3, 14)
    assert [(lst.title, lst.line, lst.published, lst.upvotes) for lst in d.listings] == [
        ("First Paper", 11, None, None),
        ("Second Paper", 15, None, None),
    ]


def test_metadata_block_with_year_without_year_and_upvotes(tmp_path: Path) -> None:
    text = (
        HEADER + "Daily Papers\n\nNov 20, 2025\n\n"
        f"A\n\n{ABSTRACT}\n\n  • 6 authors\n·\nJun 22, 2024\n\n"
        f"B\n\n{ABSTRACT}\n\n  • 1 authors\n·\nMay 25 2\n\n"
        f"C\n\n{ABSTRACT}\n\n  • 3 authors\n·\nDec 9\n\n"
        f"D\n\n{ABSTRACT}\n"
    )
    listings = read_digest(digest(tmp_path, text), SETTINGS).listings
    assert [(x.title, x.author_count, x.published, x.published_year_inferred, x.upvotes) for x in listings] == [
        ("A", 6, date(2024, 6, 22), False, None),
        ("B", 1, date(2025, 5, 25), True, 2),
        # Dec 9 is later in the year than the digest's Nov 20: it belongs to the year before.
        ("C", 3, date(2024, 12, 9), True, None),
        ("D", None, None, False, None),
    ]


@pytest.mark.parametrize("abstract", ["新的方法。", "短い要旨！", 'We say "it works."', "We show it (briefly)."])
def test_a_short_abstract_ending_in_any_full_stop_is_an_abstract(tmp_path: Path, abstract: str) -> None:
    path = digest(tmp_path, HEADER + f"Mar 14, 2025\n\nA Paper\n\n{abstract}\n\nNext Paper\n\n{ABSTRACT}\n")
    listings = read_digest(path, SETTINGS).listings
    assert [(lst.title, lst.abstract) for lst in listings] == [("A Paper", abstract), ("Next Paper", ABSTRACT.strip())]


def test_windows_line_endings_and_hidden_line_breaks(tmp_path: Path) -> None:
    # NEL, LS and PS inside a title must not split the record (str.splitlines() would).
    text = HEADER + "Mar 1, 2025\n\nTitle\x85with\u2028hidden\u2029breaks\n\n" + ABSTRACT + "\n"
    d = read_digest(digest(tmp_path, text.replace("\n", "\r\n")), SETTINGS)
    assert [x.title for x in d.listings] == ["Title with hidden breaks"]


def test_site_yml_date_wins_over_header(tmp_path: Path) -> None:
    path = digest(tmp_path, HEADER + f"Mar 14\n\nT\n\n{ABSTRACT}\n", name="x.txt")
    settings = Settings(boilerplate=SETTINGS.boilerplate, digest_dates={"x": date(2024, 3, 14)})
    assert read_digest(path, settings).date == date(2024, 3, 14)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("", 1, "the file is empty"),
        ("\n \n\n", 1, "the file is empty"),
        (HEADER + "Mar 14\n\nT\n\n" + ABSTRACT, 9, "has no year"),
        (HEADER + "T\n\n" + ABSTRACT, 1, "no digest date"),
        (HEADER + "Mar 1, 2025\n\nOnly a title\n", 11, "has no abstract"),
        (HEADER + "Mar 1, 2025\n\nT1\n\nT2\n\n" + ABSTRACT, 11, "has no abstract"),
        (HEADER + "Mar 1, 2025\n\nT1\n\n  • 2 authors\n·\nJun 1\n", 11, "has no abstract"),
        (HEADER + "Mar 1, 2025\n\n  • 2 authors\n·\nJun 1\n", 11, "where a title was expected"),
        (HEADER + "Mar 1, 2025\n\nT\n\n" + ABSTRACT + "\n\n  • 2 authors\n·\n5 stars\n", 17, "unreadable paper"),
        (HEADER + "Mar 1, 2025\n\nT\n\n" + ABSTRACT + "\n\n  • 2 authors\n·\nFeb 30, 2024\n", 17, "not a valid date"),
        (HEADER + "Mar 1, 2025\n", 9, "no papers found"),
    ],
)
def test_unreadable_layouts_name_file_and_line(tmp_path: Path, text: str, line: int, expected: str) -> None:
    path = digest(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_digest(path, SETTINGS)
    assert caught.value.line == line
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"{path}:")


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    path = digest(tmp_path, (HEADER + "Mar 1, 2025\n\nT\n\n").encode() + b"caf\xe9 au lait\n")
    with pytest.raises(InputError, match=r"d\.txt:13: not UTF-8 text \(byte 0xe9\)"):
        read_digest(path, SETTINGS)


def test_no_digest_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no digest found"):
        read_digests(tmp_path, SETTINGS)

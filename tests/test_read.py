"""The digest reader: the grammar on small digests, and the input it must refuse (with the file
and the line where the problem starts). Layout variants of the real digests: test_layouts.py;
unusual listings: test_read_checks.py; digest dates: test_read_dates.py."""

from __future__ import annotations

from collections.abc import Callable
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


def built(day: date) -> Callable[[Path], tuple[date, str]]:
    """A `first_built` for tests: every digest first built on `day`."""
    return lambda _path: (day, "a test")


def digest(tmp_path: Path, text: str | bytes, name: str = "d.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_real_digests_in_date_order() -> None:
    digests = read_digests(ROOT / "digests", load_settings(ROOT / "site.yml"), first_built=built(date(2026, 11, 30)))
    assert [(d.id[:3], len(d.listings)) for d in digests] == [("001", 81), ("000", 64), ("003", 104), ("004", 64),
                                                              ("002", 243)]
    assert [d.date for d in digests] == [date(2025, 3, 11), date(2025, 3, 14), date(2025, 11, 20),
                                         date(2026, 3, 14), date(2026, 11, 30)]
    first = digests[2].listings[0]
    assert first.title.startswith("h-calibration: Rethinking Classifier Recalibration")
    assert (first.author_count, first.published, first.published_year_inferred) == (6, date(2025, 6, 22), True)
    glued = digests[-1].listings[0]
    assert glued.title == "On Pre-Training for Visuo-Motor Control: Revisiting a Learning-from-Scratch Baseline"
    assert (glued.line, glued.abstract[:40]) == (3, "In this paper, we examine the effectiven")


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


def test_authors_and_their_separator_on_one_line(tmp_path: Path) -> None:
    """The page shows "• 6 authors · Jun 22" on one line; a copy may keep the separator on the
    authors' line. It is that paper's metadata, not the title of a paper with no abstract."""
    text = HEADER + f"Nov 20, 2025\n\nA\n\n{ABSTRACT}\n\n  • 6 authors ·\nJun 22, 2024\n\nB\n\n{ABSTRACT}\n"
    listings = read_digest(digest(tmp_path, text), SETTINGS).listings
    assert [(x.title, x.author_count, x.published) for x in listings] == [
        ("A", 6, date(2024, 6, 22)), ("B", None, None)
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


def test_without_blank_lines_a_missing_abstract_is_found_where_it_is(tmp_path: Path) -> None:
    """Lines are not paired blindly: with one abstract missing, every later title would become
    an abstract. The error names the title that lost its abstract."""
    papers = [(f"Paper Number {n}", f"We study problem {n} and find that it is hard. " * 4) for n in range(1, 7)]
    lines = ["Mar 1, 2025"] + [line for title, text in papers for line in (title, text.strip())]
    del lines[6]  # the abstract of Paper Number 3
    with pytest.raises(InputError) as caught:
        read_digest(digest(tmp_path, "\n".join(lines)), SETTINGS)
    assert caught.value.line == 6 and "the title 'Paper Number 3' has no abstract" in str(caught.value)


def test_two_compensating_mistakes_are_not_read_as_shifted_papers(tmp_path: Path) -> None:
    """A lost abstract and, later, a lost title leave an even count of lines: still an error, at
    the first, rather than titles read as abstracts in between."""
    papers = [(f"Paper Number {n}", f"We study problem {n} and find that it is hard. " * 4) for n in range(1, 7)]
    lines = ["Mar 1, 2025"] + [line for title, text in papers for line in (title, text.strip())]
    del lines[9]  # the title of Paper Number 5
    del lines[6]  # the abstract of Paper Number 3
    with pytest.raises(InputError) as caught:
        read_digest(digest(tmp_path, "\n".join(lines)), SETTINGS)
    assert caught.value.line == 6 and "'Paper Number 3' has no abstract" in str(caught.value)


def test_an_error_quotes_at_most_one_line_cut_short(tmp_path: Path) -> None:
    huge = "An abstract sentence that goes on. " * 6000
    with pytest.raises(InputError) as caught:
        read_digest(digest(tmp_path, HEADER + f"Mar 1, 2025\n\n{huge}\n\nT\n\n{ABSTRACT}\n"), SETTINGS)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400 and caught.value.line == 11
    assert repr(huge[:79] + "…") in message


def test_a_short_abstract_without_a_full_stop_is_still_an_abstract(tmp_path: Path) -> None:
    text = "Mar 1, 2025\nFirst Paper\nWe propose a method\nSecond Paper\n" + ABSTRACT + "\n"
    listings = read_digest(digest(tmp_path, text), SETTINGS).listings
    assert [(x.title, x.abstract) for x in listings] == [("First Paper", "We propose a method"),
                                                        ("Second Paper", ABSTRACT.strip())]


def test_a_first_paper_titled_like_a_boilerplate_line_is_a_paper(tmp_path: Path) -> None:
    d = read_digest(digest(tmp_path, HEADER + f"Mar 1, 2025\n\nDaily Papers\n\n{ABSTRACT}\n\nT2\n\n{ABSTRACT}\n"),
                    SETTINGS)
    assert [x.title for x in d.listings] == ["Daily Papers", "T2"]
    assert [(n.line, n.text[:28]) for n in d.notices] == [(11, "the title 'Daily Papers' is ")]


def test_unknown_header_lines_are_skipped_and_a_glued_boilerplate_word_split_off(tmp_path: Path) -> None:
    text = "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n" \
           f"SubscribeOn Pre-Training for Control\n{ABSTRACT}\nSecond Paper\n{ABSTRACT}\n"
    d = read_digest(digest(tmp_path, text), SETTINGS, first_built=built(date(2025, 5, 1)))
    assert [x.title for x in d.listings] == ["On Pre-Training for Control", "Second Paper"]
    assert [n.line for n in d.notices] == [1, 3]
    assert "skipped the header line 'Get trending papers in your email inbox once a day!'" in d.notices[0].text
    assert "split the boilerplate word 'Subscribe' off the first title" in d.notices[1].text


def test_lines_end_as_the_file_says_and_never_at_a_hidden_separator(tmp_path: Path) -> None:
    body = HEADER + "Mar 1, 2025\n\nTitle\x0cwith\u2028hidden\u0085breaks\n\n" + ABSTRACT + "\n"
    for line_end in ("\n", "\r\n", "\r"):
        d = read_digest(digest(tmp_path, body.replace("\n", line_end)), SETTINGS)
        assert [(x.title, x.line) for x in d.listings] == [("Title with hidden breaks", 11)], repr(line_end)
    stray = HEADER + "Mar 1, 2025\n\nTitle with a stray\rreturn\n\n" + ABSTRACT + "\n"  # LF file, one CR
    assert read_digest(digest(tmp_path, stray), SETTINGS).listings[0].title == "Title with a stray return"


def test_an_html_copy_is_decoded_once_and_plain_text_never(tmp_path: Path) -> None:
    copy = "Mar 1, 2025<br>\nR&amp;D for &#39;Robots&#39; &amp;lt;3<br>\n" + ABSTRACT + "<br>\n"
    listing = read_digest(digest(tmp_path, copy), SETTINGS).listings[0]
    assert listing.title == "R&D for 'Robots' &lt;3"  # &amp;lt; is the text "&lt;", not "<"
    plain = "Mar 1, 2025\nAT&T &amp; the <br> tag\n" + ABSTRACT + "\n"  # a bare & : not an HTML copy
    assert read_digest(digest(tmp_path, plain), SETTINGS).listings[0].title == "AT&T &amp; the <br> tag"


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("", 1, "the file is empty"),
        ("\n \n\n", 1, "the file is empty"),
        ("\u200b\n\u2060\n", 1, "the file is empty"),  # zero-width characters only
        (HEADER + "Mar 1, 2025\n\nOnly a title\n", 11, "the title 'Only a title' has no abstract: the file ends"),
        (HEADER + "Mar 1, 2025\n\nT1\n\nT2\n\n" + ABSTRACT, 11, "the title 'T1' has no abstract: the next line"),
        (HEADER + "Mar 1, 2025\n\nT1\n\n  • 2 authors\n·\nJun 1\n", 11, "'T1' has no abstract: metadata follows"),
        (HEADER + "Mar 1, 2025\n\n  • 2 authors\n·\nJun 1\n", 11, "where a title was expected"),
        (HEADER + "Mar 1, 2025\n\nT\n\n" + ABSTRACT + "\n\n  • 2 authors\n·\n5 stars\n", 17, "'5 stars' has no"),
        (HEADER + "Mar 1, 2025\n\nT\n\n" + ABSTRACT + "\n\n  • 2 authors\n·\nFeb 30, 2024\n", 17, "not a valid date"),
        (HEADER + "Mar 1, 2025\n", 9, "no papers found"),
        # metadata twice for one paper: the title and abstract between them are missing
        (HEADER + "Mar 1, 2025\n\nT\n\n" + ABSTRACT + "\n  • 2 authors\n·\nJun 1\n  • 3 authors\n·\nJun 2\n", 17,
         "gives metadata that the paper 'T' already has"),
        # an abstract where a title is due (a second paragraph, or a lost title)
        (HEADER + "Mar 1, 2025\n\nT\n\n" + ABSTRACT + "\n\n" + ABSTRACT + "\n", 15, "but reads as an abstract"),
        # after the header's date, an abstract without its title
        (HEADER + "Mar 1, 2025\n\n" + ABSTRACT + "\n\nT\n\n" + ABSTRACT, 11, "but reads as an abstract: is its title"),
        # an unknown line after the header's date is no header line: a title without abstract
        (HEADER + "Mar 1, 2025\n\nTrending now\n\nT\n\n" + ABSTRACT, 11, "the title 'Trending now' has no abstract"),
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

"""The three-way merge of one page: one-sided changes taken, both-sided ones keep the curator's."""

from __future__ import annotations

import pytest

from generator.errors import UserError
from generator.merge import BODY, merge_page, split_page

BASE = "---\ntitle: Old\nupvotes: 1\ntags:\n- Optimization\n---\nThe abstract.\n"


def page(front: str, body: str = "The abstract.\n") -> str:
    return f"---\n{front}---\n{body}"


def test_curator_fields_survive_and_untouched_fields_update() -> None:
    ours = page("title: Pinned\nupvotes: 1\ntags:\n- Optimization\n- Reasoning\nnote: mine\n")
    theirs = page("title: Old\nupvotes: 7\ntags:\n- Optimization\n")
    merged = merge_page(BASE, ours, theirs, "docs/p.md")
    meta = split_page(merged.text, "x").meta
    assert meta == {"title": "Pinned", "upvotes": 7, "tags": ["Optimization", "Reasoning"], "note": "mine"}
    assert merged.conflicts == ()


def test_both_changed_keeps_ours_and_reports_the_field() -> None:
    ours = page("title: Old\nupvotes: 99\ntags:\n- Optimization\n")
    theirs = page("title: Old\nupvotes: 7\ntags:\n- Optimization\n")
    merged = merge_page(BASE, ours, theirs, "docs/p.md")
    assert split_page(merged.text, "x").meta["upvotes"] == 99
    assert merged.conflicts == ("upvotes",)
    assert "<<<<<<<" not in merged.text and ">>>>>>>" not in merged.text


def test_body_blocks_merge_and_added_paragraph_survives() -> None:
    base = page("title: T\n", "First.\n\nSecond.\n\nThird.\n\nLinks.\n")
    ours = page("title: T\n", "First, edited by hand.\n\nSecond.\n\nThird.\n\nLinks.\n\nA curator's note.\n")
    theirs = page("title: T\n", "First.\n\nSecond.\n\nThird, from a new digest.\n\nLinks.\n")
    merged = merge_page(base, ours, theirs, "docs/p.md")
    assert merged.text.endswith(
        "---\nFirst, edited by hand.\n\nSecond.\n\nThird, from a new digest.\n\nLinks.\n\nA curator's note.\n"
    )
    assert merged.conflicts == ()


def test_note_appended_after_an_abstract_a_new_digest_changed() -> None:
    base = page("title: T\n", "Abstract.\n")
    ours = page("title: T\n", "Abstract.\n\nA curator's note.\n")
    theirs = page("title: T\n", "A longer abstract.\n")
    merged = merge_page(base, ours, theirs, "docs/p.md")
    assert merged.text.endswith("---\nA longer abstract.\n\nA curator's note.\n") and merged.conflicts == ()


def test_body_conflict_keeps_the_curators_paragraph() -> None:
    base = page("title: T\n", "Abstract.\n")
    merged = merge_page(base, page("title: T\n", "Mine.\n"), page("title: T\n", "Theirs.\n"), "d/p.md")
    assert merged.text.endswith("---\nMine.\n") and merged.conflicts == (BODY,)


def test_untouched_front_matter_is_kept_byte_for_byte() -> None:
    ours = "---\n# a curator's comment\ntitle:   Old\nupvotes: 1\ntags: [Optimization]\n---\nThe abstract.\n\nNote.\n"
    merged = merge_page(BASE, ours, BASE, "docs/p.md")
    assert merged.text == ours


@pytest.mark.parametrize("broken", ["---\ntitle: [unclosed\n---\nx\n", "---\n- a list\n---\nx\n", "---\ntitle: x\n"])
def test_front_matter_that_does_not_parse_is_refused_naming_the_page(broken: str) -> None:
    with pytest.raises(UserError, match=r"docs/papers/p\.md"):
        merge_page(BASE, broken, BASE.replace("Old", "New"), "docs/papers/p.md")

"""The three-way merge of one page: one-sided changes taken, both-sided ones keep the curator's."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from merge3 import Merge3

from generator.errors import UserError
from generator.front_matter import read_page
from generator.write.diff3 import merge_regions
from generator.write.merge import BODY, merge_page

BASE = "---\ntitle: Old\nupvotes: 1\ntags:\n- Optimization\n---\nThe abstract.\n"


def page(front: str, body: str = "The abstract.\n") -> str:
    return f"---\n{front}---\n{body}"


def test_curator_fields_survive_and_untouched_fields_update() -> None:
    ours = page("title: Pinned\nupvotes: 1\ntags:\n- Optimization\n- Reasoning\nnote: mine\n")
    theirs = page("title: Old\nupvotes: 7\ntags:\n- Optimization\n")
    merged = merge_page(BASE, ours, theirs, "docs/p.md")
    meta = read_page("x", merged.text).meta
    assert meta == {"title": "Pinned", "upvotes": 7, "tags": ["Optimization", "Reasoning"], "note": "mine"}
    assert merged.conflicts == ()


def test_both_changed_keeps_ours_and_reports_the_field() -> None:
    ours = page("title: Old\nupvotes: 99\ntags:\n- Optimization\n")
    theirs = page("title: Old\nupvotes: 7\ntags:\n- Optimization\n")
    merged = merge_page(BASE, ours, theirs, "docs/p.md")
    assert read_page("x", merged.text).meta["upvotes"] == 99
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


# diff3 (generator/write/diff3.py) against merge3, the library it replaces (GPL, a test
# dependency only): the same regions on random edits of a random base.
_ITEMS = st.sampled_from("abcdefxyz")


@st.composite
def _edited(draw: st.DrawFn, base: list[str]) -> list[str]:
    edited = list(base)
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.integers(0, len(edited)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        if op == "insert":
            edited.insert(where, draw(_ITEMS))
        elif edited and where < len(edited):
            if op == "delete":
                del edited[where]
            else:
                edited[where] = draw(_ITEMS)
    return edited


@settings(max_examples=3000, deadline=None)
@given(st.data())
def test_diff3_finds_the_regions_merge3_finds(data: st.DataObject) -> None:
    base = data.draw(st.lists(_ITEMS, max_size=9))
    a, b = data.draw(_edited(base)), data.draw(_edited(base))
    ours = [(r.kind, r.base, r.a, r.b) if r.kind == "conflict" else (r.kind, r.merged)
            for r in merge_regions(base, a, b)]
    theirs = [tuple(list(part) if isinstance(part, (list, tuple)) else part for part in group)
              for group in Merge3(base, a, b).merge_groups()]
    assert ours == theirs

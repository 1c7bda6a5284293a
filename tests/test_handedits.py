"""Hand edits survive every rebuild: scripted scenarios and a property test over random histories."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import frontmatter
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import Paths, build, check
from generator.errors import UserError
from generator.search.index import index_site

from .conftest import copy_project, mkdocs_build
from .pagefind_index import indexed_pages

MOE = "Scaling Large Language Models with Sparse Experts"
MOE_PAGE = "papers/scaling-large-language-models-with-sparse-experts.md"


def digest(day: int, papers: list[tuple[str, int]]) -> str:
    """A small digest of Nov `day`, 2025 listing (title, upvotes)."""
    parts = ["Daily Papers", f"Nov {day}, 2025"]
    for title, upvotes in papers:
        parts += [title, f"The abstract of {title}, about language models and optimization.",
                  "  • 3 authors\n·\nMay 25 " + str(upvotes)]
    return "\n\n".join(parts) + "\n"


def paths(project: Path) -> Paths:
    return Paths(project / "digests", project / "docs", project / ".generator",
                 project / "topics.yml", project / "site.yml")


def settle(project: Path) -> None:
    """Let time pass, then build: every file is older than the record, which vouches for it, so
    the runs after this compare pages with their generated copies by stat (fingerprint.py)."""
    past = time.time_ns() - 10_000_000_000
    for path in project.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(past, past))
    build(paths(project))


def meta(project: Path, rel: str) -> dict[str, object]:
    return dict(frontmatter.load(project / "docs" / rel).metadata)


def edit(project: Path, rel: str, change: Callable[[str], str]) -> None:
    page = project / "docs" / rel
    page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "p", digests=None)
    (project / "digests").mkdir()
    (project / "digests" / "001.txt").write_text(digest(20, [(MOE, 5), ("Other Paper on Reasoning", 1)]))
    build(paths(project))
    return project


def test_every_hand_edit_survives_a_new_digest_and_upvotes_update(project: Path) -> None:
    edit(project, MOE_PAGE, lambda t: t.replace("The abstract of", "A curator's better summary of")
         .replace(f"title: {MOE}", "title: Sparse Experts (pinned)")
         .replace("tags:\n", "tags:\n- Reasoning and mathematics\n")
         .rstrip("\n") + "\n\n**Note:** the code release is incomplete.\n")
    assert meta(project, MOE_PAGE)["upvotes"] == 5
    (project / "digests" / "002.txt").write_text(digest(21, [(MOE, 42), ("Third Paper", 3)]))
    summary = build(paths(project))
    text = (project / "docs" / MOE_PAGE).read_text()
    fields = meta(project, MOE_PAGE)
    assert "A curator's better summary of" in text
    assert text.endswith("**Note:** the code release is incomplete.\n")
    assert fields["title"] == "Sparse Experts (pinned)"
    assert "Reasoning and mathematics" in fields["tags"]  # type: ignore[operator]
    assert fields["upvotes"] == 42 and fields["digests"] == ["2025-11-20", "2025-11-21"]
    assert summary.report.conflicts == []
    # the URL did not change with the title, and listings show the pinned title and the curator's tag
    assert (project / "docs/papers/third-paper.md").exists()
    assert "Sparse Experts (pinned)" in (project / "docs/topics/reasoning.md").read_text()
    assert check(paths(project)) == []


def test_both_sides_changed_keeps_the_curators_value_and_reports_it(project: Path) -> None:
    edit(project, MOE_PAGE, lambda t: t.replace("upvotes: 5", "upvotes: 1000"))
    (project / "digests" / "002.txt").write_text(digest(21, [(MOE, 42)]))
    report = build(paths(project)).report
    assert meta(project, MOE_PAGE)["upvotes"] == 1000
    assert [(c.page, c.field) for c in report.conflicts] == [(MOE_PAGE, "upvotes")]
    assert "<<<<" not in (project / "docs" / MOE_PAGE).read_text()
    assert check(paths(project)) == []


def test_a_page_without_state_is_reported_until_kept_or_adopted(project: Path) -> None:
    """No record of what the generator wrote: nobody knows which differences are hand edits,
    so the page is neither overwritten nor silently frozen: every run and check report it."""
    edit(project, MOE_PAGE, lambda t: t + "\nHand-made.\n")
    (project / ".generator/pages" / MOE_PAGE).unlink()
    (project / "digests" / "002.txt").write_text(digest(21, [(MOE, 42)]))
    before = (project / "docs" / MOE_PAGE).read_text()
    for _ in range(2):
        report = build(paths(project)).report
        assert (project / "docs" / MOE_PAGE).read_text() == before and report.unresolved == [MOE_PAGE]
    assert any("unresolved" in line for line in check(paths(project)))
    report = build(paths(project), resolve={MOE_PAGE: "keep"}).report
    assert MOE_PAGE in report.kept and (project / "docs" / MOE_PAGE).read_text() == before
    assert check(paths(project)) == []
    # Kept: every difference is now a hand edit (the stale upvotes too), merged and reported as such.
    (project / "digests" / "003.txt").write_text(digest(22, [(MOE, 77)]))
    report = build(paths(project)).report
    assert "Hand-made." in (project / "docs" / MOE_PAGE).read_text()
    assert (MOE_PAGE, "upvotes") in [(c.page, c.field) for c in report.conflicts]
    (project / ".generator/pages" / MOE_PAGE).unlink()
    assert build(paths(project)).report.unresolved == [MOE_PAGE]
    report = build(paths(project), resolve={"*": "adopt"}).report
    assert report.unresolved == [] and "Hand-made." not in (project / "docs" / MOE_PAGE).read_text()
    assert check(paths(project)) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("title:", "title: [broken"), "docs/papers/scaling-large-language-models-with-sparse"),
        (lambda t: t.replace("tags:\n", "tags:\n- Not A Topic\n"), "tag 'Not A Topic' is not a topic in topics.yml"),
    ],
)
def test_bad_hand_edit_is_refused_naming_the_page(
    project: Path, change: Callable[[str], str], message: str
) -> None:
    edit(project, MOE_PAGE, change)
    (project / "digests" / "002.txt").write_text(digest(21, [(MOE, 42)]))
    with pytest.raises(UserError, match=message):
        build(paths(project))
    assert not (project / "docs/digests/2025-11-21.md").exists()


def test_broken_front_matter_on_any_edited_page_is_refused(project: Path) -> None:
    edit(project, "topics/reasoning.md", lambda t: t.replace("title: Reasoning", "title: 'Reasoning"))
    with pytest.raises(UserError, match=r"topics/reasoning\.md"):
        build(paths(project))


def test_recorded_slug_survives_a_digest_that_sorts_first(project: Path) -> None:
    # A new digest sorting before the first one lists a different paper with the same slug text.
    newcomer_title = "Scaling large language models with sparse experts!"
    (project / "digests" / "000.txt").write_text(digest(19, [(newcomer_title, 9)]))
    build(paths(project))
    slugs = json.loads((project / ".generator/slugs.json").read_text())
    assert meta(project, MOE_PAGE)["title"] == MOE  # the published URL still shows the same paper
    newcomer = [s for s in slugs.values() if s.startswith("scaling-") and s != MOE_PAGE[7:-3]]
    assert len(newcomer) == 1 and (project / f"docs/papers/{newcomer[0]}.md").exists()


def test_hidden_page_and_renamed_slug_in_the_built_site(project: Path) -> None:
    edit(project, MOE_PAGE, lambda t: t.replace("template: paper.html", "template: paper.html\nslug: sparse-experts"))
    build(paths(project))
    other = "papers/other-paper-on-reasoning.md"
    edit(project, other, lambda t: t.replace("template: paper.html", "template: paper.html\nhidden: true"))
    build(paths(project))
    assert check(paths(project)) == []
    site = mkdocs_build(project)
    assert (site / "papers/sparse-experts/index.html").exists()
    redirect = (site / "papers/scaling-large-language-models-with-sparse-experts/index.html").read_text()
    assert "sparse-experts/" in redirect and "refresh" in redirect
    assert not (site / "papers/other-paper-on-reasoning").exists()
    index_site(site)
    assert all("Other Paper on Reasoning" not in str(record) for record in indexed_pages(site))
    assert "Other Paper on Reasoning" not in (site / "index.html").read_text()
    assert (project / "docs" / other).exists()  # kept on disk, not recreated, not published


TITLES = ["Alpha Models", "Beta Optimizers", "Gamma Reasoning", "Delta Agents"]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("digest"), st.lists(st.tuples(st.sampled_from(TITLES), st.integers(0, 99)), min_size=1,
                                              max_size=3, unique_by=lambda x: x[0])),
        st.tuples(st.sampled_from(["note", "field", "title"]), st.sampled_from(TITLES)),
        st.tuples(st.just("delete"), st.integers(0, 5)),
        st.tuples(st.sampled_from(["build", "settle"]), st.none()),
    ),
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=steps)
def test_random_histories_never_lose_an_edit(tmp_path: Path, history: list[tuple[str, object]]) -> None:
    project = tmp_path / "h"
    shutil.rmtree(project, ignore_errors=True)
    copy_project(project, digests=None)
    (project / "digests").mkdir()
    (project / "digests" / "000.txt").write_text(digest(1, [(TITLES[0], 1)]))
    build(paths(project))
    notes: dict[str, str] = {}  # page -> the note a curator added
    fields: dict[tuple[str, str], str] = {}  # (page, field) -> the value a curator set
    for n, (kind, arg) in enumerate(history):
        rel = f"papers/{str(arg).lower().replace(' ', '-')}.md"
        exists = (project / "docs" / rel).exists()
        if kind == "digest":
            (project / "digests" / f"{n + 1:03}.txt").write_text(digest(n + 2, arg))  # type: ignore[arg-type]
        elif kind == "note" and exists:
            note = notes[rel] = f"Curator note {n}."
            edit(project, rel, lambda t: t.rstrip("\n") + f"\n\n{note}\n")  # noqa: B023
        elif kind in ("field", "title") and exists:
            name = "title" if kind == "title" else "remark"
            value = fields[rel, name] = f"Set by hand {n}"
            edit(project, rel, lambda t: _set_field(t, name, value))  # noqa: B023
        elif kind == "delete":
            files = sorted((project / "digests").glob("*.txt"))
            if len(files) > 1:
                files[int(arg) % len(files)].unlink()  # type: ignore[call-overload]
        else:  # a build (also for an edit of a page that does not exist)
            if kind == "settle":
                settle(project)
            else:
                build(paths(project))
            assert check(paths(project)) == []
            assert build(paths(project)).report.written == []  # deterministic: a second run writes nothing
        for rel, note in notes.items():
            assert note in (project / "docs" / rel).read_text(), (rel, history)
        for (rel, name), value in fields.items():
            assert meta(project, rel)[name] == value, (rel, name, history)


def _set_field(text: str, name: str, value: str) -> str:
    """Set one front-matter field the way a curator does: edit or add its line."""
    head, _, body = text[4:].partition("\n---\n")
    lines = [line for line in head.splitlines() if not line.startswith(f"{name}:")]
    return "---\n" + "\n".join([*lines, f"{name}: {value}"]) + "\n---\n" + body

"""No fault leaves a wrong site behind a command that says all is well.

- `build` and `check` agree after any history (a property test over digest additions, hand
  edits, hand-made pages, lost state and builds);
- a write that cannot complete stops before the commit point with nothing changed, or after
  it with a message, and the next run after the fix completes (faults injected in a
  subprocess: a read-only folder, a full disk, a failing rename; and a real file where a
  folder must be);
- lost or damaged state heals: URLs, hidden pages and redirects are recovered from the pages;
- pages are read as MkDocs reads them (a byte-order mark, a duplicate key).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build, check
from generator.errors import UserError

from .conftest import copy_project, mkdocs_build, run_generator
from .test_handedits import digest, edit, meta, paths, settle

TITLES = ["Alpha Models for Language", "Beta Optimizers Revisited", "Gamma Reasoning Agents"]


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of docs/ and the state, with its bytes (the lock and the caches aside)."""
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for folder in (project / "docs", project / ".generator")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in {"lock", "fingerprint.json", "embeddings.npz", "topics-cache.json",
                                         "digests-cache.json"}
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "p", digests=None)
    (project / "digests").mkdir()
    (project / "digests" / "001.txt").write_text(digest(20, [(TITLES[0], 5), (TITLES[1], 1)]))
    build(paths(project))
    return project


def fresh_build(tmp_path: Path, digests: Path) -> dict[str, bytes]:
    """What a clean project with these digests holds after one build (the reference)."""
    reference = copy_project(tmp_path / "reference", digests=digests)
    build(paths(reference))
    return snapshot(reference)


# --- 1. build and check agree -------------------------------------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("digest"), st.lists(st.sampled_from(TITLES), min_size=1, max_size=2, unique=True)),
        st.tuples(st.just("note"), st.sampled_from(TITLES)),
        st.tuples(st.just("hand-made page"), st.sampled_from(TITLES)),
        st.tuples(st.just("hide"), st.sampled_from(TITLES)),
        st.tuples(st.just("lose"), st.sampled_from([".generator", ".generator/pages", ".generator/slugs.json",
                                                     ".generator/fingerprint.json"])),
        st.tuples(st.just("build"), st.sampled_from(["plain", "keep", "adopt"])),
        st.tuples(st.just("settle"), st.none()),  # then pages are compared with their copies by stat
    ),
    min_size=1,
    max_size=7,
)


def slug(title: str) -> str:
    return title.lower().replace(" ", "-")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=steps)
def test_build_and_check_always_agree(tmp_path: Path, history: list[tuple[str, object]]) -> None:
    project = tmp_path / "h"
    shutil.rmtree(project, ignore_errors=True)
    copy_project(project, digests=None)
    (project / "digests").mkdir()
    (project / "digests" / "000.txt").write_text(digest(1, [(TITLES[0], 1)]))
    build(paths(project))
    for n, (kind, arg) in enumerate(history):
        page = project / "docs/papers" / f"{slug(str(arg))}.md"
        if kind == "digest":
            listed = [(title, n) for title in arg]  # type: ignore[attr-defined]
            (project / "digests" / f"{n + 1:03}.txt").write_text(digest(n + 2, listed))
        elif kind == "note" and page.exists():
            edit(project, f"papers/{page.name}", lambda t: t.rstrip("\n") + f"\n\nNote {n}.\n")  # noqa: B023
        elif kind == "hand-made page" and not page.exists():  # its title is a curator's control
            page.write_text(f"---\ntitle: {arg}, our notes\n---\nWritten by hand before any digest listed it.\n")
        elif kind == "hide" and page.exists() and "\nhidden:" not in page.read_text():
            edit(project, f"papers/{page.name}", lambda t: t.replace("\n---\n", "\nhidden: true\n---\n", 1))
        elif kind == "lose":
            lost = project / str(arg)
            shutil.rmtree(lost) if lost.is_dir() else lost.unlink(missing_ok=True)
        elif kind == "build":
            resolve = {} if arg == "plain" else {"*": str(arg)}
            build(paths(project), resolve=resolve)
        elif kind == "settle":
            settle(project)
        # After every step: check is clean exactly when a build would do nothing ...
        stale = check(paths(project))
        summary = build(paths(project))
        did_nothing = not summary.changes and not summary.report.unresolved
        assert (stale == []) == did_nothing, (history[: n + 1], stale, summary.report)
        # ... and a second build writes nothing: the no-op record never hides work.
        again = build(paths(project))
        assert not again.changes, (history[: n + 1], again.changes)
        assert again.report.unresolved == summary.report.unresolved


def test_a_page_made_by_hand_where_a_digest_lands_needs_a_decision(project: Path) -> None:
    """The reported case: build wrote, then said "0 written" forever while check listed files."""
    page = project / "docs/papers/gamma-reasoning-agents.md"
    page.write_text("---\ntitle: Gamma Reasoning Agents\n---\nOur own notes, written before the paper was listed.\n")
    (project / "digests" / "002.txt").write_text(digest(21, [(TITLES[2], 7)]))
    done = run_generator(project)
    assert done.returncode == 1
    assert "docs/papers/gamma-reasoning-agents.md" in done.stderr and "--keep" in done.stderr
    assert "Our own notes" in page.read_text()  # never overwritten
    assert any("unresolved" in line for line in check(paths(project)))
    assert run_generator(project).returncode == 1  # every run says so, none claims all is well
    kept = run_generator(project, "build", "--keep", "docs/papers/gamma-reasoning-agents.md")
    assert kept.returncode == 0, kept.stderr
    assert check(paths(project)) == [] and "Our own notes" in page.read_text()
    assert build(paths(project)).changes == ()


# --- 2. faults are errors with a way out ----------------------------------------------------

INJECT = """
import builtins, errno, os, sys
mode, target = sys.argv[1], os.path.abspath(sys.argv[2])
if mode == "read-only":
    real_access = os.access
    def access(path, how, **kw):
        return False if os.path.abspath(path).startswith(target) else real_access(path, how, **kw)
    os.access = access
elif mode == "full-disk":
    real_open, opened = builtins.open, [0]
    def full(file, mode="r", *args, **kw):
        if "w" in mode and target in os.path.abspath(str(file)):
            opened[0] += 1
            if opened[0] > 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kw)
    builtins.open = full
elif mode == "rename-fails":
    real_replace, done = os.replace, [0]
    def failing(src, dst, **kw):
        if os.path.abspath(str(dst)).startswith(target):
            done[0] += 1
            if done[0] > 2:
                raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst, **kw)
    os.replace = failing
from generator.cli import main
sys.exit(main(["build"]))
"""


def faulty_build(project: Path, mode: str, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", INJECT, mode, target], cwd=project,
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("mode", "target", "message"),
    [
        ("read-only", "docs/papers", "is read-only"),
        ("full-disk", ".generator/txn/files", "No space left on device"),
    ],
)
def test_a_foreseeable_fault_changes_nothing_and_the_run_after_the_fix_completes(
    project: Path, tmp_path: Path, mode: str, target: str, message: str
) -> None:
    (project / "digests" / "002.txt").write_text(digest(21, [(TITLES[2], 7), (TITLES[0], 9)]))
    before = snapshot(project)
    done = faulty_build(project, mode, target)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: ") and message in done.stderr and "nothing was changed" in done.stderr
    assert done.stderr.count("\n") == 1  # one line
    assert snapshot(project) == before and not (project / ".generator/txn").exists()
    assert run_generator(project).returncode == 0  # the fault fixed: the run completes
    assert check(paths(project)) == []
    assert snapshot(project) == fresh_build(tmp_path, project / "digests")


def test_a_fault_after_the_commit_point_is_finished_by_the_next_run(project: Path, tmp_path: Path) -> None:
    (project / "digests" / "002.txt").write_text(digest(21, [(TITLES[2], 7), (TITLES[0], 9)]))
    done = faulty_build(project, "rename-fails", "docs")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "run build again, which finishes them first" in done.stderr
    assert (project / ".generator/txn/journal.json").exists()
    assert check(paths(project))[0].endswith("(a run was interrupted: run build to finish it)")
    assert run_generator(project).returncode == 0
    assert not (project / ".generator/txn").exists() and check(paths(project)) == []
    assert snapshot(project) == fresh_build(tmp_path, project / "digests")


def test_a_file_where_a_folder_must_be_is_refused_before_anything_is_written(project: Path) -> None:
    (project / "digests" / "002.txt").write_text(digest(21, [(TITLES[2], 7)]))
    shutil.rmtree(project / "docs/digests")
    (project / "docs/digests").write_text("not a folder\n")
    before = snapshot(project)
    with pytest.raises(UserError, match=r"docs/digests is a file where the folder of .* must be.*nothing was changed"):
        build(paths(project))
    assert snapshot(project) == before
    (project / "docs/digests").unlink()
    assert build(paths(project)).report.unresolved == [] and check(paths(project)) == []


@pytest.mark.parametrize("damage", ["truncated", "not an object"])
def test_a_damaged_state_file_is_an_error_that_says_how_to_recover(project: Path, damage: str) -> None:
    record = project / ".generator/slugs.json"
    record.write_text(record.read_text()[:20] if damage == "truncated" else "[1, 2]\n")
    with pytest.raises(UserError, match=r"slugs\.json.*restore it from git, or delete it"):
        build(paths(project))
    record.unlink()  # the way out the message gives: the pages say what the slugs were
    pages = sorted(p.name for p in (project / "docs/papers").glob("*.md"))
    summary = build(paths(project))
    assert summary.report.unresolved == [] and sorted(p.name for p in (project / "docs/papers").glob("*.md")) == pages
    assert check(paths(project)) == []


# --- 3. lost state heals ----------------------------------------------------------------------


def test_lost_state_keeps_urls_hidden_pages_and_redirects(project: Path) -> None:
    renamed, hidden = "papers/alpha-models-for-language.md", "papers/beta-optimizers-revisited.md"
    edit(project, renamed, lambda t: t.replace("template: paper.html", "template: paper.html\nslug: alpha"))
    build(paths(project))
    edit(project, hidden, lambda t: t.replace("template: paper.html", "template: paper.html\nhidden: true"))
    build(paths(project))
    assert meta(project, "papers/alpha.md")["formerly"] == ["alpha-models-for-language"]
    shutil.rmtree(project / ".generator")  # a fresh clone where it was not committed
    # A back-filled digest, dated before the others, lists a paper whose slug would collide.
    twin = "Alpha Models for Language!"
    (project / "digests" / "000.txt").write_text(digest(2, [(twin, 3)]))
    unresolved = build(paths(project)).report.unresolved
    # Listing pages changed with the new digest, and two paper pages were edited by hand: with
    # no record of what the generator wrote, each needs a decision; every other page healed.
    assert "all-papers.md" in unresolved
    assert [rel for rel in unresolved if rel.startswith("papers/")] == ["papers/alpha.md", hidden]
    summary = build(paths(project), resolve={hidden: "keep", "papers/alpha.md": "keep", "*": "adopt"})
    assert summary.report.unresolved == []
    assert meta(project, "papers/alpha.md")["title"] == TITLES[0]  # still at the renamed URL
    redirects = json.loads((project / ".generator/redirects.json").read_text())
    assert redirects == {"papers/alpha-models-for-language.md": "papers/alpha.md"}
    twin_pages = [p for p in (project / "docs/papers").glob("alpha-models-for-language-*.md")]
    assert len(twin_pages) == 1 and meta(project, f"papers/{twin_pages[0].name}")["title"] == twin
    assert "Beta Optimizers Revisited" not in (project / "docs/all-papers.md").read_text()  # still hidden
    assert check(paths(project)) == [] and build(paths(project)).changes == ()


def test_a_lost_pages_folder_heals_with_no_decision_to_make(project: Path) -> None:
    before = snapshot(project)
    shutil.rmtree(project / ".generator/pages")
    summary = build(paths(project))
    assert summary.report.unresolved == [] and summary.report.written == []
    assert snapshot(project) == before


# --- 4. pages are read as MkDocs reads them -----------------------------------------------------


def test_a_page_saved_with_a_bom_and_crlf_is_hidden_everywhere(project: Path) -> None:
    rel = "papers/beta-optimizers-revisited.md"
    page = project / "docs" / rel
    text = page.read_text().replace("template: paper.html", "template: paper.html\nhidden: true")
    page.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))  # a Windows editor
    build(paths(project))
    assert check(paths(project)) == []
    site = mkdocs_build(project)
    assert not (site / "papers/beta-optimizers-revisited").exists()
    missing = broken_links(site)
    assert missing == [] and "Beta Optimizers" not in (site / "all-papers/index.html").read_text()


def test_a_key_written_twice_is_an_error_naming_the_line(project: Path) -> None:
    edit(project, "papers/alpha-models-for-language.md",
         lambda t: t.replace("template: paper.html", "template: paper.html\nhidden: true\nhidden: false"))
    with pytest.raises(UserError, match=r"alpha-models-for-language\.md:5: 'hidden' is set twice"):
        build(paths(project))


def broken_links(site: Path) -> list[str]:
    """Every internal link of the built site whose target file does not exist."""
    import re
    from urllib.parse import unquote, urljoin, urlparse

    missing = []
    for page in site.rglob("*.html"):
        base = "/" + page.relative_to(site).as_posix()
        for href in re.findall(r'href="([^"#?]+)', page.read_text(encoding="utf-8")):
            if urlparse(href).scheme or href.startswith("//"):
                continue
            target = site / unquote(urljoin(base, href)).lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"{base} -> {href}")
    return missing

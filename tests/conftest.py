"""Shared fixtures: a throw-away copy of the project, real MkDocs builds, a real browser.

Tests never touch the repository's own docs/: `project_copy` makes a temporary project with
the real templates, theme overrides and settings, into which a test puts the digests it needs.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.search.index import index_site

ROOT = Path(__file__).resolve().parent.parent
REAL_DIGESTS = ROOT / "digests"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags a headless Chromium needs on a machine with no network (see README, "Testing").
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_FILES = ("mkdocs.yml", "topics.yml", "site.yml", "overrides", "generator", "docs/assets")


def copy_project(dest: Path, digests: Path | None = REAL_DIGESTS) -> Path:
    """A minimal project at `dest`: everything a build reads, with `digests` as its digests."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    if digests is not None:
        shutil.copytree(digests, dest / "digests")
    if digests == REAL_DIGESTS:  # the dates the repository recorded for the real digests
        (dest / ".generator").mkdir(exist_ok=True)
        shutil.copy2(ROOT / ".generator" / "digest-dates.json", dest / ".generator" / "digest-dates.json")
    return dest


def run_generator(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in `project`, as a user runs it."""
    command = [sys.executable, "-m", "generator", *(args or ("build",))]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def mkdocs_build(project: Path) -> Path:
    """A real `mkdocs build --strict`; fails the test with MkDocs' own output if it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=project, capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 0, f"mkdocs build failed:\n{done.stdout}\n{done.stderr}"
    return project / "site"


def build_site(project: Path) -> Path:
    """What `make site` does: generate, MkDocs, verify, then the Pagefind search index."""
    generated = run_generator(project, "build", "--quiet")
    assert generated.returncode == 0, generated.stderr
    site = mkdocs_build(project)
    verified = run_generator(project, "verify", "site")
    assert verified.returncode == 0, verified.stderr
    index_site(site)
    return site


@pytest.fixture(scope="session")
def real_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real digests, generated and built once for the whole session."""
    project = copy_project(tmp_path_factory.mktemp("real") / "project")
    build_site(project)
    return project


@pytest.fixture(scope="session")
def real_site(real_project: Path) -> Path:
    return real_project / "site"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path, handler_class: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) for as long as the generator is open."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def real_site_url(real_site: Path) -> Iterator[str]:
    yield from serve(real_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright. Missing Chromium is a failure, not a skip."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} not found: run scripts/install-chromium (see README)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """A project whose digests are the given {file name: text or bytes}."""

    def make(digests: dict[str, str | bytes]) -> Path:
        project = copy_project(tmp_path / "project", digests=None)
        folder = project / "digests"
        folder.mkdir()
        for name, content in digests.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        return project

    return make

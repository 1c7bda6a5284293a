"""`paper-digest verify SITE`: the built site did what the paper-digest plugin promises.

The guarantees of the site (titles and descriptions escaped, broken front matter refused,
hidden pages left out, renamed pages redirected) are kept by the plugin (plugin.py) inside
the site engine. An engine that skips plugins (Zensical ignores MkDocs plugins and hooks)
would build a site without them and say nothing, so `make site` runs this check after the
engine, on the files it wrote, and stops with an error naming every broken page:

- every page of docs/ that is not hidden has its HTML page, marked by the plugin
  (`<meta name="paper-digest" content="checked">`, printed by overrides/main.html from the
  page's `paper_digest_checked` meta value);
- no hidden page has an HTML page;
- every redirect of `.generator/redirects.json` has its HTML page at the old address.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UserError
from generator.site.curator import is_hidden, load_redirects

MARK = b'<meta name="paper-digest" content="checked">'
HEAD_BYTES = 16_384  # the mark is in <head>, within the first few KB of every page


@dataclass(frozen=True)
class Report:
    pages: int
    hidden: int
    redirects: int


def html_path(site: Path, rel: str) -> Path:
    """Where MkDocs (directory URLs) writes the page of docs/`rel`."""
    stem = rel.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def _pages(docs: Path, only: Collection[str] | None = None) -> Iterator[tuple[str, str]]:
    paths = sorted(docs.rglob("*.md")) if only is None else sorted(docs / rel for rel in only)
    for path in paths:
        yield path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8")


def _marked(page: Path) -> bool:
    with page.open("rb") as handle:
        return MARK in handle.read(HEAD_BYTES)


def verify(
    site: Path, docs: Path = Path("docs"), redirects: Path = Path(".generator/redirects.json"),
    only: Collection[str] | None = None,
) -> Report:
    """Check the built site against docs/ (see the module docstring); raise naming every problem.
    `only`: the pages (relative to docs/) an incremental build rendered; the others were checked
    when they were built."""
    if not (site / "index.html").exists():
        raise UserError(f"{site}/index.html: no built site here: build it first (make site)")
    problems: list[str] = []
    pages = hidden = 0
    for rel, text in _pages(docs, only):
        built = html_path(site, rel)
        if is_hidden(text):
            hidden += 1
            if built.exists():
                problems.append(f"{built}: docs/{rel} is hidden (hidden: true) but was published")
            continue
        pages += 1
        if not built.exists():
            problems.append(f"{built}: missing: docs/{rel} was not built")
        elif not _marked(built):
            problems.append(f"{built}: built without the paper-digest plugin (titles unescaped, hidden pages "
                            "and redirects not handled): build with MkDocs or ProperDocs, which load it")
    moved = load_redirects(redirects)
    for old in moved:
        if not html_path(site, old).exists():
            problems.append(
                f"{html_path(site, old)}: no redirect from the renamed page docs/{old} to docs/{moved[old]}"
            )
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise UserError(f"the built site {site}/ is not what docs/ says:\n" + "\n".join(shown))
    return Report(pages, hidden, len(moved))

"""An audit of a built site: does any file hold live markup that digest text could have put there?

Every `*.html`, `*.xml` and `*.json` file under `site/` is read as a browser or a feed reader
would, and each problem is reported as "path: what". An HTML page must have:

- no event-handler attribute (`on*`), anywhere, SVG included;
- no URL with a scheme other than http, https or mailto in an attribute that holds a URL
  (`javascript:`, `data:`, `vbscript:` ...), after the clean-up browsers apply to URLs;
  the one exception is Material's own search "share" button, matched exactly;
- no `iframe`, `frame`, `object`, `embed`, `applet`, `base`, `portal` or `meta refresh`;
- scripts only from files inside the site (allow-listed by file, so another search UI such as
  Pagefind passes as long as its scripts are its own files), and inline scripts only those of
  a clean baseline build (compared after normalising the relative path to the site root).

In JSON and XML files, a value that its format defines as HTML is treated as HTML, as a feed
reader or search UI would insert it: JSON Feed's `content_html`, a search index's `title` and
`text` (Material's may hold only the tags its indexer keeps: `p`, `code`, `pre`, lists, `sub`,
`sup`, with no attribute), and Atom elements of `type="html"`/`"xhtml"` or RSS descriptions:
they may hold only inert markup. Values a format defines as plain text (JSON Feed's
`content_text` and `title`, Atom's default `type="text"`, the export's fields) are text to
every conforming reader: `<script>` there is the characters a title holds, shown as such. In
both, every URL-valued field must be http, https or mailto.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

FORBIDDEN_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data", "ping",
     "manifest", "codebase", "longdesc", "usemap", "srcset", "imagesrcset"}
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Material's search "share" button (partials/search.html): the only javascript: URL allowed.
MATERIAL_SHARE = ("a", "href", "javascript:void(0)", ("data-md-component", "search-share"))
SEARCH_INDEX_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these before reading a scheme
_RELATIVE_ROOT = re.compile(r'"(?:\.\./)*\.{0,2}/?(?=assets/|")')


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in a URL attribute, or None for a relative URL."""
    match = _SCHEME.match(_URL_NOISE.sub("", value).lower())
    return match.group(1) if match else None


def normalise_script(text: str) -> str:
    """An inline script with the page's relative path to the site root replaced by ROOT."""
    return _RELATIVE_ROOT.sub('"ROOT', text.strip())


class _Page(HTMLParser):
    """Collects problems in one HTML document (or fragment)."""

    def __init__(self, fragment: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.problems: list[str] = []
        self.refresh: list[str] = []  # meta refresh contents (redirect pages)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_scripts: list[str] = []
        self.script_sources: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
            self.refresh.append(values.get("content", ""))
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value[:60]!r} on <{tag}>")
            elif name in URL_ATTRIBUTES:
                self._check_url(tag, name, value, values)
        if tag == "script":
            if self.fragment:
                self.problems.append("<script> element inside text")
            elif "src" in values:
                self.script_sources.append(values["src"])
            else:
                self._script = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def _check_url(self, tag: str, name: str, value: str, values: dict[str, str]) -> None:
        urls = [part.strip().split(" ")[0] for part in value.split(",")] if "srcset" in name else [value]
        for url in urls:
            scheme = url_scheme(url)
            if scheme is None or scheme in SAFE_SCHEMES:
                continue
            share_tag, share_attr, share_url, (key, expected) = MATERIAL_SHARE
            if (tag, name, url, values.get(key)) == (share_tag, share_attr, share_url, expected):
                continue
            self.problems.append(f"{scheme}: URL in {name}={url[:60]!r} on <{tag}>")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None


def parse_html(text: str, fragment: bool = False) -> _Page:
    page = _Page(fragment)
    page.feed(text)
    page.close()
    return page


def inline_scripts(site: Path) -> set[str]:
    """The normalised inline scripts of every page of a build: the baseline of a clean build."""
    scripts: set[str] = set()
    for path in site.rglob("*.html"):
        scripts.update(normalise_script(s) for s in parse_html(path.read_text(encoding="utf-8")).inline_scripts)
    return scripts


def _dict_strings(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, string) pair in a JSON value, at any depth (the key of the nearest object)."""
    if isinstance(value, dict):
        for k, item in value.items():
            yield from _dict_strings(item, str(k))
    elif isinstance(value, list):
        for item in value:
            yield from _dict_strings(item, key)
    elif isinstance(value, str):
        yield key, value


def audit_text(text: str, allowed_tags: Iterable[str] | None = None) -> list[str]:
    """Problems in a string that a UI may insert as HTML (`innerHTML`)."""
    page = parse_html(text, fragment=True)
    problems = list(page.problems)
    if allowed_tags is not None:
        allowed = frozenset(allowed_tags)
        for tag, attrs in page.tags:
            if tag not in allowed:
                problems.append(f"live <{tag}> element")
            elif attrs:
                problems.append(f"attributes {sorted(attrs)} on <{tag}>")
    return problems


def topic_redirect_pages() -> dict[str, str]:
    """The redirect pages the taxonomy asks for (`formerly:` in topics.yml): page -> its meta
    refresh content, as mkdocs-redirects writes it. Only these may hold a meta refresh."""
    from generator.curate.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(Path(__file__).resolve().parent.parent / "topics.yml")
    return {f"topics/{old}/index.html": f"0; url=../{t.slug}/" for t in taxonomy for old in t.formerly}


def audit_html(path: Path, site: Path, baseline_scripts: set[str]) -> list[str]:
    page = parse_html(path.read_text(encoding="utf-8"))
    problems = list(page.problems)
    expected = topic_redirect_pages().get(path.relative_to(site).as_posix())
    if expected is not None and page.refresh == [expected]:  # the taxonomy's own redirect, nothing else
        problems.remove("<meta http-equiv=refresh>")
    for src in page.script_sources:
        local = src.split("?")[0].split("#")[0]
        if url_scheme(src) is not None or src.startswith("//"):
            problems.append(f"script from outside the site: {src[:80]!r}")
            continue
        file = (site / local.lstrip("/")) if local.startswith("/") else (path.parent / local)
        if not file.resolve().is_relative_to(site.resolve()) or not file.is_file():
            problems.append(f"script that is not a file of the site: {src[:80]!r}")
    for script in page.inline_scripts:
        if normalise_script(script) not in baseline_scripts:
            problems.append(f"inline script not in the clean baseline build: {script.strip()[:80]!r}")
    return problems


HTML_KEYS = ("content_html",)
URL_KEYS = ("url", "external_url", "home_page_url", "feed_url", "icon", "favicon", "image", "links", "code")


def audit_json(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    search_index = path.name == "search_index.json"
    problems: list[str] = []
    for key, value in _dict_strings(data):
        if search_index and key in ("title", "text"):
            problems += [f"{key} {value[:60]!r}: {p}" for p in audit_text(value, SEARCH_INDEX_TAGS)]
        elif key in HTML_KEYS:
            problems += [f"{key} {value[:60]!r}: {p}" for p in audit_text(value)]
        elif key in URL_KEYS or key.endswith("_url"):
            scheme = url_scheme(value.strip())
            if scheme is not None and scheme not in SAFE_SCHEMES:
                problems.append(f"{key} {scheme}: URL {value[:60]!r}")
    return problems


def audit_xml(path: Path) -> list[str]:
    root = ET.parse(path).getroot()  # noqa: S314 - our own build output
    problems: list[str] = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if element.attrib.get("type") in ("html", "xhtml") or local == "description":
            value = element.text or ""
            problems += [f"<{element.tag}> {value[:60]!r}: {p}" for p in audit_text(value)]
        for name, value in element.attrib.items():
            if name in ("href", "src", "uri"):
                scheme = url_scheme(value.strip())
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"<{element.tag}> {scheme}: URL {value[:60]!r}")
        if element.tag.rsplit("}", 1)[-1] in ("loc", "link", "id", "url") and element.text:
            scheme = url_scheme(element.text.strip())
            if scheme is not None and scheme not in SAFE_SCHEMES:
                problems.append(f"<{element.tag}> {scheme}: URL {element.text[:60]!r}")
    return problems


def audit_site(site: Path, baseline_scripts: set[str]) -> list[str]:
    """Every problem in every HTML, XML and JSON file of a built site, as 'path: problem'."""
    problems: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            found = audit_html(path, site, baseline_scripts)
        elif path.suffix == ".json":
            found = audit_json(path)
        elif path.suffix == ".xml":
            found = audit_xml(path)
        else:
            continue
        problems += [f"{path.relative_to(site)}: {p}" for p in found]
    return problems

"""A paper page's "Cite" block: a BibTeX entry made from the page's own front matter (title,
authors and arXiv id from enrichment, the published or first-listed date), so a curator's edit
of any of them shows in the citation. The template escapes the entry for HTML; here it is made
safe for BibTeX: `&`, `%` and `#` are escaped, and a field whose braces do not balance loses
its braces (an unbalanced brace would end the entry early in any BibTeX reader)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from generator.enrich.ids import abs_url, arxiv_id

_SPECIAL = re.compile(r"(?<!\\)([&%#])")


def _field(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return text if depth == 0 else text.replace("{", "").replace("}", "")


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _year(meta: Mapping[str, Any]) -> int | None:
    published = meta.get("published")
    if isinstance(published, date):
        return published.year
    digests = meta.get("digests")
    first = digests[0] if isinstance(digests, list) and digests else None
    text = first.isoformat() if isinstance(first, date) else str(first or "")
    return int(text[:4]) if text[:4].isdigit() else None


def bibtex(meta: Mapping[str, Any], page_url: str) -> str:
    """The BibTeX entry of a paper page (an arXiv e-print when its id is known)."""
    title = meta.get("title_text", meta.get("title"))
    title = title if isinstance(title, str) else ""
    raw_authors = meta.get("authors")
    authors = [a for a in raw_authors if isinstance(a, str)] if isinstance(raw_authors, list) else []
    identifier = arxiv_id(meta["arxiv"]) if isinstance(meta.get("arxiv"), str) else None
    year = _year(meta)
    first_word = next((w for w in map(_ascii_word, title.split()) if len(w) > 3), "paper")
    surname = _ascii_word(authors[0].split()[-1]) if authors and authors[0].split() else ""
    key = f"{surname}{year or ''}{first_word}" if surname else f"{first_word}{year or ''}"
    fields = [("title", "{" + _field(title) + "}")]
    if authors:
        fields.append(("author", " and ".join(_field(a) for a in authors)))
    if year:
        fields.append(("year", str(year)))
    if identifier:
        fields += [("eprint", identifier), ("archivePrefix", "arXiv"), ("url", abs_url(identifier))]
    else:
        fields.append(("url", page_url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"

"""Text policy for scraped titles and abstracts: what is removed, how it is escaped.

Digest text is untrusted. Two rules keep it inert and faithful:

1. `clean` removes what no reader can see but a browser, terminal or XML parser would act
   on. Characters that break a line (tab, LF, VT, FF, CR, the C0 separators U+001C-U+001F,
   NEL, and the line and paragraph separators U+2028/U+2029) become a space; every other
   control character (C0 and C1, NUL and DEL included), bidirectional overrides,
   embeddings, isolates and marks, the byte-order mark, Unicode noncharacters and lone
   surrogates are deleted (a hidden override inside a word must not split the word). Runs
   of white space then become one space, and the ends are stripped.
2. `markdown_text` writes text so that Python-Markdown, with the few extensions the site
   enables (see mkdocs.yml), renders it back exactly as written: nothing becomes emphasis,
   code, a link, HTML, an entity or a block. URLs become autolinks (http and https only).
"""

from __future__ import annotations

import re
import unicodedata

# Characters that break a line: they become a space, so words on either side stay apart.
_BREAKS = {*"\t\n\v\f\r", *(chr(c) for c in range(0x1C, 0x20)), "\x85", "\u2028", "\u2029"}
# Characters no reader sees but a browser, terminal or XML parser acts on: removed outright.
_INVISIBLE = {
    *(chr(c) for c in range(0x00, 0x20)),  # C0 controls, NUL included
    *(chr(c) for c in range(0x7F, 0xA0)),  # DEL and C1 controls
    "\u200e",
    "\u200f",
    "\u061c",  # LRM, RLM, ALM
    *(chr(c) for c in range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO
    *(chr(c) for c in range(0x2066, 0x206A)),  # LRI RLI FSI PDI
    "\ufeff",  # byte-order mark / zero-width no-break space
    *(chr(c) for c in range(0xFDD0, 0xFDF0)),  # noncharacters: invalid in HTML and XML
    *(chr(plane + c) for plane in range(0, 0x110000, 0x10000) for c in (0xFFFE, 0xFFFF)),
    *(chr(c) for c in range(0xD800, 0xE000)),  # lone surrogates (only from a Python str)
} - _BREAKS
_REMOVE = str.maketrans({**{c: None for c in _INVISIBLE}, **{c: " " for c in _BREAKS}})


def clean(text: str) -> str:
    """Remove invisible control characters and collapse white space (see module docstring).

    Printable ASCII, nearly every line of a digest, has nothing to remove and no white
    space but the space: it only needs its spaces collapsed (`str.split` splits on exactly
    the characters `\\s` matches), ~5x faster than the translation.
    """
    if not (text.isascii() and text.isprintable()):
        text = text.translate(_REMOVE)
    return " ".join(text.split())


# Python-Markdown's backslash-escapable characters that are live inside a paragraph.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
# An `&` Markdown would read as the start of a character reference. Python-Markdown reads a named
# one only with its `;` (`&copy;`), but its raw-HTML scanner reads a numeric one without
# (`&#0` renders as U+FFFD, `&#x41g` as "Ag"), so every `&#` is escaped.
_ENTITY_LIKE = re.compile(r"&(?=#|[A-Za-z0-9]+;)")
# A paragraph that starts like a block construct (heading, quote, list, rule, admonition...).
_BLOCK_START = re.compile(r"^(?:[#>+\-!]|\d+\.(?:\s|$))")
URL = re.compile(r"https?://[^\s<>\"'`\\{}|^\[\]]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)'\""


def split_urls(text: str) -> list[tuple[str, bool]]:
    """Split text into (piece, is_url) parts; a URL never takes a sentence's final stop."""
    if "://" not in text:  # no URL can match: most abstracts, without running the pattern
        return [(text, False)] if text else []
    parts: list[tuple[str, bool]] = []
    pos = 0
    for match in URL.finditer(text):
        url = match.group(0)
        if (entity := _ENTITY_LIKE.search(url)) is not None:  # Markdown would decode it in the link
            url = url[: entity.start()]
        while url and url[-1] in _URL_TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if len(url) <= len("https://"):
            continue
        parts.append((text[pos : match.start()], False))
        parts.append((url, True))
        pos = match.start() + len(url)
    parts.append((text[pos:], False))
    return [p for p in parts if p[0]]


def find_urls(text: str) -> tuple[str, ...]:
    """The distinct URLs of a text, in order of appearance."""
    return tuple(dict.fromkeys(piece for piece, is_url in split_urls(text) if is_url))


def _escape_inline(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    return text.replace("<", "&lt;")


def markdown_text(text: str, links: bool = True) -> str:
    """One paragraph of Markdown that renders as `text`, with its URLs as links (unless
    `links` is false: a link's own text cannot hold another link)."""
    pieces = split_urls(text) if links else [(text, False)]
    out = "".join(f"<{piece}>" if is_url else _escape_inline(piece) for piece, is_url in pieces)
    if _BLOCK_START.match(out):
        out = re.sub(r"^(\d+)\.", r"\1\\.", out) if out[0].isdigit() else "\\" + out
    return out


_FOLD_PUNCTUATION = str.maketrans(
    {**dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
     **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
     **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"')}
)
_PUNCTUATION_SPACE = re.compile(r"\s*([-:,;.!?/])\s*")


def title_key(title: str) -> str:
    """The identity of a paper across digests: the title after Unicode NFKC, case folding,
    and normalising white space, dashes and quotes (punctuation is kept, so that
    "[Re] Attention" and "Re: Attention" stay two papers)."""
    if title.isascii():  # NFKC, casefold and the dash and quote folds change nothing else
        text = title.lower()
    else:
        text = unicodedata.normalize("NFKC", title).casefold().translate(_FOLD_PUNCTUATION)
    text = _PUNCTUATION_SPACE.sub(r"\1", text)
    return " ".join(text.split()).rstrip(".")


_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})


def ascii_words(text: str) -> list[str]:
    """`re.findall(r"\\w+", text)` for an ASCII text: every other character becomes a space."""
    return text.translate(_NON_WORD).split()

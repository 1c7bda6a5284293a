"""The real digests re-laid out as a maintainer could receive them (tests/test_layouts.py).

`Digest.parse` takes a real digest apart with a parser of its own, deliberately simpler than
the reader's (it knows the five real files: paragraphs of one line, metadata by pattern), and
`render` writes it back in any `Layout`: blank lines none, one, many or only after the header;
LF, CRLF or CR line ends; a byte-order mark; trailing spaces, tabs, no-break spaces,
indentation; zero-width characters on blank and separator lines; hard wrap at 72-78 columns;
an HTML copy (entities and <br>); metadata split by blank lines or glued to the abstract; an
unknown header line; a boilerplate word glued to the first title (or unglued).
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

META = re.compile(r"^(?:•\s*\d+\s+authors?|·|[A-Z][a-z]{2} \d{1,2}(?:, \d{4})?(?: \d+)?)$")
GLUE = "Subscribe"
UNKNOWN_HEADER = "Trending Papers of the week, picked for you"


@dataclass
class Paper:
    title: str
    abstract: str
    metadata: list[str] = field(default_factory=list)


@dataclass
class Digest:
    name: str
    header: list[str]  # boilerplate and date lines, in order
    glued: bool  # the original glues "Subscribe" to the first title
    papers: list[Paper]

    @classmethod
    def parse(cls, path: Path) -> Digest:
        lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").split("\n")]
        lines = [line for line in lines if line]
        first_abstract = next(i for i, line in enumerate(lines) if len(line) > 250)
        header, body = lines[: first_abstract - 1], lines[first_abstract - 1 :]
        glued = body[0].startswith(GLUE) and body[0][len(GLUE)].isupper()
        if glued:
            body[0] = body[0][len(GLUE) :]
        papers: list[Paper] = []
        for line in body:
            if META.match(line):
                papers[-1].metadata.append(line)
            elif not papers or papers[-1].abstract:
                papers.append(Paper(line, ""))
            else:
                papers[-1].abstract = line
        return cls(path.name, header, glued, papers)


@dataclass(frozen=True)
class Layout:
    blank: str = "one"  # "none", "one", "many", "header" (only between header and papers)
    line_end: str = "\n"
    bom: bool = False
    spaces: str = ""  # "", "trailing", "tabs", "nbsp", "indent"
    zero_width: bool = False  # zero-width characters on blank and separator lines
    wrap: int | None = None  # hard wrap at this many columns
    html: bool = False  # an HTML copy: entities, and <br> for line breaks
    html_lines: bool = True  # the HTML copy keeps a line end after each <br>
    metadata: str = "block"  # "block" (lines together), "split" (blank lines between), "glued" (no blank before)
    unknown_header: bool = False
    glue: bool | None = None  # glue "Subscribe" to the first title (None: as the original)


def _pad(line: str, spaces: str, index: int) -> str:
    if not line or not spaces:
        return line
    if spaces == "trailing":
        return line + " " * (1 + index % 3)
    if spaces == "tabs":
        return line + "\t"
    if spaces == "nbsp":
        return "\u00a0" + line + "\u00a0"
    return "  " + line  # indent


def render(digest: Digest, layout: Layout) -> bytes:
    """The digest's text in `layout`, as the bytes of a file."""
    header = list(digest.header)
    glue = digest.glued if layout.glue is None else layout.glue
    if glue and GLUE in header:
        header.remove(GLUE)
    if not glue and digest.glued:
        header.append(GLUE)
    if layout.unknown_header:
        header.insert(0, UNKNOWN_HEADER)
    blank = {"none": 0, "one": 1, "many": 3, "header": 1}[layout.blank]
    gap = [""] * blank
    body_gap = [] if layout.blank == "header" else gap
    out: list[str] = []
    for line in header:
        out += [line, *gap]
    if layout.blank == "header":
        out += gap
    for n, paper in enumerate(digest.papers):
        title = (GLUE if glue and n == 0 else "") + paper.title
        for paragraph in (title, paper.abstract):
            out += _wrap(paragraph, layout.wrap) + body_gap
        if paper.metadata:
            if layout.metadata == "glued" and body_gap:
                out = out[: -len(body_gap)]
            for line in paper.metadata:
                separator = line == "·" and layout.zero_width
                out.append(line + "\u200b" if separator else line)
                if layout.metadata == "split":
                    out += body_gap
            if layout.metadata != "split":
                out += body_gap
    if layout.zero_width:
        out = [line if line else "\u200b" if i % 2 else "\u2060\ufeff" for i, line in enumerate(out)]
    out = [_pad(line, layout.spaces, i) for i, line in enumerate(out)]
    text = "\n".join(out) + "\n"
    if layout.html:
        escaped = html.escape(text, quote=True).replace("&#x27;", "&#39;")
        text = escaped.replace("\n", "<br>\n" if layout.html_lines else "<br>")
    text = text.replace("\n", layout.line_end)
    return (("\ufeff" if layout.bom else "") + text).encode("utf-8")


def _wrap(paragraph: str, width: int | None) -> list[str]:
    if width is None:
        return [paragraph]
    return textwrap.wrap(paragraph, width=width, break_long_words=False, break_on_hyphens=False)

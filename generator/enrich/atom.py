"""The arXiv API's answer, an Atom feed, read into candidates.

defusedxml parses it: the answer comes from the network, and the standard parser would
expand entity declarations (the "billion laughs"); and a strict parser, unlike a lenient
feed reader, tells a truncated or non-XML answer (a proxy's HTML page) from an empty result.
An answer that is not what arXiv sends raises `MalformedAnswer` saying what is missing.
"""

from __future__ import annotations

from datetime import date, datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from generator.enrich.ids import arxiv_id
from generator.enrich.model import Candidate
from generator.text import clean

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_ERRORS = "/api/errors"  # the id of the one entry of an error answer: http://arxiv.org/api/errors#...


class MalformedAnswer(ValueError):
    """The answer is not an arXiv Atom feed (the message says why)."""


class RefusedQuery(ValueError):
    """arXiv answered with an error entry (the message is arXiv's)."""


def parse_feed(body: bytes, by_id: bool = False) -> tuple[int, list[Candidate]]:
    """The feed's total result count and its entries.

    Asked for identifiers (`by_id`), arXiv answers an unknown one with an entry that has no
    `id` (github.com/lukasschwab/arxiv.py issue 80): such an entry is left out, not an error.
    """
    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException) as error:
        raise MalformedAnswer(f"not XML ({error})") from None
    if root.tag != f"{ATOM}feed":
        raise MalformedAnswer(f"not an Atom feed (root element {root.tag!r})")
    total_text = _text(root, f"{OPENSEARCH}totalResults")
    if total_text is None or not total_text.isdigit():
        raise MalformedAnswer("no opensearch:totalResults")
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        if _ERRORS in (_text(entry, f"{ATOM}id") or ""):
            raise RefusedQuery(_text(entry, f"{ATOM}summary") or "an error without a message")
    candidates = [
        _candidate(entry, number)
        for number, entry in enumerate(entries, start=1)
        if not (by_id and _text(entry, f"{ATOM}id") is None)
    ]
    return int(total_text), candidates


def _candidate(entry: Element, number: int) -> Candidate:
    def required(tag: str) -> str:
        if not (value := _text(entry, tag)):
            raise MalformedAnswer(f"entry {number} has no {tag.rpartition('}')[2]}")
        return value

    link = required(f"{ATOM}id")
    identifier = arxiv_id(link)
    if identifier is None:
        raise MalformedAnswer(f"entry {number}: {link!r} is not an arXiv abstract address")
    published = _date(required(f"{ATOM}published"), number)
    updated_text = _text(entry, f"{ATOM}updated")
    updated = _date(updated_text, number) if updated_text else None
    primary = entry.find(f"{ARXIV}primary_category")
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [category.get("term", "") for category in entry.findall(f"{ATOM}category")]
    return Candidate(
        arxiv=identifier,
        title=clean(required(f"{ATOM}title")),
        abstract=clean(_text(entry, f"{ATOM}summary") or ""),
        authors=tuple(clean(name) for a in entry.findall(f"{ATOM}author") if (name := _text(a, f"{ATOM}name"))),
        categories=tuple(dict.fromkeys(term for term in terms if term)),
        published=published,
        updated=updated if updated is not None and updated != published else None,
        doi=_optional(entry, f"{ARXIV}doi"),
        journal_ref=_optional(entry, f"{ARXIV}journal_ref"),
    )


def _text(element: Element, tag: str) -> str | None:
    child = element.find(tag)
    return child.text.strip() if child is not None and child.text else None


def _optional(entry: Element, tag: str) -> str | None:
    value = _text(entry, tag)
    return clean(value) if value else None


def _date(text: str, number: int) -> date:
    try:
        return datetime.fromisoformat(text).date()  # the day in arXiv's own time zone, as it lists it
    except ValueError:
        raise MalformedAnswer(f"entry {number}: {text!r} is not a date") from None

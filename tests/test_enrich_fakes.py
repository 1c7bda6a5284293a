"""The stand-ins the enrichment tests use instead of the network and the clock.

- `FakeArxiv`: an HTTP server on 127.0.0.1 that answers like the arXiv API (the Atom feed
  of https://info.arxiv.org/help/api/user-manual.html, namespaces and all) from real papers
  (`fixtures/enrich/arxiv-excerpt.jsonl`, from the shared corpus), and can be told to fail:
  a status with headers, a slow answer, a body that is not a feed, a dropped connection.
  Its title search finds the papers whose title holds every word of the phrase (arXiv's own
  index is not public; any extra candidates only make the matching work harder).
- `FakeClock`: time that moves only when slept, so the three-second pacing costs nothing
  and each request's time can be checked.
- `Paper`: what the catalogue gives enrichment, made from a corpus record.

The tests in this file check that the fake speaks arXiv's format: an independent Atom
reader (feedparser) reads the same fields from it that it reads from arXiv.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import feedparser

from generator.text import title_key

FIXTURES = Path(__file__).parent / "fixtures" / "enrich"
EXCERPT = FIXTURES / "arxiv-excerpt.jsonl"
SNAPSHOT = FIXTURES / "snapshot.json"
# The paper of the excerpt with a second version, a DOI and a journal reference (as in snapshot.json).
REVISED = {"2506.09501": {"updated": "2025-09-22T09:30:00Z", "doi": "10.1234/example.2506.09501",
                          "journal_ref": "Example Proceedings 2025"}}


@cache
def _corpus() -> tuple[dict[str, Any], ...]:
    with EXCERPT.open(encoding="utf-8") as file:
        return tuple(json.loads(line) for line in file)


def corpus() -> list[dict[str, Any]]:
    """The excerpt's records (real arXiv papers), a fresh list each call."""
    return [dict(record) for record in _corpus()]


def record(arxiv_id: str) -> dict[str, Any]:
    return next(r for r in corpus() if r["id"] == arxiv_id)


@dataclass(frozen=True)
class Paper:
    """A digest paper as the catalogue has it (`enrich` needs these four fields)."""

    title: str
    abstract: str
    published: date | None = None

    @property
    def key(self) -> str:
        return title_key(self.title)


def paper(arxiv_id: str, title: str | None = None, published: date | bool | None = True) -> Paper:
    """The corpus paper as a digest lists it: published the day before arXiv listed it."""
    r = record(arxiv_id)
    day = date.fromisoformat(r["listed"]) - timedelta(days=1) if published is True else published or None
    return Paper(title if title is not None else r["title"], r["abstract"], day)


class FakeClock:
    """Wall clock from 2026-01-31 12:00 UTC; `sleep` only moves time forward (and is logged).

    `interrupt_on_sleep = n` raises KeyboardInterrupt at the n-th sleep, as Ctrl-C would.
    """

    def __init__(self) -> None:
        self.time = 0.0
        self.sleeps: list[float] = []
        self.interrupt_on_sleep: int | None = None

    def now(self) -> datetime:
        return datetime(2026, 1, 31, 12, 0, tzinfo=UTC) + timedelta(seconds=self.time)

    def monotonic(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.interrupt_on_sleep == len(self.sleeps):
            raise KeyboardInterrupt
        self.time += seconds


# ---- the fake arXiv API ------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """A scripted answer: a status, headers and body, after a delay; or a dropped connection."""

    status: int = 200
    body: bytes | None = None  # None: the feed the request asks for
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # real seconds before answering (for time-outs)
    drop: bool = False  # close the connection without an answer


@dataclass(frozen=True)
class Request:
    at: float  # the FakeClock's time when the request arrived
    params: dict[str, str]

    @property
    def query(self) -> str:
        return self.params.get("search_query") or f"id_list={self.params.get('id_list', '')}"


@dataclass
class FakeArxiv:
    records: list[dict[str, Any]]
    clock: FakeClock
    replies: deque[Reply] = field(default_factory=deque)  # consumed one per request, first
    drop_from: int | None = None  # from this request on (1-based), drop every connection
    requests: list[Request] = field(default_factory=list)
    url: str = ""

    def answer(self, params: dict[str, str]) -> Reply:
        self.requests.append(Request(self.clock.monotonic(), params))
        if self.drop_from is not None and len(self.requests) >= self.drop_from:
            return Reply(drop=True)
        if self.replies:
            reply = self.replies.popleft()
            if reply.body is not None or reply.status != 200 or reply.drop:
                return reply
            return Reply(body=self.feed(params), delay=reply.delay)
        return Reply(body=self.feed(params))

    def feed(self, params: dict[str, str]) -> bytes:
        if params.get("id_list"):
            found = {r["id"]: r for r in self.records}
            ids = params["id_list"].split(",")
            # arXiv answers an unknown id with an entry without <id> (see generator/enrich/atom.py)
            entries = [entry_xml(found[i]) if i in found else "<entry><title>Error</title></entry>" for i in ids]
            return feed_xml(entries, len(ids), f"id_list={params['id_list']}")
        phrase = re.fullmatch(r'ti:"([^"]*)"', params.get("search_query", ""))
        if phrase is None:
            return error_feed(f"malformed query {params.get('search_query')!r}")
        words = phrase.group(1).split()
        hits = [r for r in self.records if set(words) <= set(re.findall(r"[a-z0-9]+", r["title"].lower()))]
        start, size = int(params.get("start", 0)), int(params.get("max_results", 10))
        return feed_xml([entry_xml(r) for r in hits[start : start + size]], len(hits), params["search_query"])


def entry_xml(r: dict[str, Any]) -> str:
    """One paper as arXiv's API writes it: versioned ids, wrapped title and summary."""
    published = f"{r['listed']}T12:00:00Z"
    revised = REVISED.get(r["id"], {})
    version = "v2" if revised else "v1"
    title = "\n  ".join(re.findall(r".{1,70}(?:\s|$)", r["title"])).strip()
    authors = "".join(f"\n    <author>\n      <name>{escape(name)}</name>\n    </author>" for name in r["authors"])
    categories = "".join(
        f'\n    <category term={quoteattr(term)} scheme="http://arxiv.org/schemas/atom"/>' for term in r["categories"]
    )
    extra = ""
    if revised:
        extra = (f"\n    <arxiv:doi>{revised['doi']}</arxiv:doi>"
                 f"\n    <arxiv:journal_ref>{revised['journal_ref']}</arxiv:journal_ref>"
                 f'\n    <link title="doi" href="https://doi.org/{revised["doi"]}" rel="related"/>')
    return f"""<entry>
    <id>http://arxiv.org/abs/{r['id']}{version}</id>
    <updated>{revised.get('updated', published)}</updated>
    <published>{published}</published>
    <title>{escape(title)}</title>
    <summary>  {escape(r['abstract'])}
</summary>{authors}{extra}
    <link href="http://arxiv.org/abs/{r['id']}{version}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{r['id']}{version}" rel="related" type="application/pdf"/>
    <arxiv:primary_category term={quoteattr(r['categories'][0])} scheme="http://arxiv.org/schemas/atom"/>{categories}
  </entry>"""


def feed_xml(entries: list[str], total: int, query: str) -> bytes:
    body = "\n  ".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" \
xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/4mCmtmk0tTHfRZYrMFcdZ2ahXbc</id>
  <title>arXiv Query: {escape(query)}</title>
  <updated>2026-01-31T07:00:00Z</updated>
  <link href={quoteattr("https://arxiv.org/api/query?" + query)} type="application/atom+xml"/>
  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  {body}
</feed>
""".encode()


def error_feed(message: str) -> bytes:
    """arXiv's answer to a query it cannot run: one entry whose id is an error URL."""
    entry = f"""<entry>
    <id>http://arxiv.org/api/errors#{escape(message.replace(' ', '_'))}</id>
    <title>Error</title>
    <summary>{escape(message)}</summary>
    <updated>2026-01-31T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#x" rel="alternate" type="text/html"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>"""
    return feed_xml([entry], 1, "error")


def _handler(fake: FakeArxiv) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as arXiv's server

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            reply = fake.answer(params)
            if reply.drop:
                self.close_connection = True
                return
            time.sleep(reply.delay)
            body = reply.body if reply.body is not None else b""
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler


@contextmanager
def serve_arxiv(clock: FakeClock) -> Iterator[FakeArxiv]:
    """The fake API over the excerpt, on a free port of 127.0.0.1, until the block ends."""
    fake = FakeArxiv(corpus(), clock)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api/query"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


# ---- the fake is faithful ----------------------------------------------------------------


def test_an_independent_atom_reader_reads_the_fakes_answer_as_arxivs() -> None:
    """feedparser reads arXiv's fields from the fake's feed, namespaces included."""
    r = record("2504.05732")
    parsed = feedparser.parse(feed_xml([entry_xml(r)], 1, 'ti:"llm"'))
    assert not parsed.bozo
    assert parsed.feed["opensearch_totalresults"] == "1"
    entry = parsed.entries[0]
    assert entry.id == "http://arxiv.org/abs/2504.05732v1"
    assert " ".join(entry.title.split()) == r["title"]
    assert [a.name for a in entry.authors] == r["authors"]
    assert entry.arxiv_primary_category["term"] == "cs.CL"
    assert [t.term for t in entry.tags] == r["categories"]
    assert {link.get("title"): link.href for link in entry.links}["pdf"] == "http://arxiv.org/pdf/2504.05732v1"
    assert entry.published == "2025-04-09T12:00:00Z"


def test_the_snapshot_fixture_has_the_fields_of_arxivs_bulk_file() -> None:
    fields = {"id", "submitter", "authors", "title", "comments", "journal-ref", "doi", "report-no",
              "categories", "license", "abstract", "versions", "update_date", "authors_parsed"}
    lines = [json.loads(line) for line in SNAPSHOT.read_text(encoding="utf-8").splitlines()]
    assert 10 <= len(lines) <= 20
    for line in lines:
        assert set(line) == fields or (line["id"] == "2503.12453" and set(line) == fields - {"authors_parsed"})
        assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT", line["versions"][0]["created"])

"""The arXiv API as a source: title search and look-up by identifier, politely paced.

arXiv asks API clients for one request every three seconds on one connection
(https://info.arxiv.org/help/api/tou.html); `Throttle` keeps to it, with the interval as a
parameter. A request that times out, fails to connect, or gets a 5xx answer is tried again
after an exponentially growing wait (or the wait a 429 or 503 names in `Retry-After`), up to
`tries` times; then the run stops with an error naming the query. httpx: one client keeps
the connection alive across requests, with time-outs per request, and is typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from generator.enrich.atom import MalformedAnswer, RefusedQuery, parse_feed
from generator.enrich.clock import Clock, SystemClock, Throttle
from generator.enrich.ids import DEFAULT_INTERVAL, DEFAULT_URL
from generator.enrich.model import Candidate, Lookup
from generator.enrich.titles import query_words
from generator.errors import UserError

MAX_WAIT = 300.0  # a Retry-After longer than this stops the run instead of stalling it
_RETRY_STATUS = {429, 500, 502, 503, 504}


class ArxivApi:
    """`Source` over the arXiv API. Use it as a context manager (it holds a connection)."""

    name = "arxiv-api"
    title_batch = 1  # one request per title anyway; the run saves between them
    id_batch = 100  # identifiers per request

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        clock: Clock | None = None,
        interval: float = DEFAULT_INTERVAL,
        tries: int = 4,
        timeout: float = 30.0,
        max_results: int = 25,
    ) -> None:
        self._url = base_url
        self._clock = clock or SystemClock()
        self._throttle = Throttle(self._clock, interval)
        self._backoff = max(interval, 1.0)
        self._tries = tries
        self._max_results = max_results
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": "paper-digest-enrich"})

    def __enter__(self) -> ArxivApi:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @staticmethod
    def title_query(title: str) -> str:
        """`ti:"word word ..."`: the title's words as one phrase (see `query_words`)."""
        return f'ti:"{" ".join(query_words(title))}"'

    def search_title(self, title: str) -> Lookup:
        """Papers whose title holds the title's words as a phrase (the best `max_results`)."""
        query = self.title_query(title)
        if query == 'ti:""':  # a title of symbols only: nothing to search for
            return Lookup(query, ())
        params = {"search_query": query, "start": "0", "max_results": str(self._max_results)}
        return Lookup(query, tuple(self._feed(params, query)))

    def search_titles(self, titles: Sequence[str]) -> dict[str, Lookup]:
        return {title: self.search_title(title) for title in titles}

    def by_ids(self, ids: Sequence[str]) -> dict[str, Candidate]:
        found: dict[str, Candidate] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), self.id_batch):
            batch = unique[start : start + self.id_batch]
            query = f"id_list={','.join(batch[:3])}" + (f" and {len(batch) - 3} more" if len(batch) > 3 else "")
            params = {"id_list": ",".join(batch), "start": "0", "max_results": str(len(batch))}
            found.update((c.arxiv, c) for c in self._feed(params, query, by_id=True) if c.arxiv in batch)
        return found

    def _feed(self, params: dict[str, str], query: str, by_id: bool = False) -> list[Candidate]:
        body = self._get(params, query)
        try:
            return parse_feed(body, by_id)[1]
        except MalformedAnswer as error:
            raise UserError(f"arXiv API: malformed answer to {query}: {error}") from None
        except RefusedQuery as error:
            raise UserError(f"arXiv API refused {query}: {error}") from None

    def _get(self, params: dict[str, str], query: str) -> bytes:
        """The body of a 200 answer, after as many tries as it takes (see the module docstring)."""
        for attempt in range(1, self._tries + 1):
            self._throttle.wait()
            wait: float | None = None
            try:
                response = self._client.get(self._url, params=params)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as error:
                problem = f"connection failed: {error or type(error).__name__}"
            else:
                if response.status_code == 200:
                    return response.content
                problem = f"HTTP {response.status_code}"
                if response.status_code not in _RETRY_STATUS:
                    raise UserError(f"arXiv API answered {problem} to {query}")
                wait = self._retry_after(response.headers.get("Retry-After"))
                if wait is not None and wait > MAX_WAIT:
                    raise UserError(f"arXiv API is busy: it asks to wait {wait:.0f} s before {query}; "
                                    "run again later (what was fetched is saved)")
            if attempt == self._tries:
                raise UserError(f"arXiv API: no answer to {query} after {self._tries} tries "
                                f"(last: {problem}); run again later (what was fetched is saved)")
            self._clock.sleep(wait if wait is not None else self._backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable: the last try returns or raises")

    def _retry_after(self, value: str | None) -> float | None:
        """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
        if value is None:
            return None
        if value.strip().isdigit():
            return float(value)
        try:
            return max(0.0, (parsedate_to_datetime(value) - self._clock.now()).total_seconds())
        except (TypeError, ValueError):
            return None

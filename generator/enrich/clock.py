"""Time, injected: the wall clock stamps records, the monotonic clock and sleep pace requests.

Tests pass a fake clock whose `sleep` only moves its time forward, so a run that waits three
seconds between requests takes no time at all, and the waits can be checked.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The wall-clock time, timezone-aware, for the records' `fetched`."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, for pacing."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC to the second: `2026-01-31T12:00:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Throttle:
    """At most one request every `interval` seconds (arXiv asks for one every three)."""

    def __init__(self, clock: Clock, interval: float) -> None:
        self._clock = clock
        self._interval = interval
        self._last: float | None = None

    def wait(self) -> None:
        """Sleep until the next request may go, and count it as sent now."""
        if self._last is not None and (delay := self._last + self._interval - self._clock.monotonic()) > 0:
            self._clock.sleep(delay)
        self._last = self._clock.monotonic()

"""Run independent pieces of work on every core, with results in the order they were given.

Rendering 30,000 pages is pure CPU work split into independent parts (halves of the paper
pages, each kind of listing page), and Python runs one thread at a time, so the parts run
in forked worker processes. Fork, not spawn: a worker inherits the parts (closures over the
site) as they are, nothing but the small index and the result crosses a pipe, and nothing is
imported again. Results come back in the given order, so output never depends on which
worker finished first. Where fork does not exist, on one core, or with too little work to
repay starting the workers, the parts run one after another in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

T = TypeVar("T")
_parts: Sequence[Callable[[], object]] = ()  # what the forked workers inherit


def _run(index: int) -> object:
    return _parts[index]()


def workers() -> int:
    """How many processes to use: the cores this process may run on (GENERATOR_WORKERS overrides)."""
    wanted = os.environ.get("GENERATOR_WORKERS")
    if wanted:
        return max(1, int(wanted))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_parts(parts: Sequence[Callable[[], T]], parallel: bool = True) -> list[T]:
    """`[part() for part in parts]`, on several processes when `parallel` and it can."""
    count = min(workers(), len(parts))
    if not parallel or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [part() for part in parts]
    global _parts
    _parts = parts
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return cast(list[T], pool.map(_run, range(len(parts)), chunksize=1))
    finally:
        _parts = ()

"""Installed library versions, for the keys that must change when a library does: the run's
fingerprint (write/fingerprint.py), the topics cache (curate/topic_cache.py) and the site
record (site/incremental.py)."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata


def installed_versions(names: Iterable[str]) -> list[tuple[str, str]]:
    """(name, version) for each of `names`; "-" for a library that is not installed."""
    found = []
    for name in names:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "-"))
    return found

"""The real digests as the in-memory `Site` the renderers take (for pure-function tests)."""

from __future__ import annotations

import functools

from generator.catalogue import catalogue
from generator.curate.taxonomy import load_taxonomy
from generator.curate.topics import assign_topics
from generator.model import Site, digest_slugs
from generator.read import read_digests
from generator.settings import load_settings

from .conftest import ROOT


@functools.cache
def real_model() -> Site:
    settings = load_settings(ROOT / "site.yml")
    taxonomy = load_taxonomy(ROOT / "topics.yml")
    digests = read_digests(ROOT / "digests", settings)
    papers = assign_topics(catalogue(digests).papers, taxonomy)
    return Site(settings, papers, tuple(digests), digest_slugs(digests), taxonomy)

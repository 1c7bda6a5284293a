"""Each paper's topics as the model ranked them, cached: a run ranks only the papers it has not seen.

A paper's topics are a function of its title and abstract (its embedding is computed from
them) and of what ships or is curated: the model files, topics.yml, the ranking code and the
numeric libraries (topics.py). So the result is cached per paper by a hash of the text as
ranked (`text_key`: title and abstract, kept apart since title terms count more), in a file
stamped with a key of everything else (`model_key`); a file made under another key is
ignored whole. Only the model's result is kept: curators' tags (`tags:` on a page,
overrides.py) replace it after curation, as without the cache.

The file (`.generator/topics-cache.json`, git-ignored, skipped by the fingerprint, like
embeddings.npz) is one header line, `{"format", "key", "sha256" of the rest}`, then one JSON
object: text hash -> topic slugs, primary first. A file that cannot be read, is not that, or
whose body does not match its checksum is ignored and written again: the cache can only make
a run faster, never change what it writes (tests/test_topic_cache.py). It holds the papers
of the last run that saved it (papers that left the digests leave it).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.cache_file import add_code, write_checksummed
from generator.model import Paper, Topic
from generator.versions import installed_versions

FORMAT = 1  # bump when what an entry means changes
CODE = Path(__file__).parent  # generator/curate/: the ranking code, its word lists and the model files
SHARED = (CODE.parent / "text.py", CODE.parent / "model.py")  # what the ranking code imports from outside
LIBRARIES = ("numpy", "scipy", "tokenizers", "wordllama")  # the arithmetic and the profiles' embeddings


def text_key(paper: Paper) -> str:
    """A hash of what the model reads of a paper: its title and its abstract."""
    data = json.dumps([paper.title, paper.abstract], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def model_key(taxonomy: Sequence[Topic]) -> str:
    """A hash of everything besides the paper that its topics depend on: the taxonomy (order
    included: ties go to the earlier topic), every file of generator/curate/ (code, stop words,
    the model), the shared modules it imports, the library versions and Python's."""
    digest = hashlib.sha256(f"topic-cache {FORMAT}\0python {sys.version_info[:2]}\0".encode())
    for name, version in installed_versions(LIBRARIES):
        digest.update(f"lib {name} {version}\0".encode())
    topics = [[t.slug, t.name, t.description, list(t.terms)] for t in taxonomy]
    digest.update(json.dumps(topics, ensure_ascii=False).encode("utf-8"))
    add_code(digest, CODE, SHARED)
    return digest.hexdigest()


class TopicCache:
    """Topics by text hash, for one taxonomy and model (`model_key`).

    `get(papers)` gives each paper's cached topics or None; `put` records the topics just
    ranked; `save()` writes the entries of the last `get`'s papers back, if they differ from
    the file's."""

    def __init__(self, path: Path | None, taxonomy: Sequence[Topic]) -> None:
        self.path = path
        self.key = model_key(taxonomy)
        self.slugs = frozenset(t.slug for t in taxonomy)
        self.known: dict[str, tuple[str, ...]] = self._load() if path is not None else {}
        self.loaded = frozenset(self.known)
        self.used: list[str] = []
        self.computed = 0

    def _load(self) -> dict[str, tuple[str, ...]]:
        """The file's entries; none if it is missing, unreadable, damaged or made for another key."""
        assert self.path is not None
        try:
            header, _, body = self.path.read_bytes().partition(b"\n")
            meta = json.loads(header)
            if meta != {"format": FORMAT, "key": self.key, "sha256": hashlib.sha256(body).hexdigest()}:
                return {}
            entries = json.loads(body)
            known = {k: tuple(v) for k, v in entries.items()}
        except (OSError, ValueError, TypeError, AttributeError):
            return {}
        # Checked anyway: the file is only ever a cache, never trusted to be what it says.
        valid = all(
            isinstance(k, str) and len(v) > 0 and all(isinstance(s, str) and s in self.slugs for s in v)
            for k, v in known.items()
        )
        return known if valid else {}

    def get(self, papers: Sequence[Paper]) -> list[tuple[str, ...] | None]:
        self.used = [text_key(p) for p in papers]
        return [self.known.get(k) for k in self.used]

    def put(self, papers: Iterable[Paper], topics: Iterable[tuple[str, ...]]) -> None:
        for paper, chosen in zip(papers, topics, strict=True):
            self.known[text_key(paper)] = tuple(chosen)
            self.computed += 1

    def save(self) -> None:
        if self.path is None:
            return
        keys = sorted(set(self.used))
        if not self.computed and set(keys) == self.loaded:
            return  # the file already holds exactly these entries
        body = json.dumps({k: list(self.known[k]) for k in keys}, separators=(",", ":"), ensure_ascii=False)
        write_checksummed(self.path, {"format": FORMAT, "key": self.key}, body.encode("utf-8"))

"""The last run's candidate search and reasons, so that a new digest searches only its own papers.

Above `related.EXACT_LIMIT` papers, a paper's widest candidates (related.py `Wide`) depend on
its own text and on the papers it is compared with, given the reference (related.py
`reference_rows`). The file keeps each paper's candidates with its text hash, and each shown
pair's reason (neighbours.py) with a hash of what the reason reads of the two papers. A run
with the same reference reuses a paper's candidates when its text is unchanged and none of
its candidates left or changed, and merges the new papers in (`related.update`); any other
paper is searched afresh. The result is the one a search from scratch gives
(tests/test_related_cache.py compares them).

The file (`.generator/related-cache.npz`, git-ignored, skipped by the fingerprint, like the
topics cache) is an uncompressed `.npz`: the arrays, and `meta`, a JSON text with the key of
the code and libraries (`code_key`), the reference's hash, the slugs and text hashes, the
reasons and a SHA-256 of the arrays. A file that cannot be read, or is not exactly that, is
ignored and written again: the cache can only make a run faster, never change its output.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from generator.cache_file import add_code, write_atomically
from generator.curate.related import Wide
from generator.versions import installed_versions

FORMAT = 1  # bump when what an entry means changes
CODE = Path(__file__).parent  # generator/curate/: the search, the reasons, the word lists
SHARED = (CODE.parent / "text.py", CODE.parent / "model.py")
LIBRARIES = ("numpy", "scipy")
ARRAYS = ("index", "rough", "exact")


def code_key(topic_names: Mapping[str, str]) -> str:
    """A hash of everything besides the papers that candidates and reasons depend on: every file
    of generator/curate/, the modules it imports, the topics' names (reasons name them), the
    library versions and Python's."""
    digest = hashlib.sha256(f"related-cache {FORMAT}\0python {sys.version_info[:2]}\0".encode())
    for name, version in installed_versions(LIBRARIES):
        digest.update(f"lib {name} {version}\0".encode())
    digest.update(json.dumps(sorted(topic_names.items()), ensure_ascii=False).encode("utf-8"))
    add_code(digest, CODE, SHARED)
    return digest.hexdigest()


@dataclass
class Cached:
    """What the file held: candidates by slug, and reasons by pair."""

    reference: str = ""
    slugs: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # text hashes, as slugs
    index: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int32))
    rough: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    exact: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    reasons: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)  # pair -> keys, why


class RelatedCache:
    """Read once; `save` writes this run's candidates and reasons (unless `path` is None)."""

    def __init__(self, path: Path | None, topic_names: Mapping[str, str]) -> None:
        self.path = path
        self.key = code_key(topic_names)
        self.cached = self._load() if path is not None else Cached()
        self.searched = 0  # papers searched afresh this run (the rest reused or merged)
        self.found: tuple[str, list[str], list[str], list[Wide]] | None = None  # this run's, to save

    def _load(self) -> Cached:
        assert self.path is not None
        try:
            with np.load(self.path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                arrays = {name: np.array(data[name]) for name in ARRAYS}
            if meta.get("format") != FORMAT or meta.get("key") != self.key or meta.get("sha256") != _checksum(arrays):
                return Cached()
            slugs, keys = meta["slugs"], meta["keys"]
            index, rough, exact = arrays["index"], arrays["rough"], arrays["exact"]
            n = len(slugs)
            valid = (
                len(keys) == n and index.ndim == 2 and index.shape[0] == n and rough.shape == index.shape
                and exact.shape == index.shape and (not index.size or (index.min() >= 0 and index.max() < n))
            )
            reasons = {(a, b): (ka, kb, why) for a, b, ka, kb, why in meta["reasons"]}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, EOFError, zipfile.BadZipFile):
            return Cached()
        return Cached(meta["reference"], slugs, keys, index, rough, exact, reasons) if valid else Cached()

    def reuse(
        self, reference: str, slugs: Sequence[str], keys: Sequence[str]
    ) -> tuple[dict[int, Wide], list[int]]:
        """({row: its cached candidates, in this run's indices} for papers whose text and
        candidates are unchanged, the rows of papers the cache does not know or knew with
        another text). Rows in neither had a candidate that left or changed: search them."""
        old = self.cached
        if old.reference != reference or not old.slugs:
            return {}, list(range(len(slugs)))
        now_at = {slug: i for i, slug in enumerate(slugs)}
        same = np.full(len(old.slugs), -1, dtype=np.int64)  # old row -> this run's row, if unchanged
        for o, (slug, key) in enumerate(zip(old.slugs, old.keys, strict=True)):
            i = now_at.get(slug)
            if i is not None and keys[i] == key:
                same[o] = i
        kept: dict[int, Wide] = {}
        for o in np.flatnonzero(same >= 0).tolist():
            moved = same[old.index[o]]
            if (moved >= 0).all():
                kept[int(same[o])] = Wide(moved, old.rough[o].copy(), old.exact[o].copy())
        known = set(same[same >= 0].tolist())
        return kept, [i for i in range(len(slugs)) if i not in known]

    def save(self, reference: str, slugs: Sequence[str], keys: Sequence[str], wide: Sequence[Wide],
             reasons: Mapping[tuple[str, str], tuple[str, str, str]]) -> None:
        if self.path is None:
            return
        arrays: dict[str, np.ndarray] = {
            "index": np.array([w.index for w in wide], dtype=np.int32).reshape(len(wide), -1),
            "rough": np.array([w.rough for w in wide], dtype=np.float64).reshape(len(wide), -1),
            "exact": np.array([w.exact for w in wide], dtype=np.float64).reshape(len(wide), -1),
        }
        meta: dict[str, Any] = {
            "format": FORMAT, "key": self.key, "sha256": _checksum(arrays), "reference": reference,
            "slugs": list(slugs), "keys": list(keys),
            "reasons": [[a, b, *value] for (a, b), value in sorted(reasons.items())],
        }
        buffer = io.BytesIO()
        text = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        meta_bytes = np.frombuffer(text, dtype=np.uint8)
        np.savez(buffer, meta=meta_bytes, index=arrays["index"], rough=arrays["rough"], exact=arrays["exact"])
        write_atomically(self.path, buffer.getvalue())


def _checksum(arrays: Mapping[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in ARRAYS:
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name} {array.dtype.str} {array.shape}\0".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()

"""Semantic embeddings of papers, offline: WordLlama's 256-dimension static token embeddings.

The `wordllama` wheel ships its weights (`weights/l2_supercat_256.safetensors`, 32,000 tokens
x 256, float16) and its tokenizer (`tokenizers/l2_supercat_tokenizer_config.json`) inside the
package, so nothing is downloaded, at build time or ever. Its own loader looks for the
tokenizer in a `tokenizer/` folder that does not exist and would then try the network, so
this module reads both files itself (the `tokenizers` and `safetensors` packages) without
importing wordllama, and computes what `WordLlama.embed(texts, norm=True)` computes: the mean
of the text's token vectors (no special tokens, no truncation), L2-normalised. The sum is a
sparse token-count matrix times the embedding table (float32), so memory stays a few MB per
thousand papers; tests/test_embed.py compares it with wordllama's own `embed`.

A paper's vector depends on its text only, so it is cached by content hash (`EmbeddingCache`):
a run embeds only the papers it has not seen. Vectors are stored rounded to float16, which
also makes them the same on every machine of the same setup.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

DIM = 256
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
BATCH = 2_000  # texts tokenised and pooled at a time


def package_dir() -> Path:
    """The installed wordllama package (found without importing it: its import pulls in
    huggingface_hub and requests, which nothing here needs)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("wordllama is not installed (requirements.txt pins it)")
    return Path(spec.origin).parent


def _safetensor(path: Path, key: str) -> np.ndarray:
    """One tensor of a .safetensors file: an 8-byte little-endian header size, a JSON header
    naming each tensor's dtype, shape and byte offsets, then the bytes."""
    data = path.read_bytes()
    size = int.from_bytes(data[:8], "little")
    entry = json.loads(data[8 : 8 + size])[key]
    dtype = {"F16": np.float16, "F32": np.float32}[entry["dtype"]]
    start, end = entry["data_offsets"]
    return np.frombuffer(data[8 + size + start : 8 + size + end], dtype=dtype).reshape(entry["shape"])


@cache
def model() -> tuple[Any, np.ndarray]:
    """(the tokenizer, the embedding table as float32), loaded once per process."""
    from tokenizers import Tokenizer

    root = package_dir()
    tokenizer = Tokenizer.from_file(str(root / TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer, _safetensor(root / WEIGHTS, "embedding.weight").astype(np.float32)


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised mean token vectors, float32, one row per text (zeros for an empty text)."""
    tokenizer, table = model()
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        chunk = list(texts[start : start + BATCH])
        encoded = tokenizer.encode_batch(chunk, add_special_tokens=False)
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encoded]
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        flat = np.clip(np.concatenate(ids) if ids else np.zeros(0, np.int64), 0, table.shape[0] - 1)
        rows = np.repeat(np.arange(len(chunk)), lengths)
        counts = sparse.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), (rows, flat)), shape=(len(chunk), table.shape[0])
        )
        pooled = np.asarray(counts @ table) / np.maximum(lengths, 1)[:, None].astype(np.float32)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        out[start : start + len(chunk)] = pooled / norms
    return out


def paper_text(title: str, abstract: str) -> str:
    """What a paper's vector is computed from."""
    return f"{title}. {abstract}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class EmbeddingCache:
    """Vectors by content hash, kept in one .npz file (hashes and float16 rows).

    `vectors(texts)` returns one row per text, embedding only the texts not in the cache;
    `save()` writes the cache back (only the vectors of the last call's texts: papers that
    left the digests leave the cache)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, np.ndarray] = {}
        self.used: list[str] = []
        self.computed = 0
        if path is not None and path.exists():
            with np.load(path) as data:
                self.known = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        keys = [content_hash(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.known))
        if missing:
            where = {k: i for i, k in enumerate(keys)}
            fresh = embed([texts[where[k]] for k in missing]).astype(np.float16)
            self.known.update(zip(missing, fresh, strict=True))
            self.computed = len(missing)
        self.used = keys
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self.known[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if self.path is None:
            return
        keys = sorted(set(self.used))
        vectors = np.stack([self.known[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float16)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=vectors)
        tmp.replace(self.path)

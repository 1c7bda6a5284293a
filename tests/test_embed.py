"""Embeddings come from the wordllama wheel, offline, equal to wordllama's own, and cached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from generator.curate.embed import EmbeddingCache, embed, package_dir

TEXTS = ["Diffusion samplers with fewer steps.", "Regret bounds for linear bandits.", "", "Ünïcode ∑ text"]


def test_vectors_are_wordllamas_own() -> None:
    from wordllama import WordLlama

    theirs = WordLlama.load(cache_dir=package_dir(), disable_download=True).embed(TEXTS[:2] + TEXTS[3:], norm=True)
    mine = embed(TEXTS)
    assert mine.shape == (4, 256) and mine.dtype == np.float32
    assert np.allclose(np.delete(mine, 2, axis=0), theirs, atol=1e-6)
    assert not mine[2].any()  # an empty text: zeros, not NaN


def test_loads_offline_from_the_wheel(tmp_path: Path) -> None:
    """No network, no hub cache: the weights and tokenizer are files of the installed package."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HOME": str(tmp_path), "HF_HOME": str(tmp_path / "hf")}
    code = "from generator.curate.embed import embed; print(embed(['a paper'])[0][:3])"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "hf").exists() and not (tmp_path / ".cache").exists()


def test_cache_embeds_only_new_texts(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.npz"
    first = EmbeddingCache(path)
    a = first.vectors(TEXTS[:2])
    first.save()
    again = EmbeddingCache(path)
    b = again.vectors(TEXTS[:3])
    assert again.computed == 1 and np.array_equal(a, b[:2])
    fresh = EmbeddingCache(None).vectors(TEXTS[:3])
    assert np.array_equal(fresh, b)  # cached or not, the same float16-rounded values

"""The labelled papers (tests/fixtures/topic_labels/): labels, texts and the frozen split.

Every entry of digests.yml and corpus.yml carries `split: train` or `split: test`, written
once by `assign_splits` and committed: the split never changes when labels are added (a new
entry gets its split by the same rule and the old ones keep theirs). The rule: within each
primary topic, entries sorted by the SHA-256 of their key; positions 1 and 3 of every five
(0-based) go to test, so 40% are test and every topic with at least 5 labels is in both.

The extra files (train_extra_a.yml, train_extra_b.yml: 2,110 corpus papers chosen mostly by
keyword search to cover every topic, labelled by reading them) are train by definition: they
carry `split: train`, never enter the split rule, and none of them is a paper of the original
files or of the digests (tests/test_curation.py checks it). Their texts are in
texts_extra.jsonl.xz.

Only `train_rows()` is given to anything that tunes (terms, thresholds, weights, model
selection, training); `test_rows()` is read only by the final evaluation
(`curation.evaluate`), which tests/test_curation.py checks.
"""

from __future__ import annotations

import hashlib
import json
import lzma
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "fixtures" / "topic_labels"
FILES = {"digests": LABELS / "digests.yml", "corpus": LABELS / "corpus.yml"}
EXTRA_FILES = {"extra_a": LABELS / "train_extra_a.yml", "extra_b": LABELS / "train_extra_b.yml"}
TEXTS = LABELS / "texts.jsonl"
EXTRA_TEXTS = LABELS / "texts_extra.jsonl.xz"
TEST_POSITIONS = (1, 3)  # of every five, by SHA-256 within a primary topic


@dataclass(frozen=True)
class Labelled:
    """One labelled paper: its key, source, text and the topics a reader gave it."""

    key: str  # "digest:<digest id>:<title>" or "arxiv:<id>"
    source: str  # "digests", "corpus" (the original files), "extra_a" or "extra_b"
    title: str
    digest: str | None
    primary: str
    acceptable: tuple[str, ...]
    split: str  # "train" or "test" ("" before assign_splits ran)
    abstract: str = ""

    @property
    def right(self) -> frozenset[str]:
        """The topics counted right-or-acceptable as a primary topic."""
        return frozenset((self.primary, *self.acceptable))

    @property
    def original(self) -> bool:
        """One of the original files' papers (the site's distribution), not a keyword-chosen extra."""
        return self.source in FILES


def read_label_files() -> list[Labelled]:
    """Every paper of the original files (the frozen split), digests first, in file order
    (texts not attached)."""
    rows: list[Labelled] = []
    for source, path in FILES.items():
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            if source == "corpus":
                key, digest = f"arxiv:{entry['arxiv']}", None
            else:
                key, digest = f"digest:{entry['digest']}:{entry['title']}", entry["digest"]
            rows.append(
                Labelled(key, source, entry["title"], digest, entry["primary"], tuple(entry["acceptable"]),
                         entry.get("split", ""))
            )
    return rows


def read_extra_files() -> list[Labelled]:
    """Every paper of the extra train files, in file order (texts not attached)."""
    rows: list[Labelled] = []
    for source, path in EXTRA_FILES.items():
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            rows.append(
                Labelled(f"arxiv:{entry['arxiv']}", source, entry["title"], None, entry["primary"],
                         tuple(entry["acceptable"]), entry["split"])
            )
    return rows


def _with_texts(rows: list[Labelled], lines: list[str]) -> list[Labelled]:
    texts = {}
    for line in lines:
        row = json.loads(line)
        texts[row["key"]] = row
    return [
        Labelled(r.key, r.source, texts[r.key]["title"], r.digest, r.primary, r.acceptable, r.split,
                 texts[r.key]["abstract"])
        for r in rows
    ]


def all_rows() -> list[Labelled]:
    """Every paper of the original files with its title and abstract (texts.jsonl)."""
    return _with_texts(read_label_files(), TEXTS.read_text(encoding="utf-8").splitlines())


def extra_rows() -> list[Labelled]:
    """Every paper of the extra train files with its title and abstract (texts_extra.jsonl.xz)."""
    with lzma.open(EXTRA_TEXTS, "rt", encoding="utf-8") as handle:
        return _with_texts(read_extra_files(), handle.read().splitlines())


def train_rows() -> list[Labelled]:
    """The rows anything that tunes may see: the original train split, then the extras."""
    return [r for r in all_rows() if r.split == "train"] + extra_rows()


def test_rows() -> list[Labelled]:
    """The frozen test split: read only by the final evaluation."""
    return [r for r in all_rows() if r.split == "test"]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def split_rule(rows: list[Labelled]) -> dict[str, str]:
    """{key: "train"/"test"} by the rule of the module docstring."""
    by_topic: dict[str, list[str]] = {}
    for r in rows:
        by_topic.setdefault(r.primary, []).append(r.key)
    split = {}
    for keys in by_topic.values():
        for i, key in enumerate(sorted(keys, key=_digest)):
            split[key] = "test" if i % 5 in TEST_POSITIONS else "train"
    return split


def assign_splits() -> int:
    """Write `split:` into entries that have none (after their `acceptable:` line); return how many.

    Entries that already have a split keep it: the test split is frozen. New entries are
    placed by the rule among the new entries of their topic only.
    """
    rows = read_label_files()
    new = split_rule([r for r in rows if not r.split])
    written = 0
    for source, path in FILES.items():
        keys = iter(r.key for r in rows if r.source == source)
        lines, out = path.read_text(encoding="utf-8").split("\n"), []
        for line in lines:
            out.append(line)
            if line.startswith("  acceptable:"):
                key = next(keys)
                if key in new:
                    out.append(f"  split: {new[key]}")
                    written += 1
        path.write_text("\n".join(out), encoding="utf-8")
    return written


if __name__ == "__main__":
    print(f"split written for {assign_splits()} entries")

"""Issue 13: the frozen evaluation split, the shipped topic model, and its figures on papers it
never saw (printed: `pytest tests/test_curation.py -s`)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from curation import labels
from curation.labels import all_rows, extra_rows, read_extra_files, read_label_files, split_rule, train_rows
from generator.curate.topic_model import MODEL, TopicModel

MODEL_FILES = ("topics.json", "examples.npy", "vocabulary.txt", "idf.npy", "text_weights.npy",
               "profile_vocabulary.txt", "profile_idf.npy")  # fmt: skip


def test_every_labelled_paper_has_its_frozen_split() -> None:
    rows = read_label_files()
    assert len(rows) >= 400 and len({r.key for r in rows}) == len(rows)
    assert {r.split for r in rows} == {"train", "test"}
    assert split_rule(rows) == {r.key: r.split for r in rows}  # the committed field is the rule's, unedited
    share = sum(r.split == "test" for r in rows) / len(rows)
    assert 0.37 <= share <= 0.43
    per_topic = Counter((r.primary, r.split) for r in rows)
    for topic, n in Counter(r.primary for r in rows).items():
        if n >= 5:
            assert per_topic[(topic, "train")] and per_topic[(topic, "test")], topic
    assert {r.source for r in rows} == {"digests", "corpus"}
    assert len({r.digest for r in rows if r.digest}) == 5  # all five digests


def test_texts_are_there_for_every_label() -> None:
    rows = all_rows() + extra_rows()
    assert all(r.title and len(r.abstract) > 100 for r in rows)


def _folded(title: str) -> str:
    return " ".join(title.split()).casefold()


def test_the_extra_labels_are_train_papers_of_no_other_file() -> None:
    """train_extra_*.yml: train by definition, outside the split rule, and none of them is a
    paper of the original files (test split included) or of the five digests."""
    extras, original = read_extra_files(), read_label_files()
    assert len(extras) == 2110 and len({r.key for r in extras}) == len(extras)
    assert {r.split for r in extras} == {"train"}
    assert not {r.key for r in extras} & {r.key for r in original}
    digest_titles = {
        _folded(line) for path in (labels.ROOT / "digests").glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
    }  # fmt: skip
    titles = {_folded(r.title) for r in original} | digest_titles
    assert not [r.title for r in extras if _folded(r.title) in titles]
    assert [r.title for r in extra_rows()] == [r.title for r in extras]  # the texts are these papers'
    taxonomy = {t["slug"] for t in yaml.safe_load((labels.ROOT / "topics.yml").read_text(encoding="utf-8"))}
    assert all(r.primary in taxonomy and set(r.acceptable) <= taxonomy for r in extras)


def test_training_reads_only_the_train_split(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The training entry point never sees a test row, and is deterministic: the same labels
    give the shipped model's files, byte for byte."""
    from curation import candidates, train

    def forbidden() -> None:
        raise AssertionError("training read the test split")

    seen: set[str] = set()
    signals, text = candidates.raw_signals, train.fit_text

    def spy(rows, examples):  # type: ignore[no-untyped-def]
        seen.update(r.key for r in (*rows, *examples))
        return signals(rows, examples)

    def text_spy(rows, *args):  # type: ignore[no-untyped-def]
        seen.update(r.key for r in rows)
        return text(rows, *args)

    monkeypatch.setattr(labels, "test_rows", forbidden)
    monkeypatch.setattr(train, "test_rows", forbidden)
    monkeypatch.setattr(candidates, "raw_signals", spy)
    monkeypatch.setattr(train, "fit_text", text_spy)
    settings, vectors, examples, classifier, profile = train.train()
    test_keys = {r.key for r in all_rows() if r.split == "test"}
    assert seen == {r.key for r in train_rows()} and not seen & test_keys
    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    train.write(settings, vectors, examples, classifier, profile, tmp_path, test=shipped["test"])
    for name in MODEL_FILES:
        assert (tmp_path / name).read_bytes() == MODEL.with_name(name).read_bytes(), f"{name}: retrain and commit"


# Floors two papers (of 208) under the shipped model's test figures (74.0%, 88.9%, 0.0%), so
# that a retrained model that does worse fails; issue 13's targets (90%, 97%, 2%) are not met
# (README, "Topic accuracy").
FLOOR_PRIMARY, FLOOR_RIGHT, CEILING_NONE = 0.73, 0.87, 0.02


def test_figures_on_the_frozen_test_split() -> None:
    """The shipped model on the test split, through the generator's own code path: the figures
    the topics overview page prints. Targets (issue 13): primary >= 90%, right-or-acceptable
    >= 97%, other/none <= 2%; README ("Topic accuracy") says where they fall short."""
    from curation.evaluate import evaluate_model

    found = evaluate_model(TopicModel.load(), labels.test_rows())
    recorded = json.loads(MODEL.read_text(encoding="utf-8"))["test"]
    print(
        f"\ntopic model on the frozen test split (n={found['n']}): primary {found['primary']:.1%} (target 90%), "
        f"right-or-acceptable {found['right']:.1%} (target 97%), other or none {found['none']:.1%} (at most 2%), "
        f"{found['topics_per_paper']} topics a paper, secondary topics right {found['secondary_right']:.1%}"
    )
    print("confusion, most frequent first (labelled -> placed under):")
    for expected, got, n in found["confusion"]:  # type: ignore[attr-defined]
        print(f"  {expected} -> {got}: {n}")
    assert found == recorded  # the overview page's figures are today's
    assert found["none"] <= CEILING_NONE  # type: ignore[operator]
    assert found["primary"] >= FLOOR_PRIMARY and found["right"] >= FLOOR_RIGHT  # type: ignore[operator]


def test_the_package_ships_the_model() -> None:
    root = Path(__file__).resolve().parent.parent
    data = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '"model/*.json", "model/*.npy", "model/*.txt"' in data
    for name in MODEL_FILES:
        assert MODEL.with_name(name).exists(), name

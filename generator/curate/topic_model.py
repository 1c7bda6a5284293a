"""The trained topic model, as `curation/train.py` wrote it (generator/curate/model/).

- `topics.json`: the weight of each signal (generator/curate/signals.py: the same for every
  topic), the intercept, the thresholds for "other" and for secondary topics, the
  cross-validation figures that chose them, and the figures on the frozen test split;
- `examples.npy` and the `examples` list in topics.json: the embedding vectors (float16) and
  primary topics of the labelled train papers, the examples a paper is compared with;
- the text classifier, one linear SVM per topic over TF-IDF word 1-2-grams (title counted
  twice), whose score is one more signal: `vocabulary.txt` (its features, one a line, in
  column order), `idf.npy` (their IDF, float64) and `text_weights.npy` (features x topics,
  float16; its topics and intercepts are in topics.json);
- the profile signal's TF-IDF (`profile_tfidf`, signals.py): `profile_vocabulary.txt` (the
  word 1-2-grams of the topics' profiles, one a line) and `profile_idf.npy` (their IDF,
  float64), fitted once on the labelled train papers and the profiles, so that a paper's
  similarity to a profile depends on the paper alone, not on the other papers of the site.

Only numpy reads it: scikit-learn trained it and is not needed to use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FOLDER = Path(__file__).parent / "model"
MODEL = FOLDER / "topics.json"
EXAMPLES = FOLDER / "examples.npy"
VOCABULARY = FOLDER / "vocabulary.txt"
IDF = FOLDER / "idf.npy"
TEXT_WEIGHTS = FOLDER / "text_weights.npy"
PROFILE_VOCABULARY = FOLDER / "profile_vocabulary.txt"
PROFILE_IDF = FOLDER / "profile_idf.npy"
DECIMALS = 6


def evaluation() -> dict[str, Any]:
    """The model's figures on the frozen test split, as `curation/train.py` measured them."""
    figures: dict[str, Any] = json.loads(MODEL.read_text(encoding="utf-8"))["test"]
    return figures


@dataclass(frozen=True)
class TopicModel:
    weights: np.ndarray  # one per feature (signals.features order)
    intercept: float
    other_below: float  # a primary topic less probable than this becomes "other"
    secondary_share: float  # a secondary topic needs this share of the primary's probability
    examples: np.ndarray  # labelled papers' vectors, float32
    labels: tuple[str, ...]  # their primary topic slugs
    settings: dict[str, Any]  # everything topics.json holds (figures for the overview page)
    vocabulary: tuple[str, ...]  # the text classifier's features
    idf: np.ndarray  # their IDF
    text_weights: np.ndarray  # features x settings["text_topics"], float32
    profile_vocabulary: tuple[str, ...]  # the profile signal's features (the profiles' 1-2-grams)
    profile_idf: np.ndarray  # their IDF, from the train papers and the profiles

    @classmethod
    def load(cls, folder: Path = FOLDER) -> TopicModel:
        settings = json.loads((folder / MODEL.name).read_text(encoding="utf-8"))
        examples = np.load(folder / EXAMPLES.name).astype(np.float32)
        return cls(
            np.array(settings["weights"], dtype=np.float64),
            float(settings["intercept"]),
            float(settings["other_below"]),
            float(settings["secondary_share"]),
            examples,
            tuple(settings["examples"]),
            settings,
            tuple((folder / VOCABULARY.name).read_text(encoding="utf-8").split("\n")[:-1]),
            np.load(folder / IDF.name),
            np.load(folder / TEXT_WEIGHTS.name).astype(np.float32),
            tuple((folder / PROFILE_VOCABULARY.name).read_text(encoding="utf-8").split("\n")[:-1]),
            np.load(folder / PROFILE_IDF.name),
        )

    def text_scores(self, tfidf_rows: Any, slugs: list[str]) -> np.ndarray:
        """papers x topics (`slugs` order): each topic's linear SVM score of the papers' TF-IDF
        rows (tfidf.transform over `vocabulary`). A topic the classifier was not trained on
        gets the paper's lowest score."""
        found = np.asarray(tfidf_rows @ self.text_weights) + np.array(self.settings["text_intercepts"])
        column = {s: j for j, s in enumerate(self.settings["text_topics"])}
        low = found.min(axis=1) if found.shape[1] else np.zeros(found.shape[0])
        return np.stack([found[:, column[s]] if s in column else low for s in slugs], axis=1)

    def bias(self, slugs: list[str]) -> np.ndarray:
        """Each topic's own term of the logit (0 for a topic the model was not trained on)."""
        given = self.settings.get("topic_bias", {})
        return np.array([float(given.get(s, 0.0)) for s in slugs])

    def probabilities(self, features: np.ndarray, slugs: list[str]) -> np.ndarray:
        """papers x topics: the probability that each topic is the paper's primary topic,
        rounded to `DECIMALS` so that rankings do not depend on floating-point noise."""
        logits = features @ self.weights + self.intercept + self.bias(slugs)
        found: np.ndarray = np.round(1.0 / (1.0 + np.exp(-logits)), DECIMALS)
        return found

    def choose(self, probabilities: np.ndarray, slugs: list[str], limit: int = 3) -> tuple[str, ...]:
        """1-`limit` topics, primary first: the most probable, then those with at least
        `secondary_share` of its probability; "other" alone when the best is under `other_below`.
        Ties go to the topic earlier in topics.yml."""
        order = sorted(range(len(slugs)), key=lambda j: (-probabilities[j], j))
        best = probabilities[order[0]]
        if best < self.other_below and "other" in slugs:
            return ("other",)
        chosen = [slugs[order[0]]]
        for j in order[1:limit]:
            if probabilities[j] >= self.secondary_share * best and slugs[j] != "other":
                chosen.append(slugs[j])
        return tuple(chosen)

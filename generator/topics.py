"""Stage 3: load the taxonomy (`topics.yml`) and rank each paper's topics, primary first.

Two signals are combined, because each fails alone. Terms are precise but brittle: a term
found once in an abstract may be incidental ("error bound" in a diffusion paper). Text
similarity sees the whole abstract but cannot tell a topic's core from its neighbours. So:

1. **Terms.** Each of a topic's terms is looked for as a whole word or phrase, with plural
   and simple inflected forms ("LLM" finds "LLMs", "language model" finds "language-models").
   A term written with two or more capitals (an acronym: "RL", "NAS") matches only with that
   case, so "nas" or "Pet" in prose are not signals. A term in the title is worth
   `TITLE_POINTS`; in the abstract one point per occurrence, at most `ABSTRACT_CAP`.
2. **Similarity.** scikit-learn's TF-IDF (word 1-2-grams, sublinear tf, English stop words)
   turns each paper's title and abstract and each topic's name, description and terms into
   vectors; the cosine between them measures how much of the paper is about the topic.

A topic's score is its term points times `0.5 + similarity / best similarity of the paper`,
so terms decide whether a topic is a candidate and similarity reorders close candidates.
A topic is kept only if its points reach `FLOOR` (one title term, or repeated abstract terms:
never one incidental word); secondary topics must also score at least `SECONDARY_SHARE` of the
primary's score. A paper with no topic over the floor falls back to its most similar topic
if that similarity is at least `FALLBACK_SIMILARITY`; otherwise it stays unclassified.
At most `MAX_TOPICS`. Ties are broken by the topic's order in `topics.yml`: deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.model import Paper
from generator.parallel import run_parts, workers
from generator.settings import load_yaml_with_lines
from generator.text import ascii_words

TITLE_POINTS = 3
ABSTRACT_CAP = 3
FLOOR = 3
SECONDARY_SHARE = 0.45
FALLBACK_SIMILARITY = 0.02
MAX_TOPICS = 3
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = ("slug", "name", "description", "terms")


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    terms: tuple[str, ...]

    @cached_property
    def patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((term, term_pattern(term)) for term in self.terms)

    @property
    def profile(self) -> str:
        """The text a paper is compared with: name, description and terms."""
        return " ".join((self.name, self.description, *self.terms))


def split_term(term: str) -> list[str]:
    """A term's words: spaces and hyphens separate them ("fine-tune" is "fine", "tune")."""
    return [w for w in re.split(r"[\s\-]+", term.strip()) if w]


def term_pattern(term: str) -> re.Pattern[str]:
    """A whole-word pattern for `term` with its plural/inflected forms; acronyms keep case."""
    words = [re.escape(w) for w in split_term(term)]
    last = words.pop()
    # "model" -> models; "policy" -> policies; "fine-tune" -> fine-tuned / fine-tuning.
    plural_y = last.endswith("y") and len(last) > 2
    last = f"{last[:-1]}(?:y|ies)" if plural_y else f"{last}(?:s|es|'s|d|ed|ing)?"
    body = r"[\s\-]+".join([*words, last])
    acronym = sum(c.isupper() for c in term) >= 2
    return re.compile(rf"(?<![\w-]){body}(?![\w])", 0 if acronym else re.IGNORECASE)


def load_taxonomy(path: Path) -> tuple[Topic, ...]:
    """Read and validate topics.yml, reporting every problem with its line before stopping."""
    data = load_yaml_with_lines(path)
    if not isinstance(data, list) or not data:
        raise UserError(f"{path}:1: expected a list of topics (slug, name, description, terms)")
    problems: list[str] = []
    topics: list[Topic] = []
    slugs: dict[str, object] = {}
    names: dict[str, object] = {}
    for entry in data:
        line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
        found = _check_topic(entry, f"{path}:{line}", slugs, names)
        problems += found
        if isinstance(entry, dict):  # remembered even if faulty: a later duplicate is still named
            if isinstance(entry.get("slug"), str):
                slugs.setdefault(entry["slug"], line)
            if isinstance(entry.get("name"), str):
                names.setdefault(entry["name"].strip().casefold(), line)
        if not found and isinstance(entry, dict):
            terms = tuple(t.strip() for t in entry["terms"])
            topics.append(Topic(entry["slug"], entry["name"].strip(), " ".join(entry["description"].split()), terms))
    if problems:
        raise UserError("\n".join(problems))
    return tuple(topics)


def _check_topic(entry: object, where: str, slugs: dict[str, object], names: dict[str, object]) -> list[str]:
    """Every problem of one topic entry, each naming the file and line."""
    if not isinstance(entry, dict):
        return [f"{where}: expected a topic mapping (slug, name, description, terms), found {entry!r}"]
    problems = [f"{where}: unknown key {key!r}" for key in sorted(set(entry) - {*KEYS, "__line__"})]
    problems += [f"{where}: missing key {key!r}" for key in KEYS if key not in entry]
    slug, name, description, terms = (entry.get(k) for k in KEYS)
    if "slug" in entry and (not isinstance(slug, str) or not SLUG.match(slug)):
        problems.append(f"{where}: 'slug' must be lowercase words joined by hyphens, found {slug!r}")
    elif isinstance(slug, str) and slug in slugs:
        problems.append(f"{where}: slug {slug!r} is already used by the topic at line {slugs[slug]}")
    for key, value in (("name", name), ("description", description)):
        if key in entry and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{where}: '{key}' must be a non-empty text")
    if isinstance(name, str) and name.strip().casefold() in names:
        problems.append(
            f"{where}: name {name.strip()!r} is already used by the topic at line {names[name.strip().casefold()]}"
        )
    if "terms" in entry:
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and re.search(r"\w", t) for t in terms)
        ):
            problems.append(f"{where}: 'terms' must be a non-empty list of words or phrases")
        else:
            folded = [t.strip().casefold() for t in terms]
            problems += [
                f"{where}: term {t!r} is listed twice" for t in sorted({t for t in folded if folded.count(t) > 1})
            ]
            problems += [
                f"{where}: term {b!r} is already matched by {a!r} (plural and inflected forms match): remove it"
                for i, a in enumerate(terms)
                for b in terms[i + 1 :]
                if a.casefold() != b.casefold() and term_pattern(a).fullmatch(b)
            ]
    return problems


@dataclass(frozen=True)
class TopicScore:
    """Why a topic ranks where it does for one paper: what `topics --explain` prints."""

    slug: str
    matches: tuple[tuple[str, str, int], ...]  # (term, "title"/"abstract", occurrences)
    points: int
    similarity: float
    score: float


def term_matches(paper: Paper, topic: Topic) -> tuple[tuple[str, str, int], ...]:
    found = []
    for term, pattern in topic.patterns:
        for where, text in (("title", paper.title), ("abstract", paper.abstract)):
            n = len(pattern.findall(text))
            if n:
                found.append((term, where, n))
    return tuple(found)


def term_literal(term: str) -> tuple[str, bool]:
    """(text every match of `term_pattern(term)` contains, whether case counts).

    The pattern's first word appears verbatim (up to case) in every match; for a one-word
    term ending in "y" only the word without its "y" does ("policy" -> "policies").
    """
    words = split_term(term)
    first = words[0]
    if len(words) == 1 and re.escape(first).endswith("y") and len(re.escape(first)) > 2:
        first = first[:-1]
    return first, sum(c.isupper() for c in term) >= 2


def term_words(term: str) -> tuple[frozenset[str], ...] | None:
    """For each word of `term`, the lowercased whole words of a text that can match it
    (None: no shortcut, any text may match).

    In a match of `term_pattern(term)` every word of the term is a whole `\\w+` word of the
    text: the match starts after a non-word character, words are separated by spaces or
    hyphens, and it ends before a word character. A word is itself, except the last one,
    which may carry a suffix ("'s" ends the word before the apostrophe) or, ending in "y",
    be its "ies" form. A term with a word that is not plain ASCII word characters gets no
    shortcut.
    """
    words = split_term(term)
    if not all(re.fullmatch(r"[A-Za-z0-9_]+", w) for w in words):
        return None
    last = words[-1]
    if last.endswith("y") and len(last) > 2:  # as in `term_pattern`: "policy", not "TTY"
        forms = {last, f"{last[:-1]}ies"}
    else:
        forms = {last + end for end in ("", "s", "es", "d", "ed", "ing")}
    return (*(frozenset({w.lower()}) for w in words[:-1]), frozenset(f.lower() for f in forms))


class _Words:
    """Which texts may match a term: an index of each text's lowercased words.

    Running every term's regex over every abstract is what made topics slow (a regex with a
    lookbehind and IGNORECASE has no fast literal scan), and a substring scan finds "code" in
    every "encoder". A text can only match a term if it holds each of the term's words as a
    whole word (`term_words`), so only those texts are searched, and `count_matches` still
    counts, giving the same counts. For ASCII text, IGNORECASE matching is exactly `lower()` equality; a
    non-ASCII text is always searched (no shortcut), so the counts never change.
    """

    def __init__(self, texts: Sequence[str], lowered: Sequence[str], wanted: frozenset[str]) -> None:
        """Index the `wanted` words (all terms' `term_words`) of `texts` (`lowered`: their lower())."""
        self.count = len(texts)
        self.always = [i for i, t in enumerate(texts) if not t.isascii()]
        self.index: dict[str, list[int]] = {}
        for i, (text, low) in enumerate(zip(texts, lowered, strict=True)):
            if text.isascii():
                for word in wanted.intersection(ascii_words(low)):
                    self.index.setdefault(word, []).append(i)

    def holding(self, words: tuple[frozenset[str], ...] | None) -> set[int]:
        """The texts holding, for each word of a term, one of its forms (and every non-ASCII text)."""
        if words is None:
            return set(range(self.count))
        found: set[int] | None = None
        for forms in words:
            texts = {i for form in forms for i in self.index.get(form, ())}
            found = texts if found is None else found & texts
        return set(self.always) | (found or set())


def count_matches(pattern: re.Pattern[str], text: str, literal: str, case: bool, lowered: str | None = None) -> int:
    """`len(pattern.findall(text))`, trying the pattern only where its literal starts.

    Every match starts with the literal (`term_literal`), and `findall` takes the leftmost
    match, then continues after it; `Pattern.match(text, at)` still sees the text before
    `at` for the lookbehind, so this counts the same matches without scanning every position.
    """
    if not (literal.isascii() and text.isascii()):
        return len(pattern.findall(text))
    if case:
        haystack, needle = text, literal
    else:
        haystack, needle = (text.lower() if lowered is None else lowered), literal.lower()
    count, at = 0, haystack.find(needle)
    while at >= 0:
        match = pattern.match(text, at)
        if match:
            count += 1
            at = haystack.find(needle, max(match.end(), at + 1))
        else:
            at = haystack.find(needle, at + 1)
    return count


Matches = tuple[tuple[str, str, int], ...]


PARALLEL_FROM = 2_000  # papers: from here term matching runs on every core (generator/parallel.py)


def all_term_matches(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> list[list[Matches]]:
    """`term_matches(paper, topic)` for every paper and topic, searching only texts that
    hold every word of a term (see `_Words`). Papers are independent: from `PARALLEL_FROM`
    papers, one contiguous share per worker, joined in order."""
    count = workers() if len(papers) >= PARALLEL_FROM else 1
    size = max(1, -(-len(papers) // count))
    shares = [papers[start : start + size] for start in range(0, len(papers), size)]
    parts = [partial(_term_matches_of, share, taxonomy) for share in shares]
    return [row for rows in run_parts(parts, parallel=count > 1) for row in rows]


def _term_matches_of(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> list[list[Matches]]:
    terms = [
        (j, term, pattern, *term_literal(term), term_words(term))
        for j, t in enumerate(taxonomy)
        for term, pattern in t.patterns
    ]
    wanted = frozenset(form for *_, words in terms for forms in words or () for form in forms)
    texts = [[p.title for p in papers], [p.abstract for p in papers]]
    lowered = [[t.lower() for t in column] for column in texts]
    indexes = [_Words(column, low, wanted) for column, low in zip(texts, lowered, strict=True)]
    table: list[list[list[tuple[str, str, int]]]] = [[[] for _ in taxonomy] for _ in papers]
    for j, term, pattern, literal, case, words in terms:
        in_title, in_abstract = (index.holding(words) for index in indexes)
        for i in sorted(in_title | in_abstract):
            for where, column, low, hit in (
                ("title", texts[0], lowered[0], in_title),
                ("abstract", texts[1], lowered[1], in_abstract),
            ):
                n = count_matches(pattern, column[i], literal, case, low[i]) if i in hit else 0
                if n:
                    table[i][j].append((term, where, n))
    return [[tuple(cell) for cell in row] for row in table]


def _points(matches: Sequence[tuple[str, str, int]]) -> int:
    return sum(TITLE_POINTS if where == "title" else min(n, ABSTRACT_CAP) for _, where, n in matches)


def _signals(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> tuple[Any, list[list[Matches]]]:
    """(cosine similarity of each paper to each topic, as a dense array; each paper's term
    matches per topic), the two inputs of every score."""
    # Imported here: numpy and scipy (~0.4 s) are not needed to load the taxonomy (MkDocs'
    # hooks, a no-op run).
    from generator.tfidf import cosine, split_rows, tfidf

    # scikit-learn's TfidfVectorizer (min_df=1) of "title title abstract", counted faster.
    matrix = tfidf([(p.title, p.title, p.abstract) for p in papers] + [(t.profile,) for t in taxonomy])
    return cosine(*split_rows(matrix, len(papers))), all_term_matches(papers, taxonomy)


def _score(slug: str, matches: Matches, raw: float, best: float) -> TopicScore:
    points = _points(matches) if matches else 0
    sim = round(raw, 6)  # rounded: identical on every machine
    return TopicScore(slug, matches, points, sim, round(points * (0.5 + sim / best), 6))


def score_topics(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> list[list[TopicScore]]:
    """Every topic's score for every paper, in taxonomy order."""
    if not papers:
        return []
    similarity, found = _signals(papers, taxonomy)
    slugs = [t.slug for t in taxonomy]
    table = []
    for sims, cells in zip(similarity.tolist(), found, strict=True):  # Python floats: no numpy scalars
        best = max(max(sims), 1e-9)
        table.append([_score(*cell, best) for cell in zip(slugs, cells, sims, strict=True)])
    return table


def choose(scores: Sequence[TopicScore]) -> tuple[str, ...]:
    """The 1-3 topics of one paper, primary first (see the module docstring for the rules).

    `scores` are in taxonomy order; ties go to the earlier one.
    """
    order = sorted(range(len(scores)), key=lambda j: (-scores[j].score, -scores[j].similarity, j))
    ranked = [scores[j] for j in order if scores[j].points >= FLOOR]
    if not ranked:
        best = max(range(len(scores)), key=lambda j: (scores[j].similarity, -j), default=None)
        if best is None or scores[best].similarity < FALLBACK_SIMILARITY:
            return ()
        return (scores[best].slug,)
    primary = ranked[0].score
    return tuple(s.slug for s in ranked[:MAX_TOPICS] if s.score >= SECONDARY_SHARE * primary)


def assign_topics(papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...]) -> tuple[Paper, ...]:
    """Each paper with its topics, as `choose(score_topics(...)[i])` gives them.

    Only the topics with term points can reach the floor, so only theirs are scored (in
    taxonomy order, so `choose` breaks ties the same way); a paper with none over the floor
    falls back on similarity alone, and its whole row is scored. At 30,000 papers and 23
    topics this skips ~650,000 of the 690,000 scores.
    """
    if not papers:
        return papers
    similarity, found = _signals(papers, taxonomy)
    slugs = [t.slug for t in taxonomy]
    best_of = [max(b, 1e-9) for b in similarity.max(axis=1).tolist()]
    chosen = []
    for i, (cells, best) in enumerate(zip(found, best_of, strict=True)):
        sims = similarity[i]
        scores = [_score(slugs[j], cell, float(sims[j]), best) for j, cell in enumerate(cells) if cell]
        if not any(s.points >= FLOOR for s in scores):
            scores = [_score(*cell, best) for cell in zip(slugs, cells, sims.tolist(), strict=True)]
        chosen.append(choose(scores))
    return tuple(replace(p, topics=topics) for p, topics in zip(papers, chosen, strict=True))


def explain(paper: Paper, papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> str:
    """A readable account of a paper's topic ranking (similarity is relative to `papers`)."""
    index = next(i for i, p in enumerate(papers) if p.slug == paper.slug)
    row = score_topics(papers, taxonomy)[index]
    chosen = choose(row)
    names = {t.slug: t.name for t in taxonomy}
    lines = [f"{paper.title}", f"topics: {', '.join(names[s] for s in chosen) or '(none)'}", ""]
    lines.append(
        f"rules: title term {TITLE_POINTS} points, abstract term 1 per occurrence (max {ABSTRACT_CAP}); "
        f"floor {FLOOR} points; secondary >= {SECONDARY_SHARE:.0%} of primary; max {MAX_TOPICS}"
    )
    for s in sorted(row, key=lambda s: (-s.score, -s.similarity)):
        if not s.points and s.similarity < FALLBACK_SIMILARITY:
            continue
        verdict = (
            f"chosen #{chosen.index(s.slug) + 1}"
            if s.slug in chosen
            else ("below floor" if s.points < FLOOR else "below secondary share or rank")
        )
        terms = ", ".join(f"{t} ({w}{' x' + str(n) if n > 1 else ''})" for t, w, n in s.matches) or "no terms"
        lines.append(
            f"- {names[s.slug]} [{s.slug}]: score {s.score:.2f} = {s.points} points x "
            f"(0.5 + similarity {s.similarity:.3f} / best); {verdict}"
        )
        lines.append(f"    terms: {terms}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Coverage:
    """How the papers spread over the topics: the figures a curator checks after a run."""

    papers: int
    counts: tuple[tuple[Topic, int], ...]  # taxonomy order
    unclassified: int

    @property
    def unclassified_share(self) -> float:
        return self.unclassified / self.papers if self.papers else 0.0

    def share(self, count: int) -> float:
        return count / self.papers if self.papers else 0.0


def coverage(papers: Sequence[Paper], taxonomy: Sequence[Topic]) -> Coverage:
    counts = {t.slug: 0 for t in taxonomy}
    for paper in papers:
        for slug in paper.topics:
            counts[slug] += 1
    unclassified = sum(1 for p in papers if not p.topics)
    return Coverage(len(papers), tuple((t, counts[t.slug]) for t in taxonomy), unclassified)

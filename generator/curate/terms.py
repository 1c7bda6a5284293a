"""Term matching, the curators' signal of a topic: each term of topics.yml found as a whole
word or phrase, with plural and simple inflected forms ("LLM" finds "LLMs", "language model"
finds "language-models"). A term written with two or more capitals (an acronym: "RL", "NAS")
matches only with that case, so "nas" or "Pet" in prose are not signals.

Running every term's regex over every text is slow, so a text is searched only if it holds
every word of the term (`_Words`), and a pattern is tried only where its literal starts
(`count_matches`): the same counts, tested against the plain regex (tests/test_ranking_exact.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, partial

from generator.model import Paper, Topic
from generator.parallel import run_parts, workers
from generator.text import ascii_words

Matches = tuple[tuple[str, str, int], ...]  # (term, "title"/"abstract", occurrences)


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


@cache
def patterns(topic: Topic) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each of the topic's terms with its pattern, compiled once per topic."""
    return tuple((term, term_pattern(term)) for term in topic.terms)


def term_matches(paper: Paper, topic: Topic) -> tuple[tuple[str, str, int], ...]:
    found = []
    for term, pattern in patterns(topic):
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
        for term, pattern in patterns(t)
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

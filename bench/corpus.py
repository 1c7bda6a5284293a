"""A synthetic corpus of N papers, made from the real digests, written as digest files.

Every synthetic paper borrows a real paper's title, abstract and metadata layout, and gets a
made-up word of its own in the title and another in the abstract (`title_word`, `abstract_word`):
titles and slugs stay distinct, and a search for either word must find exactly that paper.
Digests hold ~50 papers each, dated three days apart (30,000 papers span five years); every tenth one is trending-style
(no metadata block); listing dates come with and without a year; each digest repeats two
papers of the day before, as real digests do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from generator.model import Listing
from generator.read import read_digests
from generator.settings import load_settings

PER_DIGEST = 50
REPEATS = 2  # papers of the previous digest listed again
FIRST_DAY = date(2021, 1, 4)
DAYS_APART = 3  # 600 digests of 50 papers (30,000 papers) span five years
SYLLABLES = ("ka", "lo", "mi", "ru", "te", "zo", "vi", "na", "pe", "su", "do", "gu", "fa", "ri", "bo", "xe")
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n{kind}\n\nbyAK and the research community\n\n"


def word(n: int, prefix: str) -> str:
    """A made-up word, unique for each n (base-16 over syllables), that no real abstract holds."""
    parts = []
    for _ in range(4):
        n, digit = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return prefix + "".join(parts)


def title_word(n: int) -> str:
    return word(n, "quor")


def abstract_word(n: int) -> str:
    return word(n, "vel")


@dataclass(frozen=True)
class Corpus:
    digests: int
    papers: int
    listings: int


def real_listings(root: Path) -> list[Listing]:
    settings = load_settings(root / "site.yml")
    seen: dict[str, Listing] = {}
    for digest in read_digests(root / "digests", settings):
        for listing in digest.listings:
            seen.setdefault(listing.title, listing)
    return list(seen.values())


def _abstract(base: Listing, n: int) -> str:
    """The base abstract with its sentences rotated, and the paper's own word in it."""
    sentences = [s.strip().rstrip(".") for s in base.abstract.split(". ") if s.strip()]
    turn = n % len(sentences)
    rotated = ". ".join(sentences[turn:] + sentences[:turn])
    return f"We introduce {abstract_word(n)}. {rotated}."


def _metadata(base: Listing, n: int, day: date) -> str:
    published = day - timedelta(days=(n * 7919) % 500)
    shown = f"{published:%b} {published.day}"
    if published.year != day.year:
        shown += f", {published.year}"
    upvotes = (n * 31) % 90
    if upvotes and published.year == day.year:
        shown += f" {upvotes}"
    return f"  • {base.author_count or (n % 12) + 1} authors\n·\n{shown}\n\n"


def digest_text(number: int, day: date, papers: list[int], bases: list[Listing], trending: bool) -> str:
    kind = "Trending Papers" if trending else "Daily Papers"
    parts = [HEADER.format(kind=kind), f"{day:%b} {day.day}, {day.year}\n\n"]
    for n in papers:
        base = bases[n % len(bases)]
        parts.append(f"{title_word(n).capitalize()}: {base.title}\n\n{_abstract(base, n)}\n\n")
        if not trending:
            parts.append(_metadata(base, n, day))
    return "".join(parts)


def write_digest(folder: Path, number: int, papers: list[int], bases: list[Listing]) -> Path:
    day = FIRST_DAY + timedelta(days=DAYS_APART * number)
    name = f"{number:05d}_{hashlib.sha256(str(number).encode()).hexdigest()[:16]}.txt"
    path = folder / name
    path.write_text(digest_text(number, day, papers, bases, trending=number % 10 == 9), encoding="utf-8")
    return path


def write_corpus(
    folder: Path, papers: int, bases: list[Listing], first_paper: int = 0, first_digest: int = 0
) -> Corpus:
    """Digests holding papers first_paper .. first_paper+papers-1, numbered from first_digest."""
    folder.mkdir(parents=True, exist_ok=True)
    numbers = list(range(first_paper, first_paper + papers))
    chunks = [numbers[i : i + PER_DIGEST] for i in range(0, len(numbers), PER_DIGEST)]
    listings = 0
    previous: list[int] = []
    for offset, chunk in enumerate(chunks):
        listed = chunk + previous[:REPEATS]
        write_digest(folder, first_digest + offset, listed, bases)
        listings += len(listed)
        previous = chunk
    return Corpus(digests=len(chunks), papers=papers, listings=listings)


# --- The real-paper corpus: what the benchmark measures on (issue 18) --------------------------------

REAL_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "arxiv-2025.jsonl.xz"


@dataclass(frozen=True)
class ArxivPaper:
    """One paper of ../shared/corpus (real arXiv metadata; see its README)."""

    id: str
    listed: date
    title: str
    abstract: str
    authors: int


def arxiv_papers(path: Path = REAL_CORPUS) -> list[ArxivPaper]:
    """Every paper of the corpus in listing order (day listed, then arXiv id)."""
    import json
    import lzma

    papers = []
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            listed = date.fromisoformat(record["listed"])
            paper = ArxivPaper(record["id"], listed, record["title"], record["abstract"], len(record["authors"]))
            if _readable(paper):
                papers.append(paper)
    papers.sort(key=lambda p: (p.listed, p.id))
    return papers


def _readable(paper: ArxivPaper) -> bool:
    """Whether a digest can list the paper: a title and an abstract that reads as sentences (the
    reader takes a short line without a final stop for a title): 1 of the 47,919, a one-line reply, fails it."""
    abstract = paper.abstract.strip().rstrip("\"'”’)]")
    return bool(paper.title.strip()) and (len(abstract.split()) >= 25 or abstract.endswith(tuple(".!?。！？．…")))


def _real_metadata(paper: ArxivPaper, n: int, day: date) -> str:
    """The listing's metadata block: author count, then the published day (the day arXiv listed
    it; the year only when it is not the digest's) and, most days, upvotes."""
    shown = f"{paper.listed:%b} {paper.listed.day}"
    if paper.listed.year != day.year:
        shown += f", {paper.listed.year}"
    upvotes = (n * 31) % 90
    if upvotes and paper.listed.year == day.year:
        shown += f" {upvotes}"
    return f"  • {max(paper.authors, 1)} authors\n·\n{shown}\n\n"


def real_digest_text(day: date, listed: list[tuple[int, ArxivPaper]], trending: bool) -> str:
    """A digest in the reader's layout: header boilerplate, the date with its year, then per paper
    a title line, the abstract and (not in trending-style digests) the metadata block."""
    kind = "Trending Papers" if trending else "Daily Papers"
    parts = [HEADER.format(kind=kind), f"{day:%b} {day.day}, {day.year}\n\n"]
    for n, paper in listed:
        parts.append(f"{paper.title}\n\n{paper.abstract}\n\n")
        if not trending:
            parts.append(_real_metadata(paper, n, day))
    return "".join(parts)


def write_real_corpus(
    folder: Path, papers: list[ArxivPaper], count: int, first_paper: int = 0, first_digest: int = 0
) -> Corpus:
    """Digests of PER_DIGEST real papers, papers[first_paper : first_paper+count] in listing order,
    numbered from first_digest. A digest is dated the day its last paper was listed (several
    digests share a busy day); every tenth is trending-style (no metadata), and each lists two
    papers of the one before again, as real digests do."""
    folder.mkdir(parents=True, exist_ok=True)
    numbers = list(range(first_paper, first_paper + count))
    chunks = [numbers[i : i + PER_DIGEST] for i in range(0, len(numbers), PER_DIGEST)]
    listings = 0
    previous = numbers and list(range(max(0, first_paper - PER_DIGEST), first_paper))
    for offset, chunk in enumerate(chunks):
        number = first_digest + offset
        listed = [(n, papers[n]) for n in chunk + previous[:REPEATS]]
        day = max(paper.listed for _, paper in listed)
        name = f"{number:05d}_{hashlib.sha256(str(number).encode()).hexdigest()[:16]}.txt"
        (folder / name).write_text(real_digest_text(day, listed, trending=number % 10 == 9), encoding="utf-8")
        listings += len(listed)
        previous = chunk
    return Corpus(digests=len(chunks), papers=count, listings=listings)

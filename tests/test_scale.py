"""Scale without MkDocs: on 2,000 synthetic papers, long listings are split into pages by date,
every paper stays reachable from its topics, and a new digest rewrites only what changed."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import frontmatter
import pytest

from bench.corpus import PER_DIGEST, real_listings, write_corpus
from tests.conftest import ROOT, run_generator
from tests.synthetic import synthetic_project

PAPERS = 2000
PAGE_SIZE = 150  # site.yml listing_page_size: 2,000 papers over 51 topics fill some topics past it
# A paper as a Markdown link ("Most upvoted", digests) or as a row of the paper table (raw HTML).
MD_LINK = re.compile(r"\]\((?:\.\./)+papers/([^)]+)\.md\)")
ROW_LINK = re.compile(r'<a href="((?:\.\./)+papers/[a-z0-9-]+/)">')  # a table row's title, a digest card's


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = synthetic_project(tmp_path_factory.mktemp("scale") / "project", PAPERS)
    settings = project / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"\nlisting_page_size: {PAGE_SIZE}\n", encoding="utf-8")
    done = run_generator(project, "build", "--quiet")
    assert done.returncode == 0, done.stderr
    return project


def linked(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return MD_LINK.findall(text) + [href.split("/")[-2] for href in ROW_LINK.findall(text)]


def test_table_links_reach_the_papers_from_each_topic_pages_url(project: Path) -> None:
    """The table's links are raw HTML, which MkDocs does not check: resolved from the page's
    built URL (docs/topics/x.md is served as topics/x/), each must lead to papers/<slug>/."""
    docs = project / "docs"
    for page in (docs / "topics").rglob("*.md"):
        url = page.relative_to(docs).with_suffix("").as_posix() + "/"
        for href in ROW_LINK.findall(page.read_text(encoding="utf-8")):
            target = posixpath.normpath(posixpath.join(url, href))
            assert target.startswith("papers/") and (docs / f"{target}.md").is_file(), (page, href)


def test_a_large_topic_is_split_into_pages_of_at_most_the_limit(project: Path) -> None:
    topics = project / "docs" / "topics"
    split = [folder for folder in topics.iterdir() if folder.is_dir()]
    assert split, f"at {PAPERS} papers some topic should exceed {PAGE_SIZE} papers"
    for folder in split:
        front = topics / f"{folder.name}.md"
        assert len(linked(front)) <= 5  # only its "most upvoted"; the lists are on the parts
        for part in folder.glob("*.md"):
            assert 0 < len(linked(part)) <= PAGE_SIZE
            assert f"]({folder.name}/{part.stem}.md)" in front.read_text(encoding="utf-8")


def test_every_paper_is_listed_under_each_of_its_topics(project: Path) -> None:
    docs = project / "docs"
    listed: dict[str, set[str]] = {}
    for page in (docs / "topics").rglob("*.md"):
        topic = page.parent.name if page.parent.name != "topics" else page.stem
        for slug in linked(page):
            listed.setdefault(slug, set()).add(topic)
    for paper in (docs / "papers").glob("*.md"):
        text = paper.read_text(encoding="utf-8")
        has_topics = "\ntags: []\n" not in text
        assert paper.stem in listed or not has_topics, paper.stem
        assert len(listed.get(paper.stem, ())) <= 4  # its topics (up to 3), or "unclassified"


def snapshot(docs: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(docs).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in docs.rglob("*.md")}


def _without_topics(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if 'class="paper-card__topics"' not in line)


def test_a_new_digest_rewrites_only_the_pages_it_changes(project: Path) -> None:
    docs = project / "docs"
    before = snapshot(docs)
    old_papers = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.glob("papers/*.md")}
    old_digests = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.glob("digests/*.md")}
    assert run_generator(project, "build", "--quiet").returncode == 0
    assert snapshot(docs) == before, "a run with nothing new wrote files"

    digests = len(list((project / "digests").glob("*.txt")))
    write_corpus(project / "digests", PER_DIGEST, real_listings(ROOT), first_paper=PAPERS, first_digest=digests)
    done = run_generator(project, "build", "--quiet")
    assert done.returncode == 0, done.stderr
    after = snapshot(docs)
    rewritten = {rel for rel, stamp in after.items() if before.get(rel) != stamp}

    new_digest = next(rel for rel in after if rel.startswith("digests/") and rel not in before)
    in_new_digest = set(linked(docs / new_digest))
    papers = {rel for rel in rewritten if rel.startswith("papers/")}
    listed = {f"papers/{slug}.md" for slug in in_new_digest}  # new ones, and the 2 listed again
    assert listed <= papers
    # Older papers may change only in what is computed over the whole corpus (related papers, and
    # topics, whose TF-IDF scores shift as papers arrive): never in their own data.
    derived = {"related": None, "related_why": None, "tags": None, "facets": None}
    for rel in papers - listed:
        old, new = frontmatter.loads(old_papers[rel]), frontmatter.load(docs / rel)
        assert {**old.metadata, **derived} == {**new.metadata, **derived}, rel
        assert old.content == new.content, rel
    assert {"index.md", "digests/index.md", new_digest} <= rewritten
    # the digest before it gains its "next" link; no other digest page changes
    previous = max(rel for rel in before if rel.startswith("digests/") and rel != "digests/index.md")
    assert f'href="../{Path(new_digest).stem}/" rel="next"' in (docs / previous).read_text(encoding="utf-8")
    others = rewritten - papers - {"index.md", "digests/index.md", new_digest, previous}
    aggregates = ("topics/", "facets/", "all-papers", "code", "quality.md", "stats.md")
    # Another digest page changes only where a card shows topics (they shift as papers arrive).
    for rel in sorted(rel for rel in others if rel.startswith("digests/")):
        assert _without_topics(old_digests[rel]) == _without_topics((docs / rel).read_text(encoding="utf-8")), rel
    assert all(rel.startswith((*aggregates, "digests/")) for rel in others), others
    untouched_parts = [rel for rel in before if rel.count("/") == 2 and rel not in rewritten]
    assert untouched_parts, "older year pages of the topics should not be rewritten"


def test_a_listing_splits_by_year_then_month_then_day_so_no_page_passes_the_limit() -> None:
    from datetime import date, timedelta

    from generator.model import Appearance, Paper
    from generator.render.listing import listing_parts

    def paper(n: int, day: date) -> Paper:
        return Paper(key=f"k{n}", slug=f"p{n}", title=f"P{n}", abstract="A.",
                     appearances=(Appearance("d", day, 1, None),), published=day)

    busy, quiet = date(2025, 3, 14), date(2025, 3, 15)
    papers = [paper(n, busy) for n in range(25)] + [paper(100 + n, quiet) for n in range(3)]
    papers += [paper(200 + n, date(2025, 4, 1) + timedelta(days=n % 20)) for n in range(8)]
    papers += [paper(300, date(2024, 6, 1))]
    parts = listing_parts(papers, limit=10)
    sizes = {name: len(listed) for name, (_, listed) in parts.items()}
    assert sizes == {"2025-03-14": 10, "2025-03-14-2": 10, "2025-03-14-3": 5, "2025-03-15": 3,
                     "2025-04": 8, "2024": 1}
    assert parts["2025-03-14-2"][0] == "Mar 14, 2025 (2)" and parts["2025-04"][0] == "April 2025"
    assert sorted(p.slug for _, listed in parts.values() for p in listed) == sorted(p.slug for p in papers)

"""Incremental site builds are exact: after each change, the site/ that `paper-digest site` updated
is byte for byte the site/ a clean full build of the same docs/ writes (every file, the search
shards included), and the build says which kind it did and why.

On 250 real papers (../shared/corpus) with search shards of 150 pages and tail shards of 50
(generator/search/shards.py): a new digest that completes a block of 150 (its two tail shards
become one shard), another that opens a tail shard and re-indexes only it, a curator's new title
for a paper other pages list as related or show as previous/next in a digest, new
topics and a new date for a related paper, a digest's papers put in another order, a hidden
paper, then a theme change (full).
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import frontmatter
import pytest
import yaml

from bench.corpus import PER_DIGEST, arxiv_papers, write_real_corpus
from generator.search.shards import bucket_of
from tests.conftest import copy_project, run_generator

pytestmark = pytest.mark.slow
PAPERS = 250
ENV = {"SOURCE_DATE_EPOCH": "1767225600", "PAPER_DIGEST_SHARD_PAGES": "150", "PAPER_DIGEST_TAIL_PAGES": "50",
       "NO_MKDOCS_2_WARNING": "1"}


def site(project: Path, *args: str) -> dict[str, Any]:
    """`paper-digest site` as `make site` runs it; what it did, as JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", "site", "--json", *args],
        cwd=project, capture_output=True, text=True, env={**os.environ, **ENV}, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def generate(project: Path) -> None:
    done = run_generator(project, "build", "--quiet")
    assert done.returncode == 0, done.stderr


def differences(one: Path, other: Path) -> list[str]:
    names = {p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file()}
    names |= {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    return sorted(n for n in names if not ((one / n).is_file() and (other / n).is_file()
                                           and filecmp.cmp(one / n, other / n, shallow=False)))


def assert_equals_full_build(project: Path) -> None:
    """Build the same docs/ from scratch beside the incremental site/ and compare every file."""
    incremental = project / "site-incremental"
    (project / "site").rename(incremental)
    full = site(project, "--full")
    assert full["mode"] == "full"
    assert differences(project / "site", incremental) == []
    shutil.rmtree(incremental)


def listed(page: Path, key: str) -> list[str]:
    """A list field of a page's front matter, as text ([] if it is not a list)."""
    value = frontmatter.load(page).metadata.get(key)
    return [str(item) for item in value] if isinstance(value, list) else []


def search_blocks(project: Path) -> list[list[tuple[str, str, str]]]:
    """What each search shard should hold, read from docs/ (not from the build's record): the
    published paper pages in the order they were first listed, in complete blocks of the shard
    size, then tail blocks of the tail size, each with what search sees of it (overrides/paper.html's
    indexed block: not its date or topics)."""
    pages = []
    for page in sorted((project / "docs" / "papers").glob("*.md")):
        post = frontmatter.load(page)
        meta = post.metadata
        if meta.get("hidden") is True:
            continue
        digests = listed(page, "digests")
        first = min((f"{d[:10]}#{int(d[11:]) if d[11:].isdigit() else 1:04d}" for d in digests), default="")
        seen = repr([meta.get(k) for k in ("title", "authors")] + [post.content])
        pages.append((first, f"papers/{page.stem}/index.html", seen))
    per, tail = int(ENV["PAPER_DIGEST_SHARD_PAGES"]), int(ENV["PAPER_DIGEST_TAIL_PAGES"])
    pages.sort()
    whole = len(pages) // per * per
    return ([pages[i : i + per] for i in range(0, whole, per)]
            + [pages[i : i + tail] for i in range(whole, len(pages), tail)])


def shown_facts(project: Path) -> dict[str, str]:
    """Every paper's date and topics as its search result shows them (site/pagefind-facts/, by bucket)."""
    shown: dict[str, str] = {}
    for bucket in (project / "site" / "pagefind-facts").glob("*.json"):
        shown.update(json.loads(bucket.read_text(encoding="utf-8")))
    return shown


def day_shown(page: Path) -> str:
    """The date a paper's page shows: published, else the day of its first digest ("Dec 31, 1999")."""
    meta = frontmatter.load(page).metadata
    day = date.fromisoformat(str(meta.get("published") or listed(page, "digests")[0])[:10])
    return f"{day:%b} {day.day}, {day.year}"


def assert_results_show_facts(project: Path) -> None:
    """Each paper's bucket holds its date and its topics as its page lists them (Material sorts them)."""
    buckets = json.loads((project / "site" / "pagefind" / "shards.json").read_text(encoding="utf-8"))["fact_buckets"]
    shown = shown_facts(project)
    for page in sorted((project / "docs" / "papers").glob("*.md")):
        if frontmatter.load(page).metadata.get("hidden") is True:
            continue
        url = f"papers/{page.stem}/"
        assert shown[url] == " · ".join([day_shown(page), *sorted(listed(page, "tags"))]), url
        assert (project / "site" / "pagefind-facts" / f"{bucket_of(url, buckets)}.json").read_text(
            encoding="utf-8").count(f'"{url}"') == 1


def changed_blocks(before: list[list[tuple[str, str, str]]], after: list[list[tuple[str, str, str]]]) -> list[int]:
    return [k for k in range(len(after)) if k >= len(before) or before[k] != after[k]]


def related_of(project: Path) -> dict[str, list[str]]:
    """Slug -> the slugs its page lists as related."""
    found = {}
    for page in sorted((project / "docs" / "papers").glob("*.md")):
        related = frontmatter.load(page).metadata.get("related")
        found[page.stem] = [str(slug) for slug in related] if isinstance(related, list) else []
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("incremental") / "project", digests=None)
    write_real_corpus(project / "digests", arxiv_papers(), PAPERS)
    generate(project)
    first = site(project)
    assert first["mode"] == "full" and "no record" in first["reason"]
    assert first["shards"] == 3  # 250 papers: a block of 150, two tail blocks of 50
    return project


def test_1_nothing_changed_builds_nothing(project: Path) -> None:
    again = site(project)
    if again["mode"] != "up to date":  # files written just before the record are read once more
        assert again["rendered"] == 0 and again["reindexed"] == []
        again = site(project)
    assert again["mode"] == "up to date"


def add_digest(project: Path, number: int, digest: int, postponed: bool = False) -> dict[str, Any]:
    """The `number`-th digest after the first PAPERS papers, as the `digest`-th digest file
    (write_real_corpus: each tenth, 9, 19, ..., is trending-style, without dates), generated and
    built; `postponed`: dated a day after its papers were listed (a digest of a weekend)."""
    first = PAPERS + number * PER_DIGEST
    write_real_corpus(project / "digests", arxiv_papers(), PER_DIGEST, first_paper=first, first_digest=digest)
    if postponed:
        [written] = (project / "digests").glob(f"{digest:05d}_*.txt")
        text = written.read_text(encoding="utf-8")
        found = re.search(r"(?m)^[A-Z][a-z]{2} \d{1,2}, \d{4}$", text)
        assert found, "the digest's date line"
        day = datetime.strptime(found[0], "%b %d, %Y") + timedelta(days=1)
        dated = f"{day:%b} {day.day}, {day.year}"
        written.write_text(text[: found.start()] + dated + text[found.end() :], encoding="utf-8")
    generate(project)
    return site(project)


def test_2_a_digest_that_completes_a_block_makes_its_tail_shards_one_shard(project: Path) -> None:
    before = search_blocks(project)
    tags_before = {page.stem: listed(page, "tags") for page in (project / "docs" / "papers").glob("*.md")}
    done = add_digest(project, 0, 9, postponed=True)  # 300 papers: two complete blocks, no tail; no dates
    assert done["mode"] == "incremental"
    assert 50 <= done["rendered"] < done["pages"]
    # The tail blocks (150-199, 200-249) and the new papers are one block now: it alone is
    # indexed; the old second tail shard's folder is gone. No older paper's topics moved (they
    # depend on that paper alone: topics.py), and topics are not in the index anyway.
    expected = changed_blocks(before, search_blocks(project))
    assert expected == [1] and done["reindexed"] == [1] and done["shards"] == 2
    assert not (project / "site" / "pagefind-2").exists()
    assert json.loads((project / "site" / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"] == [
        "pagefind/", "pagefind-1/"]
    papers = project / "docs" / "papers"
    moved = [slug for slug, tags in tags_before.items() if listed(papers / f"{slug}.md", "tags") != tags]
    assert moved == []
    new_page = project / "site" / "papers"
    assert len(list(new_page.glob("*/index.html"))) == PAPERS + 50
    assert_results_show_facts(project)
    assert_equals_full_build(project)


def test_2b_a_new_digest_reindexes_only_the_tail_shard_it_opens(project: Path) -> None:
    """Even when it lists again two papers of the big shard before it (the last digest, which had
    no dates): they gain a published date, which their results show, but search does not index."""
    big = {p: p.stat().st_mtime_ns for folder in ("pagefind", "pagefind-1")
           for p in (project / "site" / folder).rglob("*") if p.is_file() and p.name != "shards.json"}
    papers = project / "docs" / "papers"
    undated = {page.stem: day_shown(page) for page in papers.glob("*.md")
               if not frontmatter.load(page).metadata.get("published")}
    done = add_digest(project, 1, 10)  # 350 papers: blocks of 150 and 150, a tail block of 50
    dated = [slug for slug in undated if frontmatter.load(papers / f"{slug}.md").metadata.get("published")]
    assert len(dated) == 2 and all(f"papers/{slug}/index.html" in str(search_blocks(project)[1]) for slug in dated)
    assert all(day_shown(papers / f"{slug}.md") != undated[slug] for slug in dated)  # published the day before
    assert done["mode"] == "incremental" and done["reindexed"] == [2] and done["shards"] == 3
    assert big == {p: p.stat().st_mtime_ns for p in big}  # the big shards were not written again
    assert_results_show_facts(project)
    assert_equals_full_build(project)


def _a_paper_listed_as_related(project: Path) -> tuple[str, list[str]]:
    listed: dict[str, list[str]] = {}
    for slug, related in related_of(project).items():
        for other in related:
            listed.setdefault(other, []).append(slug)
    slug = max(sorted(listed), key=lambda s: len(listed[s]))
    return slug, listed[slug]


def neighbours_of(project: Path, slug: str) -> list[str]:
    """The papers before and after `slug` in the digest its page came from (its last digest)."""
    digests = listed(project / "docs" / "papers" / f"{slug}.md", "digests")
    order = listed(project / "docs" / "digests" / f"{digests[-1]}.md", "papers")
    i = order.index(slug)
    return [order[j] for j in (i - 1, i + 1) if 0 <= j < len(order)]


def test_3_a_new_title_rerenders_every_page_that_lists_the_paper(project: Path) -> None:
    slug, listers = _a_paper_listed_as_related(project)
    neighbours = neighbours_of(project, slug)
    page = project / "docs" / "papers" / f"{slug}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"(?m)^title: .*$", "title: 'A Title Set By Hand'", text, count=1), encoding="utf-8")
    generate(project)  # listings follow the curator's title
    done = site(project)
    assert done["mode"] == "incremental"
    assert done["by_lookup"] >= 1
    for lister in listers:  # the related-papers list (paper_facts)
        html = (project / "site" / "papers" / lister / "index.html").read_text(encoding="utf-8")
        assert "A Title Set By Hand" in html
    for other in neighbours:  # the previous/next links of its digest (paper_title)
        html = (project / "site" / "papers" / other / "index.html").read_text(encoding="utf-8")
        assert re.search(r'class="paper-pager__(previous|next)".*A Title Set By Hand', html)
    assert_equals_full_build(project)


def test_3b_new_topics_and_date_of_a_related_paper_rerender_the_pages_that_show_them(project: Path) -> None:
    slug, listers = _a_paper_listed_as_related(project)
    page = project / "docs" / "papers" / f"{slug}.md"
    tags = listed(page, "tags")
    names = [t["name"] for t in yaml.safe_load((project / "topics.yml").read_text(encoding="utf-8"))]
    topic = next(name for name in sorted(names) if name not in tags)
    before = search_blocks(project)
    text = page.read_text(encoding="utf-8")  # a curator sets its topics and its date
    text = re.sub(r"(?ms)^tags:\n(?:- .*?\n)+", f"tags:\n- {topic}\n", text, count=1)
    text = re.sub(r"(?m)^published: .*\n", "", text).replace("\ndigests:", "\npublished: 1999-12-31\ndigests:", 1)
    page.write_text(text, encoding="utf-8")
    generate(project)
    assert listed(page, "tags") == [topic] and str(frontmatter.load(page).metadata["published"]) == "1999-12-31"
    done = site(project)
    assert done["mode"] == "incremental"
    assert done["by_lookup"] >= 1
    for lister in listers:  # the related paper's date and topics (paper_facts)
        html = (project / "site" / "papers" / lister / "index.html").read_text(encoding="utf-8")
        assert 'datetime="1999-12-31"' in html and topic in html
    # Search indexes neither the date nor the topics: no shard is indexed again; the paper's
    # result shows both (from pagefind-facts/, not the index).
    assert changed_blocks(before, search_blocks(project)) == [] and done["reindexed"] == []
    assert shown_facts(project)[f"papers/{slug}/"] == f"Dec 31, 1999 · {topic}"
    assert_equals_full_build(project)


def _came_from(project: Path, slug: str) -> str:
    return listed(project / "docs" / "papers" / f"{slug}.md", "digests")[-1]


def test_3c_a_digest_in_another_order_rerenders_its_papers_neighbours(project: Path) -> None:
    # A digest whose first two papers' pages came from it (their last digest): their pagers follow its order.
    for digest in sorted((project / "docs" / "digests").glob("2*.md")):
        order = listed(digest, "papers")
        first, second = order[0], order[1]
        if _came_from(project, first) == _came_from(project, second) == digest.stem:
            break
    before = digest.read_text(encoding="utf-8")
    digest.write_text(before.replace(f"- {first}\n- {second}\n", f"- {second}\n- {first}\n", 1), encoding="utf-8")
    done = site(project)  # a hand edit of docs/ (digest_neighbours), built before the generator runs
    assert done["mode"] == "incremental" and done["by_lookup"] >= 2
    html = (project / "site" / "papers" / first / "index.html").read_text(encoding="utf-8")
    assert f"Paper 2 of {len(order)} in the digest" in html
    assert_equals_full_build(project)
    digest.write_text(before, encoding="utf-8")
    assert site(project)["mode"] == "incremental"
    assert_equals_full_build(project)


def test_4_a_hidden_paper_leaves_the_site_and_every_related_list(project: Path) -> None:
    slug, listers = _a_paper_listed_as_related(project)
    note = project / "docs" / "papers" / f"{listers[0]}.md"  # a curator's note links to the paper
    before = note.read_text(encoding="utf-8")
    note.write_text(before + f"\nSee also [this paper]({slug}.md).\n", encoding="utf-8")
    generate(project)
    assert site(project)["mode"] == "incremental"
    page = project / "docs" / "papers" / f"{slug}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\nhidden: true\n", 1), encoding="utf-8")
    generate(project)
    # The note now links to a page that is not published: a full build stops on it, so must this one.
    failed = subprocess.run([sys.executable, "-m", "generator", "site"], cwd=project, capture_output=True,
                            text=True, env={**os.environ, **ENV}, check=False)
    assert failed.returncode == 1 and f"{slug}.md" in failed.stdout + failed.stderr
    note.write_text(before, encoding="utf-8")
    generate(project)
    done = site(project)  # the failed build left no record: a full build, then an incremental one
    assert done["mode"] == "full"
    assert not (project / "site" / "papers" / slug).exists()
    assert_equals_full_build(project)


def test_4b_hiding_a_paper_incrementally_equals_a_full_build(project: Path) -> None:
    slug, _ = _a_paper_listed_as_related(project)
    page = project / "docs" / "papers" / f"{slug}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\nhidden: true\n", 1), encoding="utf-8")
    generate(project)
    done = site(project)
    assert done["mode"] == "incremental" and done["deleted"] >= 1
    assert not (project / "site" / "papers" / slug).exists()
    assert_equals_full_build(project)


def test_5_a_theme_change_or_a_lost_site_is_a_full_build_and_says_why(project: Path) -> None:
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{#- a comment -#}\n", encoding="utf-8")
    done = site(project)
    assert done["mode"] == "full" and "overrides" in done["reason"]
    shutil.rmtree(project / "site")
    done = site(project)
    assert done["mode"] == "full" and "site/ is missing" in done["reason"]
    assert site(project, "--full")["reason"] == "asked for (--full)"

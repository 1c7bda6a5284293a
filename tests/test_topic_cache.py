"""The topics cache (generator/curate/topic_cache.py): a run ranks only the papers it has not
seen, and the cache never changes what a build writes: a cold, a warm and a damaged or stale
cache give the same docs/; a changed taxonomy or model file invalidates it; curators' tags
still win over the model; a no-op run does not read it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import frontmatter
import pytest

import generator.curate.topic_cache as topic_cache
from generator.build import Paths, build
from generator.catalogue import catalogue
from generator.curate.taxonomy import load_taxonomy
from generator.curate.topic_cache import TopicCache, model_key, text_key
from generator.curate.topics import assign_topics
from generator.model import Paper, Topic
from generator.read import read_digests
from generator.settings import load_settings
from tests.conftest import REAL_DIGESTS, copy_project

ROOT = Path(__file__).resolve().parent.parent
CACHE = "topics-cache.json"


def paths(project: Path) -> Paths:
    return Paths(project / "digests", project / "docs", project / ".generator",
                 project / "topics.yml", project / "site.yml")


@pytest.fixture(scope="module")
def taxonomy() -> tuple[Topic, ...]:
    return load_taxonomy(ROOT / "topics.yml")


@pytest.fixture(scope="module")
def papers() -> tuple[Paper, ...]:
    return catalogue(read_digests(REAL_DIGESTS, load_settings(ROOT / "site.yml"))).papers[:90]


@pytest.fixture(scope="module")
def ranked(papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...]) -> list[tuple[str, ...]]:
    return [p.topics for p in assign_topics(papers, taxonomy)]


def test_a_warm_cache_ranks_only_new_papers_and_gives_the_same_topics(
    tmp_path: Path, papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...], ranked: list[tuple[str, ...]]
) -> None:
    path = tmp_path / CACHE
    first = TopicCache(path, taxonomy)
    assert [p.topics for p in assign_topics(papers[:60], taxonomy, cache=first)] == ranked[:60]
    first.save()
    again = TopicCache(path, taxonomy)
    assert len(again.known) == len({text_key(p) for p in papers[:60]})
    assert [p.topics for p in assign_topics(papers, taxonomy, cache=again)] == ranked
    assert again.computed == len({text_key(p) for p in papers[60:]} - set(again.loaded))
    again.save()
    # Every paper known: nothing is ranked (the model is not even loaded), the file is not rewritten.
    before = path.read_bytes()
    warm = TopicCache(path, taxonomy)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.curate.topic_model.TopicModel.load", lambda *_: pytest.fail("ranked again"))
        assert [p.topics for p in assign_topics(papers, taxonomy, cache=warm)] == ranked
    warm.save()
    assert warm.computed == 0 and path.read_bytes() == before
    # Papers that left the digests leave the cache.
    fewer = TopicCache(path, taxonomy)
    assign_topics(papers[:10], taxonomy, cache=fewer)
    fewer.save()
    assert set(TopicCache(path, taxonomy).known) == {text_key(p) for p in papers[:10]}


def damaged(path: Path, taxonomy: tuple[Topic, ...]) -> dict[str, bytes]:
    """Cache files a run must ignore: each would give wrong topics if it were believed."""
    header, _, body = path.read_bytes().partition(b"\n")
    meta = json.loads(header)
    wrong = json.dumps({k: ["other"] for k in json.loads(body)}).encode()
    stale = dict(meta, key=model_key(taxonomy[::-1]), sha256=hashlib.sha256(wrong).hexdigest())
    bad_slug = json.dumps({k: ["no-such-topic"] for k in json.loads(body)}).encode()
    return {
        "garbage": b"\x00\xff not a cache",
        "empty": b"",
        "truncated": path.read_bytes()[: len(path.read_bytes()) // 2],
        "tampered body": header + b"\n" + wrong,
        "stale key": json.dumps(stale).encode() + b"\n" + wrong,
        "unknown topic": json.dumps(dict(meta, sha256=hashlib.sha256(bad_slug).hexdigest())).encode()
        + b"\n" + bad_slug,
        "not an object": json.dumps(dict(meta, sha256=hashlib.sha256(b"[1, 2]").hexdigest())).encode() + b"\n[1, 2]",
        "other format": json.dumps(dict(meta, format=0)).encode() + b"\n" + body,
    }


def test_a_damaged_or_stale_cache_is_ignored_and_written_again(
    tmp_path: Path, papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...], ranked: list[tuple[str, ...]]
) -> None:
    good = tmp_path / "good.json"
    cache = TopicCache(good, taxonomy)
    assign_topics(papers, taxonomy, cache=cache)
    cache.save()
    for name, data in damaged(good, taxonomy).items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(data)
        cache = TopicCache(path, taxonomy)
        assert cache.known == {}, name
        assert [p.topics for p in assign_topics(papers, taxonomy, cache=cache)] == ranked, name
        cache.save()
        assert path.read_bytes() == good.read_bytes(), name
    # Unreadable (a folder where the file goes): ignored, and not written, without an error.
    folder = tmp_path / "folder.json"
    folder.mkdir()
    cache = TopicCache(folder, taxonomy)
    assert [p.topics for p in assign_topics(papers, taxonomy, cache=cache)] == ranked
    cache.save()
    assert folder.is_dir()


def test_a_changed_taxonomy_or_model_file_invalidates_the_cache(
    tmp_path: Path, papers: tuple[Paper, ...], taxonomy: tuple[Topic, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = model_key(taxonomy)
    first = taxonomy[0]
    assert model_key((first.__class__(first.slug, first.name, first.description, (*first.terms, "new term")),
                      *taxonomy[1:])) != key
    assert model_key((first.__class__(first.slug, first.name, first.description + ".", first.terms),
                      *taxonomy[1:])) != key
    assert model_key((taxonomy[1], taxonomy[0], *taxonomy[2:])) != key  # ties go to the earlier topic
    assert model_key(taxonomy) == key  # deterministic
    path = tmp_path / CACHE
    cache = TopicCache(path, taxonomy)
    assign_topics(papers[:5], taxonomy, cache=cache)
    cache.save()
    code = tmp_path / "generator" / "curate"
    shutil.copytree(topic_cache.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(topic_cache, "CODE", code)
    assert model_key(taxonomy) == key  # the same files, elsewhere
    for name in ("model/topics.json", "model/examples.npy", "signals.py"):
        before = (code / name).read_bytes()
        (code / name).write_bytes(before + b"\n")
        assert model_key(taxonomy) != key, name
        assert TopicCache(path, taxonomy).known == {}, name
        (code / name).write_bytes(before)
    assert len(TopicCache(path, taxonomy).known) == len({text_key(p) for p in papers[:5]})


def snapshot(project: Path) -> dict[str, bytes]:
    """docs/ and the state, the caches and the lock aside."""
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for folder in (project / "docs", project / ".generator") for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in {"lock", "fingerprint.json", "embeddings.npz", CACHE}}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The real digests but the last, built (the cache written), then a curator's tag on one
    paper: (project, that page, the tag)."""
    project = copy_project(tmp_path_factory.mktemp("base") / "p")
    last = sorted((project / "digests").iterdir())[-1]
    last.rename(project / "last.txt")
    build(paths(project))
    assert (project / ".generator" / CACHE).is_file()
    page = sorted((project / "docs" / "papers").glob("*.md"))[0]
    post = frontmatter.load(page)
    names = [t.name for t in load_taxonomy(project / "topics.yml")]
    tag = next(n for n in names if n not in post.metadata["tags"] and n != "Other")  # type: ignore[operator]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("tags:\n", f"tags:\n- {tag}\n", 1), encoding="utf-8")
    return project, page.relative_to(project).as_posix(), tag


def test_cold_warm_and_damaged_caches_build_the_same_docs(
    base: tuple[Path, str, str], tmp_path: Path, taxonomy: tuple[Topic, ...]
) -> None:
    project, page, tag = base
    variants = ("warm", "cold", *damaged(project / ".generator" / CACHE, taxonomy))
    built = {}
    for name in variants:
        copy = tmp_path / name.replace(" ", "-")
        shutil.copytree(project, copy)
        (copy / "last.txt").rename(copy / "digests" / "zzz-last.txt")
        cache = copy / ".generator" / CACHE
        if name == "cold":
            cache.unlink()
        elif name != "warm":
            cache.write_bytes(damaged(cache, taxonomy)[name])
        build(paths(copy))
        built[name] = snapshot(copy)
        # The curator's tag wins, the page and the topic's listing say so; the cache holds the model's topics.
        assert tag in frontmatter.load(copy / page).metadata["tags"], name  # type: ignore[operator]
        papers = catalogue(read_digests(copy / "digests", load_settings(copy / "site.yml"))).papers
        title = frontmatter.load(copy / page).metadata["title"]
        paper = next(p for p in papers if p.title == title)
        model = assign_topics((paper,), taxonomy)[0].topics
        assert TopicCache(cache, taxonomy).known[text_key(paper)] == model, name
        assert tag not in [t.name for t in taxonomy if t.slug in model]
    for name in variants[1:]:
        assert built[name] == built["warm"], name


def test_a_noop_run_does_not_read_the_cache(base: tuple[Path, str, str], tmp_path: Path) -> None:
    project = shutil.copytree(base[0], tmp_path / "p")
    build(paths(project))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TopicCache, "__init__", lambda *_: pytest.fail("the no-op run read the topics cache"))
        summary = build(paths(project))
    assert not summary.report.written

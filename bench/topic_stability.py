"""Do older papers' topics move when a digest arrives? `python -m bench.topic_stability`.

Two measurements, each with the generator as a user runs it (`python -m generator build`):

1. real-paper corpus (bench/corpus.py, ../shared/corpus): `--papers` papers in digests of 50,
   generate, add one 50-paper digest, generate again;
2. the real digests (digests/): generate with the first four, add the fifth, generate again.

Prints, for each, how many of the papers that were there before have other `tags` (topics)
after, and a few examples. A paper's topics should depend on the paper alone: 0.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import frontmatter

from bench import corpus
from bench.bench import ROOT, make_project


def generate(project: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=project,
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)


def topics(project: Path) -> dict[str, tuple[str, ...]]:
    """Slug -> the paper page's `tags` (its topics, primary first)."""
    found = {}
    for page in sorted((project / "docs" / "papers").glob("*.md")):
        tags = frontmatter.load(page).metadata.get("tags")
        found[page.stem] = tuple(str(t) for t in tags) if isinstance(tags, list) else ()
    return found


def moved(before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]]) -> list[str]:
    return [slug for slug, tags in before.items() if after.get(slug) != tags]


def report(name: str, before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]]) -> int:
    changed = moved(before, after)
    primary = [s for s in changed if before[s][:1] != after.get(s, ())[:1]]
    print(f"{name}: {len(changed)} of {len(before)} older papers changed topics "
          f"({len(primary)} their primary topic); {len(after) - len(before)} new papers")  # fmt: skip
    for slug in changed[:5]:
        print(f"  {slug}: {list(before[slug])} -> {list(after.get(slug, ()))}")
    return len(changed)


def real_corpus(work: Path, papers: int) -> int:
    project = make_project(work / "corpus")
    every = corpus.arxiv_papers()
    corpus.write_real_corpus(project / "digests", every, papers)
    generate(project)
    before = topics(project)
    first_digest = -(-papers // corpus.PER_DIGEST)
    corpus.write_real_corpus(project / "digests", every, corpus.PER_DIGEST, first_paper=papers,
                             first_digest=first_digest)  # fmt: skip
    generate(project)
    return report(f"real-paper corpus, {papers} papers + one digest of {corpus.PER_DIGEST}", before, topics(project))


def real_digests(work: Path) -> int:
    project = make_project(work / "digests")
    (project / "digests").mkdir()
    (project / ".generator").mkdir()
    shutil.copy2(ROOT / ".generator" / "digest-dates.json", project / ".generator" / "digest-dates.json")
    files = sorted((ROOT / "digests").glob("*.txt"))
    for path in files[:-1]:
        shutil.copy2(path, project / "digests" / path.name)
    generate(project)
    before = topics(project)
    shutil.copy2(files[-1], project / "digests" / files[-1].name)
    generate(project)
    return report(f"real digests, {len(files) - 1} then {len(files)}", before, topics(project))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="topic-stability-") as tmp:
        work = Path(tmp)
        total = real_digests(work) + real_corpus(work, args.papers)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

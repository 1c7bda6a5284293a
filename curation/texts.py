"""Build `tests/fixtures/topic_labels/texts.jsonl`: the title and abstract of every labelled paper.

The labels (digests.yml, corpus.yml) name papers by digest title or arXiv id; the texts live
in the shared folder (the five digests, the arXiv corpus), which the package does not ship.
This copies the 513 labelled papers' texts once, so training and evaluation read one small
committed file. Run `python -m curation.texts [SHARED]` (default ../shared) after adding labels.
"""

from __future__ import annotations

import json
import lzma
import sys
from pathlib import Path

from curation.labels import LABELS, TEXTS, read_label_files
from generator.text import clean


def digest_text(path: Path, title: str) -> str:
    """The abstract printed after `title` in a digest file: the next non-blank line.

    Works on every layout of the five digests (002 has no blank lines; a title may follow
    "Subscribe" on the same line), without the project's reader, which may not know them yet.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if clean(line) == title or (clean(line).endswith(title) and clean(line).startswith("Subscribe")):
            rest = (clean(x) for x in lines[i + 1 :])
            return next(x for x in rest if x)
    raise KeyError(f"{path.name}: no title {title!r}")


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else Path("../shared")
    labels = read_label_files()
    corpus: dict[str, dict[str, str]] = {}
    wanted = {lab.key for lab in labels if lab.source == "corpus"}
    with lzma.open(shared / "corpus" / "arxiv-2025.jsonl.xz", "rt", encoding="utf-8") as rows:
        for line in rows:
            if (key := f"arxiv:{json.loads(line)['id']}") in wanted:
                corpus[key] = json.loads(line)
    out = []
    for lab in labels:
        if lab.source == "corpus":
            found = corpus[lab.key]
            title, abstract = clean(found["title"]), clean(found["abstract"])
        else:
            title, abstract = lab.title, digest_text(shared / "digests" / f"{lab.digest}.txt", lab.title)
        out.append(json.dumps({"key": lab.key, "title": title, "abstract": abstract}, ensure_ascii=False))
    TEXTS.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(out)} texts -> {TEXTS.relative_to(LABELS.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

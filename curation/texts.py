"""Build `tests/fixtures/topic_labels/texts.jsonl` and `texts_extra.jsonl.xz`: the title and
abstract of every labelled paper.

The labels (digests.yml, corpus.yml, train_extra_*.yml) name papers by digest title or arXiv
id; the texts live in the shared folder (the five digests, the arXiv corpus), which the
package does not ship. This copies the labelled papers' texts once (the 513 of the original
files; the 2,110 extras xz-compressed, 0.75 MB: an excerpt of the corpus, not a copy of it), so
training and evaluation read small committed files. Run `python -m curation.texts [SHARED]`
(default ../shared) after adding labels.
"""

from __future__ import annotations

import json
import lzma
import sys
from pathlib import Path

from curation.labels import EXTRA_TEXTS, LABELS, TEXTS, read_extra_files, read_label_files
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
    extras = read_extra_files()
    corpus: dict[str, dict[str, str]] = {}
    wanted = {lab.key for lab in labels if lab.source == "corpus"} | {lab.key for lab in extras}
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
    extra = [
        json.dumps({"key": lab.key, "title": clean(corpus[lab.key]["title"]),
                    "abstract": clean(corpus[lab.key]["abstract"])}, ensure_ascii=False)
        for lab in extras
    ]  # fmt: skip
    EXTRA_TEXTS.write_bytes(lzma.compress(("\n".join(extra) + "\n").encode("utf-8"), preset=9))
    print(f"{len(extra)} texts -> {EXTRA_TEXTS.relative_to(LABELS.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Merge the search indexes of several Pagefind runs into one index, as one run would write it.

Pagefind keeps every page's words in memory, twice, while it builds its index: about 120 KB
per paper page, 3.7 GB at 30,000 papers. Run over a few thousand pages at a time, it stays
small; this module then joins those indexes. Only the word index and the page list depend on
the other pages, and both are plain CBOR lists (Pagefind 1.5.2's own format):

- `pagefind.<lang>_<hash>.pf_meta`: [version, pages [[fragment, word count]], chunks
  [[first word, last word, file]], filters, sorts, meta fields];
- `index/<lang>_<hash>.pf_index`: [[word, pages, [[variant, pages]]]], words sorted; pages are
  [[page number, locations, meta locations]] in page order, each number a delta from the last;
- `fragment/*.pf_fragment`: one page's URL, text and title, independent of the others.

Each file is gzip'd after a `pagefind_dcd` tag and named by Pagefind's SHA-1 hash of its
contents. The merge renumbers pages, joins each word's page lists, cuts chunks at Pagefind's
size and names everything as Pagefind does, so a search sees the index one run would write.
tests/test_search_merge.py checks that merging a single run rewrites Pagefind's files byte for
byte, so an upgrade of the pinned `pagefind-bin` that changes this format fails there.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
CHUNK_SIZE = 20_000  # Pagefind's word-chunk size, counted in locations (index/mod.rs)
ENTRY = "pagefind-entry.json"


class MergeError(RuntimeError):
    """The runs' indexes are not what this merge knows how to join (a Pagefind change?)."""


def full_hash(data: bytes) -> str:
    """Pagefind's file hash: SHA-1 in hex, each byte without zero padding (`{:x?}`)."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data, usedforsecurity=False).digest())


def read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise MergeError(f"{path} is not a Pagefind index file")
    return cbor2.loads(raw[len(SIGNATURE):])


def write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(gzip.compress(SIGNATURE + data, compresslevel=6, mtime=0))


def merge(runs: list[Path], out: Path) -> tuple[int, int]:
    """Join the Pagefind bundles in `runs` (their pages in that order) into `out`, moving
    their page fragments there. Returns the number of pages and of words indexed."""
    entries = [json.loads((run / ENTRY).read_text(encoding="utf-8")) for run in runs]
    languages = {tuple(entry["languages"]) for entry in entries}
    if len(languages) != 1 or len(next(iter(languages))) != 1:
        raise MergeError(f"every run must index one and the same language, not {sorted(languages)}")
    language = next(iter(languages))[0]
    metas = [
        read(run / f"pagefind.{entry['languages'][language]['hash']}.pf_meta")
        for run, entry in zip(runs, entries, strict=True)
    ]
    # a page's meta locations number its meta fields by their place in this list
    if any(len(meta) != 6 or meta[0] != metas[0][0] or meta[3] or meta[4] or meta[5] != metas[0][5] for meta in metas):
        raise MergeError("the runs differ in Pagefind version or meta fields, or use filters or sorts")
    _copy_assets(runs[0], out)
    pages = _merge_fragments(runs, metas, out / "fragment", language)
    offsets = list(itertools.accumulate((len(meta[1]) for meta in metas[:-1]), initial=0))
    chunks, words = _write_chunks(_merged_words(runs, metas, offsets), out / "index", language)
    meta = cbor2.dumps([metas[0][0], pages, chunks, [], [], metas[0][5]])
    meta_hash = f"{language}_{full_hash(meta)[:len(language) + 8]}"
    write(out, f"pagefind.{meta_hash}.pf_meta", meta)
    entry = entries[0]
    entry["languages"][language].update(hash=meta_hash, page_count=len(pages))
    (out / ENTRY).write_text(json.dumps(entry, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    return len(pages), words


def _copy_assets(run: Path, out: Path) -> None:
    """The scripts, styles and WebAssembly: the same in every run."""
    out.mkdir(parents=True)
    for path in run.iterdir():
        if path.is_file() and path.name != ENTRY and path.suffix != ".pf_meta":
            shutil.copyfile(path, out / path.name)


def _merge_fragments(runs: list[Path], metas: list[Any], out: Path, language: str) -> list[list[Any]]:
    """Move every page's fragment to `out`; a name two runs both chose gets a longer hash, as
    Pagefind lengthens a colliding name within one run."""
    out.mkdir()
    pages: list[list[Any]] = []
    for run, meta in zip(runs, metas, strict=True):
        for name, word_count in meta[1]:
            source = run / "fragment" / f"{name}.pf_fragment"
            if (out / source.name).exists():
                raw = gzip.decompress(source.read_bytes())[len(SIGNATURE):]
                longer = f"{language}_{full_hash(raw)}"
                while (out / f"{name}.pf_fragment").exists():
                    name = longer[:len(name) + 1]
            source.replace(out / f"{name}.pf_fragment")
            pages.append([name, word_count])
    return pages


def _run_words(run: Path, meta: Any, offset: int) -> Iterator[tuple[str, list[Any], list[Any], int]]:
    for _first, _last, name in meta[2]:
        for word, pages, variants in read(run / "index" / f"{name}.pf_index")[0]:
            yield word, pages, variants, offset


def _merged_words(runs: list[Path], metas: list[Any], offsets: list[int]) -> Iterator[list[Any]]:
    """Every word once, in Pagefind's order (by UTF-8 bytes, which is code point order), with
    its pages, and the pages of each of its variants (other accents), from all runs."""
    streams = [_run_words(run, meta, offset) for run, meta, offset in zip(runs, metas, offsets, strict=True)]
    for word, group in itertools.groupby(heapq.merge(*streams, key=lambda item: item[0]), key=lambda item: item[0]):
        lists: list[tuple[list[Any], int]] = []
        variants: dict[str, list[tuple[list[Any], int]]] = {}
        for _, pages, run_variants, offset in group:
            lists.append((pages, offset))
            for form, variant_pages in run_variants:
                variants.setdefault(form, []).append((variant_pages, offset))
        yield [word, _joined(lists), [[form, _joined(parts)] for form, parts in variants.items()]]


def _joined(lists: list[tuple[list[Any], int]]) -> list[Any]:
    """One page list from the runs' lists. Page numbers are deltas from the previous page; a
    run's first one counts from that run's first page (`offset`), so only it changes."""
    pages: list[Any] = []
    last = 0
    for run_pages, offset in lists:
        if not run_pages:
            continue
        (delta, *rest), *others = run_pages
        pages.append([offset + delta - last, *rest])
        pages.extend(others)
        last = offset + sum(page[0] for page in run_pages)
    return pages


def _write_chunks(words: Iterator[list[Any]], out: Path, language: str) -> tuple[list[list[str]], int]:
    """Cut the sorted words into chunks as Pagefind's chunk_index does; write each one."""
    out.mkdir()
    chunks: list[list[str]] = []
    chunk: list[Any] = []
    size = count = 0

    def flush() -> None:
        data = cbor2.dumps([chunk])
        name = f"{language}_{full_hash(data)}"
        short = name[:len(language) + 8]
        while (out / f"{short}.pf_index").exists():
            short = name[:len(short) + 2]
        write(out, f"{short}.pf_index", data)
        chunks.append([chunk[0][0], chunk[-1][0], short])

    for word in words:
        count += 1
        size += sum(len(page[1]) + len(page[2]) + 1 for page in word[1])
        chunk.append(word)
        if size >= CHUNK_SIZE:
            flush()
            chunk, size = [], 0
    if chunk:
        flush()
    for before, after in itertools.pairwise(chunks):
        last, after[0] = _prefixes(before[1], after[0])
        if last >= before[0]:  # a shorter `to` must not sort before the chunk's `from`
            before[1] = last
    return chunks, count


def _prefixes(last: str, first: str) -> tuple[str, str]:
    """The shortest prefixes that still tell two neighbouring chunks apart (get_prefixes)."""
    common = len(list(itertools.takewhile(lambda pair: pair[0] == pair[1], zip(first, last, strict=False))))
    return last[:common + 1], first[:common + 1]

"""Command line: `python -m generator build` (and `--help`). Tests call `main(argv)` directly."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.build import Paths, Summary, build
from generator.errors import UserError


def print_error(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build the paper-digest site's Markdown pages (docs/) from digest files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_cmd = commands.add_parser(
        "build",
        help="generate docs/ from the digests (writes only pages that changed)",
        description="Read every digest, merge duplicate papers, assign topics and write the "
        "pages of docs/. Pages edited by hand are kept. Nothing is written if any input is bad.",
    )
    defaults = Paths()
    build_cmd.add_argument(
        "--digests",
        type=Path,
        default=defaults.digests,
        metavar="DIR",
        help="folder of digest files, *.txt (default: %(default)s)",
    )
    build_cmd.add_argument(
        "--docs",
        type=Path,
        default=defaults.docs,
        metavar="DIR",
        help="MkDocs docs folder to write (default: %(default)s)",
    )
    build_cmd.add_argument(
        "--state",
        type=Path,
        default=defaults.state,
        metavar="DIR",
        help="where the last generated version of each page is kept (default: %(default)s)",
    )
    build_cmd.add_argument(
        "--topics", type=Path, default=defaults.topics, metavar="FILE", help="the taxonomy (default: %(default)s)"
    )
    build_cmd.add_argument(
        "--settings",
        type=Path,
        default=defaults.settings,
        metavar="FILE",
        help="site settings and digest dates (default: %(default)s)",
    )
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    return parser


def _print_summary(summary: Summary) -> None:
    r = summary.report
    duplicates = summary.listings - summary.papers
    print(
        f"Read {summary.digests} digests: {summary.listings} listings, {summary.papers} unique papers "
        f"({duplicates} duplicate listings merged into {summary.merged_papers} papers)."
    )
    print(
        f"Pages: {len(r.written)} written, {r.unchanged} unchanged, {len(r.kept)} kept as edited by hand, "
        f"{len(r.removed)} removed."
    )
    for rel in r.kept:
        print(f"  kept (edited by hand): docs/{rel}")
    if not r.written and not r.removed:
        print("Nothing to write: docs/ is up to date.")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            summary = build(Paths(args.digests, args.docs, args.state, args.topics, args.settings))
            if not args.quiet:
                _print_summary(summary)
                print(f"Data quality (duplicates, conflicts, inferred years): {args.docs / 'quality.md'}")
    except UserError as error:
        print_error(str(error))
        return 1
    return 0

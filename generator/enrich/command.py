"""`python -m generator enrich`: the command, ready for `generator/cli.py` to add.

The command does not read digests or pages itself: the CLI hands it a loader that returns
the papers (and the curators' pins) from the arguments, so this package does not depend on
how the rest of the generator is laid out. Wiring, in `cli.py`:

    from generator.enrich.command import EnrichInput, add_enrich_command, run_enrich

    def _enrich_input(args):  # the catalogue's papers and the `arxiv:` of their pages
        papers = catalogue(read_digests(args.digests, load_settings(args.settings))).papers
        return EnrichInput(papers, pins=...)

    cmd = add_enrich_command(commands, _enrich_input)
    add_path_options(cmd, defaults, "digests", "settings", "docs")
    ...
    elif args.command == "enrich":
        return run_enrich(args)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.enrich.clock import Clock
from generator.enrich.ids import DEFAULT_INTERVAL, DEFAULT_URL
from generator.enrich.model import PaperLike
from generator.enrich.run import enrich
from generator.enrich.snapshot import ArxivSnapshot
from generator.enrich.store import DEFAULT_STORE
from generator.errors import UserError


@dataclass(frozen=True)
class EnrichInput:
    """What the command enriches: the papers, and the arXiv id a curator pinned per paper key."""

    papers: Sequence[PaperLike]
    pins: Mapping[str, str] = field(default_factory=dict)


Loader = Callable[[argparse.Namespace], EnrichInput]


def add_enrich_command(subparsers: Any, load: Loader | None = None) -> argparse.ArgumentParser:
    """Add `enrich` to an argparse sub-command set; `load` gives `run_enrich` its papers.

    Returns the new parser, for the caller to add its own path options (digests, pages).
    """
    cmd: argparse.ArgumentParser = subparsers.add_parser(
        "enrich",
        help="look papers up on arXiv and record authors, ids and dates in the enrichment store",
        description="Look up each paper that has no enrichment record yet (every paper with --all) on "
        "the arXiv API, or in arXiv's metadata snapshot with --snapshot, and record what was found in "
        "the store, a file to commit: the build only reads it. An interrupted run keeps what it "
        "fetched; run it again to continue.",
    )
    cmd.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="FILE",
                     help="the enrichment records, one JSON line per paper (default: %(default)s)")
    cmd.add_argument("--snapshot", type=Path, metavar="FILE",
                     help="read arXiv's metadata snapshot (arxiv-metadata-oai-snapshot.json, "
                     "also .gz or .xz) instead of asking the arXiv API")
    cmd.add_argument("--all", action="store_true", help="look up every paper again, not only new ones")
    cmd.add_argument("--api-url", default=DEFAULT_URL, metavar="URL", help="the arXiv API (default: %(default)s)")
    cmd.add_argument("--interval", type=float, default=DEFAULT_INTERVAL, metavar="SECONDS",
                     help="seconds between API requests; arXiv asks for 3 (default: %(default)s)")
    cmd.add_argument("--tries", type=int, default=4, metavar="N",
                     help="tries per API request before the run stops (default: %(default)s)")
    cmd.add_argument("--no-progress", action="store_true", help="no progress bar")
    cmd.set_defaults(enrich_load=load)
    return cmd


def run_enrich(
    args: argparse.Namespace, papers: EnrichInput | None = None, *, clock: Clock | None = None
) -> int:
    """Run the command: 0 when done, 1 after an "Error: ..." line, 130 when interrupted.

    The papers come from `papers` when given, else from the loader passed to
    `add_enrich_command`.
    """
    try:
        source_input = papers if papers is not None else _load(args)
        if args.snapshot is not None:
            summary = enrich(source_input.papers, ArxivSnapshot(args.snapshot), args.store, all=args.all,
                             pins=source_input.pins, progress=not args.no_progress, clock=clock)
        else:
            _check_api_options(args)
            from generator.enrich.arxiv_api import ArxivApi  # httpx only when the API is asked

            with ArxivApi(args.api_url, clock=clock, interval=args.interval, tries=args.tries) as api:
                summary = enrich(source_input.papers, api, args.store, all=args.all, pins=source_input.pins,
                                 progress=not args.no_progress, clock=clock)
    except UserError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"Interrupted: what was fetched is saved in {args.store}; run enrich again to go on.",
              file=sys.stderr)
        return 130
    print(summary.line())
    for warning in summary.warnings:
        print(f"warning: {warning}")
    return 0


def _load(args: argparse.Namespace) -> EnrichInput:
    load: Loader | None = getattr(args, "enrich_load", None)
    if load is None:
        raise TypeError("run_enrich needs papers, or a loader given to add_enrich_command")
    return load(args)


def _check_api_options(args: argparse.Namespace) -> None:
    if args.tries < 1:
        raise UserError(f"--tries must be at least 1, not {args.tries}")
    if args.interval < 0:
        raise UserError(f"--interval must not be negative, not {args.interval}")
    if args.api_url == DEFAULT_URL and args.interval < DEFAULT_INTERVAL:
        raise UserError(f"arXiv asks for at least {DEFAULT_INTERVAL:g} s between requests, "
                        f"not {args.interval:g} (--interval)")

"""Command line: `python -m generator build` (and `--help`). Tests call `main(argv)` directly."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator import __version__
from generator.build import Paths, Summary, build, check
from generator.catalogue import catalogue
from generator.curate.taxonomy import load_taxonomy
from generator.curate.topics import Coverage, assign_topics, coverage, explain
from generator.enrich.command import EnrichInput, add_enrich_command, run_enrich
from generator.enrich.store import read_store
from generator.errors import UserError
from generator.front_matter import parse_page
from generator.read import read_digests
from generator.settings import load_settings
from generator.write.state import StatePaths, load_json


def print_error(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)


# The input and output paths every command takes: (metavar, help), defaults from `Paths`.
PATH_OPTIONS = {
    "digests": ("DIR", "folder of digest files, *.txt (default: %(default)s)"),
    "docs": ("DIR", "MkDocs docs folder to write (default: %(default)s)"),
    "state": ("DIR", "what the generator remembers between runs (default: %(default)s)"),
    "topics": ("FILE", "the taxonomy (default: %(default)s)"),
    "settings": ("FILE", "site settings and digest dates (default: %(default)s)"),
    "enrichment": ("FILE", "what `enrich` recorded (authors, arXiv ids); optional (default: %(default)s)"),
}


def add_path_options(command: argparse.ArgumentParser, defaults: Paths, *names: str) -> None:
    for name in names:
        metavar, help_text = PATH_OPTIONS[name]
        command.add_argument(
            f"--{name}", type=Path, default=getattr(defaults, name), metavar=metavar, help=help_text
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paper-digest",
        description="Build the paper-digest site's Markdown pages (docs/) from digest files. "
        "Also runs as `python -m generator`.",
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
    add_path_options(build_cmd, defaults, *PATH_OPTIONS)
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    for decision, meaning in (("keep", "keep PAGE as it is: its differences become hand edits"),
                              ("adopt", "replace PAGE by the generated page")):
        build_cmd.add_argument(
            f"--{decision}", action="append", default=[], metavar="PAGE",
            help=f"for a page the run reports as unresolved (no record of what the generator wrote): {meaning}; "
            "PAGE as docs/papers/x.md, or 'all'",
        )
    check_cmd = commands.add_parser(
        "check",
        help="exit 1, listing the files, if docs/ is not what the digests and the state say",
        description="Compute what build would write and list every file it would change, without "
        "writing anything. Exits 0 when docs/ is up to date (use it in CI on pull requests).",
    )
    add_path_options(check_cmd, defaults, *PATH_OPTIONS)
    _topics_parser(commands, defaults)
    _site_parsers(commands, defaults)
    enrich_cmd = add_enrich_command(commands, _enrich_input)
    add_path_options(enrich_cmd, defaults, "digests", "docs", "state", "settings")
    return parser


def _enrich_input(args: argparse.Namespace) -> EnrichInput:
    """The papers to look up, and the arXiv ids curators pinned: a page's `arxiv:` that is not
    the one a title search found (the generator writes that one on the page itself)."""
    settings = load_settings(args.settings)
    papers = catalogue(read_digests(args.digests, settings), load_json(StatePaths(args.state).slugs)).papers
    records = read_store(args.store)
    pins: dict[str, str] = {}
    for paper in papers:
        page = args.docs / "papers" / f"{paper.slug}.md"
        text = page.read_text(encoding="utf-8-sig") if page.exists() else ""
        if "\narxiv:" not in text:
            continue
        pin = parse_page(page, text)[0].get("arxiv")
        if not isinstance(pin, str):
            raise UserError(f"{page}: 'arxiv' must be an identifier in quotes, such as arxiv: '2510.09842' "
                            "(unquoted, YAML reads it as a number and drops its final zeros)")
        record = records.get(paper.key)
        if record is None or record.status != "matched" or record.arxiv != pin:
            pins[paper.key] = pin
    return EnrichInput(papers, pins)


def _site_parsers(commands: Any, defaults: Paths) -> None:
    """`verify` and `index`: the steps after the site engine built site/ (what `make site` runs)."""
    verify_cmd = commands.add_parser(
        "verify",
        help="check the built site did what the paper-digest plugin promises (exit 1 if not)",
        description="Check that every page of docs/ was built by an engine that ran the paper-digest "
        "plugin (escaped titles, hidden pages left out, redirects written). Run it after the site engine.",
    )
    verify_cmd.add_argument("site", nargs="?", type=Path, default=Path("site"), help="the built site (default: site)")
    add_path_options(verify_cmd, defaults, "docs", "state")
    index_cmd = commands.add_parser(
        "index",
        help="build the search index of the built site (Pagefind)",
        description="Index the paper pages of the built site with Pagefind, in shards, into SITE/pagefind*/ "
        "(all of them afresh; `site` re-indexes only the shards that changed).",
    )
    index_cmd.add_argument("site", nargs="?", type=Path, default=Path("site"), help="the built site (default: site)")
    site_cmd = commands.add_parser(
        "site",
        help="build site/ from docs/: the engine, verify and the search index, incrementally when safe",
        description="Build site/ from docs/ (what `make site` runs after `build`): only the pages that "
        "changed, or everything when there is no record of the last build or anything every page depends "
        "on changed (it says why). Then check the plugin's mark and update the search index.",
    )
    site_cmd.add_argument("--full", action="store_true", help="build everything (make site FULL=1)")
    site_cmd.add_argument("--json", action="store_true", help="print what was done as JSON (the benchmark reads it)")
    site_cmd.add_argument("--engine", choices=("mkdocs", "properdocs"), default="mkdocs",
                          help="the site engine (default: %(default)s)")


def _topics_parser(commands: Any, defaults: Paths) -> None:
    """`topics`: the topic coverage of the digests, or why one paper got its topics."""
    cmd = commands.add_parser(
        "topics",
        help="show papers per topic, or explain one paper's topics (writes nothing)",
        description="Read the digests and the taxonomy, rank every paper's topics and print the "
        "papers per topic; with --explain, print why one paper got its topics.",
    )
    cmd.add_argument("--explain", metavar="SLUG", help="the slug of a paper page (docs/papers/SLUG.md)")
    add_path_options(cmd, defaults, "digests", "topics", "settings")


def _topics(args: argparse.Namespace) -> None:
    settings = load_settings(args.settings)
    taxonomy = load_taxonomy(args.topics)
    papers = catalogue(read_digests(args.digests, settings)).papers
    from generator.curate.embed import EmbeddingCache, paper_text

    vectors = EmbeddingCache(None).vectors([paper_text(p.title, p.abstract) for p in papers])
    if args.explain is None:
        _print_coverage(coverage(assign_topics(papers, taxonomy, vectors), taxonomy), every_topic=True)
        return
    paper = next((p for p in papers if p.slug == args.explain), None)
    if paper is None:
        raise UserError(f"no paper has the slug {args.explain!r} (see docs/papers/)")
    print(explain(paper, papers, taxonomy, vectors), end="")


def _print_coverage(cov: Coverage, every_topic: bool = False) -> None:
    ranked = sorted(cov.counts, key=lambda tc: -tc[1])
    print(
        f"Topics: {len(cov.counts)}; {cov.unclassified} of {cov.papers} papers in no topic "
        f"({cov.unclassified_share:.1%}); largest {ranked[0][0]} {ranked[0][1]} ({cov.share(ranked[0][1]):.0%}), "
        f"smallest {ranked[-1][0]} {ranked[-1][1]}."
    )
    if every_topic:
        for topic, count in cov.counts:
            print(f"  {count:5d}  {cov.share(count):4.0%}  {topic}")


def _unresolved(pages: Sequence[str]) -> str:
    shown = ", ".join(f"docs/{rel}" for rel in pages[:5]) + (f" and {len(pages) - 5} more" if len(pages) > 5 else "")
    return (
        f"{len(pages)} pages differ from what the generator writes, with no record of what it wrote there "
        f"({shown}): a page made by hand where a paper now lands, or .generator/ was lost. Keep them as hand "
        "edits with `paper-digest build --keep all` (or --keep PAGE), or take the generated pages with "
        "`--adopt all` (or --adopt PAGE)"
    )


def _decisions(keep: list[str], adopt: list[str], docs: Path) -> dict[str, str]:
    """--keep/--adopt pages as the plan's `resolve`: docs-relative page -> decision."""
    decisions: dict[str, str] = {}
    for decision, pages in (("keep", keep), ("adopt", adopt)):
        for page in pages:
            rel = "*" if page == "all" else Path(page).as_posix().removeprefix(f"{docs.as_posix()}/")
            if decisions.setdefault(rel, decision) != decision:
                raise UserError(f"{page}: asked to both keep and adopt it")
    return decisions


def _print_summary(summary: Summary) -> None:
    r = summary.report
    duplicates = summary.listings - summary.papers
    print(
        f"Read {summary.digests} digests: {summary.listings} listings, {summary.papers} unique papers "
        f"({duplicates} duplicate listings merged into {summary.merged_papers} papers)."
    )
    print(
        f"Pages: {len(r.written)} written, {r.unchanged} unchanged, {len(r.kept)} kept as edited by hand, "
        f"{len(r.removed)} removed" + (f", {len(r.unresolved)} unresolved." if r.unresolved else ".")
    )
    for rel in r.kept:
        print(f"  kept (edited by hand): docs/{rel}")
    if r.merged:
        print(f"Merged new data into {len(r.merged)} pages edited by hand.")
    for conflict in r.conflicts:
        print(f"  conflict: docs/{conflict.page}: '{conflict.field}' changed by hand and by the digests; "
              "kept the hand edit")
    _print_reading(summary)
    _print_coverage(summary.coverage)
    if not r.written and not r.removed and not r.unresolved:
        print("Nothing to write: docs/ is up to date.")


WARNINGS_SHOWN = 10  # the quality page lists every one


def _print_reading(summary: Summary) -> None:
    """Inferred digest dates and the reader's warnings: short; the quality page has the detail."""
    if summary.dates:
        print(f"Digest dates inferred ({len(summary.dates)}; to set one, add its line under 'digests:' in site.yml):")
        for file, day, source, override in summary.dates:
            print(f"  {file}: {day}, from {source}; site.yml: '{override}'")
    if summary.warnings:
        print(f"Warnings ({len(summary.warnings)}; the data quality page lists them):")
        for where, text in summary.warnings[:WARNINGS_SHOWN]:
            print(f"  warning: {where}: {text}")
        if len(summary.warnings) > WARNINGS_SHOWN:
            print(f"  ... and {len(summary.warnings) - WARNINGS_SHOWN} more")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "enrich":
            return run_enrich(args)
        if args.command == "build":
            paths = Paths(args.digests, args.docs, args.state, args.topics, args.settings, args.enrichment)
            summary = build(paths, resolve=_decisions(args.keep, args.adopt, args.docs))
            if not args.quiet:
                _print_summary(summary)
                print(f"Data quality (how each digest was read and dated, warnings, duplicates, conflicts): "
                      f"{args.docs / 'quality.md'}")
            if summary.report.unresolved:
                print_error(_unresolved(summary.report.unresolved) + "; everything else was written")
                return 1
        elif args.command == "check":
            stale = check(Paths(args.digests, args.docs, args.state, args.topics, args.settings, args.enrichment))
            for path in stale:
                print(f"out of date: {path}")
            if stale:
                print_error(f"{len(stale)} files are not what the digests and the state say: "
                            "run `paper-digest build` (or `make pages`) and commit docs/ and .generator/")
                return 1
            print("docs/ is up to date.")
        elif args.command == "topics":
            _topics(args)
        elif args.command == "verify":
            from generator.site.verify import verify  # imported here: a build needs none of it

            report = verify(args.site, args.docs, args.state / "redirects.json")
            print(f"Verified {args.site}/: {report.pages} pages built by the paper-digest plugin, "
                  f"{report.hidden} hidden pages left out, {report.redirects} redirects.")
        elif args.command == "index":
            from generator.search.index import main as index_main

            return index_main([str(args.site)])
        elif args.command == "site":
            return _site(args.engine, args.full, args.json)
    except UserError as error:
        print_error(str(error))
        return 1
    return 0


def _site(engine: str, full: bool, as_json: bool) -> int:
    import json
    import subprocess
    from dataclasses import asdict

    from generator.publish import publish

    try:
        done = publish(Path("."), engine, full)
        print(json.dumps(asdict(done)) if as_json else done.summary())
    except subprocess.CalledProcessError as error:
        print_error(f"Pagefind could not index the site:\n{error.stdout}{error.stderr}")
        return 1
    except Exception as error:  # the engine's own errors (strict warnings, bad config) end the build
        if type(error).__module__.split(".")[0] not in (engine, "click"):
            raise
        print_error(str(error) or type(error).__name__)
        return 1
    return 0


def run() -> None:
    """The `paper-digest` console script."""
    sys.exit(main())

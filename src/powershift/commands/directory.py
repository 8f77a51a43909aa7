"""`powershift directory check` reads a directory feed and reports what an import would take,
without a database; `powershift import directory` imports it (that one sets Django up).

Formats: ORUK v1 JSON (`oruk1`), HSDS 3 JSON (`hsds3`), CSV with a TOML column mapping (`csv`).
Rows that cannot be taken are named `FILE:LINE: what is wrong; how to fix it`; a problem with the
whole file stops everything (exit 2). With `--strict`, any rejected row stops the import too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from powershift.commands import EXIT_BAD_INPUT, bad_input, print_json
from powershift.formats import openactive, oruk
from powershift.methods import directory_search as ds


def _add_feed_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE", help="an ORUK v1 or HSDS 3 JSON feed, or a CSV")
    p.add_argument("--format", choices=oruk.FORMATS, default=None, dest="fmt",
                   help="oruk1, hsds3 or csv (default: csv for .csv files, otherwise hsds3; "
                   "ORUK v1 names are understood either way)")
    p.add_argument("--mapping", type=Path, metavar="MAP.toml",
                   help="for CSV: which column holds which field (see the README)")
    p.add_argument("--strict", action="store_true", help="refuse the whole file if any row is rejected")
    p.add_argument("--taxonomy", type=Path, metavar="FILE.jsonld",
                   help="the OpenActive Activity List: its terms may be used by the feed (on import "
                   "they are added to the directory in the same transaction)")
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = subparsers.add_parser("directory", help="community directory feeds (Open Referral UK)")
    sub = group.add_subparsers(dest="what", required=True, metavar="WHAT")
    p = sub.add_parser("check", help="read a feed and report what an import would take, "
                       "without a database", description="Check a directory feed: every row is "
                       "read and validated; rejected rows are named with their line and reason; "
                       "likely duplicates within the feed are listed.")
    _add_feed_arguments(p)
    p.set_defaults(func=cmd_check)


def add_import(imp: Any) -> None:
    """Add `directory` to the `import` group built in powershift.cli."""
    p = imp.add_parser("directory", help="import an ORUK v1 / HSDS 3 feed or a CSV into the directory",
                       description="Import a directory feed in one transaction: new services "
                       "are listed, known feed ids updated, likely duplicates of existing listings "
                       "merged into them, bad rows rejected with reasons. HTML is cleaned to text.")
    _add_feed_arguments(p)
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.set_defaults(func=cmd_import)
    p = imp.add_parser("taxonomy", help="import the OpenActive Activity List as directory terms",
                       description="Add or update the terms of the OpenActive Activity List "
                       "(activity-list.jsonld, or .jsonld.gz) so listings and CSV imports can use them.")
    p.add_argument("file", type=Path, metavar="FILE.jsonld")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_import_taxonomy)


def cmd_import_taxonomy(args: argparse.Namespace) -> int:
    from powershift.cli import _setup_django

    try:
        concepts = openactive.read_activity_list(args.file)
    except oruk.OrukError as problem:
        return bad_input(problem)
    _setup_django()
    from django.core.exceptions import ValidationError

    from powershift.directory import actions

    try:
        report = actions.import_taxonomy(None, concepts)
    except ValidationError as problem:
        return bad_input(oruk.OrukError(str(args.file), " ".join(problem.messages)))
    if args.json:
        print_json({"vocabulary": report.vocabulary, "created": report.created, "updated": report.updated})
    else:
        print(f"Imported {args.file}: {report.created} new terms, {report.updated} updated "
              f"({report.vocabulary})")
    return 0


def _concepts(args: argparse.Namespace) -> list[openactive.Concept]:
    return openactive.read_activity_list(args.taxonomy) if args.taxonomy else []


def _read(args: argparse.Namespace, terms: list[oruk.Term] | None = None,
          concepts: list[openactive.Concept] | None = None) -> oruk.Feed:
    mapping = oruk.read_mapping(args.mapping) if args.mapping else None
    concepts = _concepts(args) if concepts is None else concepts
    extra = [oruk.Term(c.id, c.label, openactive.VOCABULARY) for c in concepts]
    feed = oruk.read(args.file, fmt=args.fmt, mapping=mapping, terms=[*extra, *(terms or ())])
    if args.strict and feed.rejected:
        first = feed.rejected[0]
        more = f" (and {len(feed.rejected) - 1} more rows)" if len(feed.rejected) > 1 else ""
        raise oruk.OrukError(first.path, f"{first.reason}{more}; --strict takes nothing from a "
                             "file with rejected rows", line=first.line)
    return feed


def _print_rejections(feed: oruk.Feed) -> None:
    for r in feed.rejected:
        print(f"rejected: {r}", file=sys.stderr)


def check_report(feed: oruk.Feed, seconds: float) -> dict[str, Any]:
    """The `--json` object of `directory check`."""
    listings = [ds.Listing(s.id, s.name, "", s.locations[0].postcode if s.locations else "",
                           s.locations[0].latitude if s.locations else None,
                           s.locations[0].longitude if s.locations else None) for s in feed.services]
    return {
        "file": feed.path, "format": feed.fmt, "services": len(feed.services),
        "rejected": [{"line": r.line, "id": r.row_id, "reason": r.reason} for r in feed.rejected],
        "cleaned": feed.cleaned,
        "duplicates": [{"first": a, "second": b, "reason": why} for a, b, why in ds.find_duplicates(listings)],
        "seconds": round(seconds, 3),
    }


def cmd_check(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        feed = _read(args)
    except oruk.OrukError as problem:
        return bad_input(problem)
    report = check_report(feed, time.perf_counter() - start)
    if args.json:
        print_json(report)
        return 0
    _print_rejections(feed)
    print(f"{feed.path}: {report['services']} services can be taken, {len(feed.rejected)} rejected, "
          f"{feed.cleaned} with HTML cleaned, {len(report['duplicates'])} likely duplicates in the file")
    for d in report["duplicates"]:
        print(f"  duplicate? {d['first']} and {d['second']}: {d['reason']}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from powershift.cli import _setup_django

    _setup_django()
    from django.db import transaction
    from tqdm import tqdm

    from powershift.directory import actions
    from powershift.directory.models import TaxonomyTerm

    start = time.perf_counter()
    try:
        known = [oruk.Term(t.code, t.name, t.vocabulary) for t in TaxonomyTerm.objects.all()]
        concepts = _concepts(args)
        feed = _read(args, known, concepts)
    except oruk.OrukError as problem:
        return bad_input(problem)
    with tqdm(total=len(feed.services), unit="service", file=sys.stderr, desc="Importing",
              disable=args.dry_run or len(feed.services) < 1000) as bar:
        def progress(done: int, total: int) -> None:
            bar.update(done - bar.n)

        with transaction.atomic():  # the taxonomy and the feed together, or neither
            if concepts and not args.dry_run:
                actions.import_taxonomy(None, concepts)
            report = actions.import_feed(None, feed, dry_run=args.dry_run, progress=progress)
    result = {**report.as_json(), "seconds": round(time.perf_counter() - start, 3)}
    if args.json:
        print_json(result)
        return 0
    _print_rejections(feed)
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} {feed.path}: {len(report.taken)} new, {len(report.updated)} updated, "
          f"{len(report.merged)} merged into existing listings, {len(report.rejected)} rejected, "
          f"{report.cleaned} with HTML cleaned")
    for feed_id, into, why in report.merged:
        print(f"  merged: {feed_id} into listing {into} ({why})")
    return 0 if report.taken or report.updated or report.merged or not report.rejected else EXIT_BAD_INPUT

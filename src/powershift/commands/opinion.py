"""`powershift opinion analyze DIR`: Polis-style analysis of a Polis export folder.

Reads files and prints; never sets Django up.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from powershift.commands import bad_input, opinion_conversations, print_json
from powershift.formats.polis_export import PolisExportError, read_export, read_groups
from powershift.methods.opinion import Analysis, StatementFigures, analyze


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = subparsers.add_parser("opinion", help="opinion analysis of conversations (Polis-style)")
    sub = group.add_subparsers(dest="what", required=True, metavar="WHAT")
    p = sub.add_parser("analyze", help="groups, representative and consensus statements of a "
                       "Polis export folder (comments.csv and votes.csv, or participants-votes.csv)")
    p.add_argument("dir", type=Path, metavar="DIR", help="the export folder")
    p.add_argument("--groups-from", type=Path, metavar="participants-votes.csv",
                   help="use the groups in this file's group-id column instead of clustering")
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    p.set_defaults(func=cmd_analyze)
    opinion_conversations.add_subcommands(sub)  # import and export, which use the database


def _entry(f: StatementFigures, texts: dict[Any, str]) -> dict[str, Any]:
    return {"statement": f.statement, "text": texts.get(f.statement, ""), **{
        k: v for k, v in f.as_dict().items() if k != "statement"}}


def as_json(result: Analysis, texts: dict[Any, str], seconds: float) -> dict[str, Any]:
    """The `--json` object: DESIGN.md §6's keys, then extras (documented in the README)."""
    return {
        "participants": len(result.participants),
        "statements": len(result.statements),
        "groups": [{"id": g.id, "members": g.members,
                    "representative": [_entry(f, texts) for f in g.representative]}
                   for g in result.groups],
        "consensus": [_entry(f, texts) for f in result.consensus],
        "seconds": round(seconds, 4),
        "votes": result.votes,
        "clustered": len(result.clustered),
        "groups_given": result.groups_given,
        "too_small": result.too_small,
        "tallies": [{"statement": t.statement, "agree": t.agree, "disagree": t.disagree,
                     "pass": t.passed} for t in result.tallies.values()],
    }


def _print_text(result: Analysis, texts: dict[Any, str], seconds: float) -> None:
    print(f"{len(result.participants)} participants, {len(result.statements)} statements, "
          f"{result.votes} votes; {len(result.clustered)} voted enough to be grouped "
          f"({seconds:.2f} s)")
    if result.too_small:
        print(f"Too small to form groups: {result.too_small}.")
        print("\nTallies (agree / disagree / pass):")
        for t in result.tallies.values():
            print(f"  {t.statement}: {t.agree} / {t.disagree} / {t.passed}  "
                  f"{texts.get(t.statement, '')[:70]}")
    for g in result.groups:
        print(f"\nGroup {g.id} ({len(g.members)} participants) stands out on:")
        for f in g.representative:
            print(f"  {f.direction:8} {f.share_in:4.0%} in the group, {f.share_out or 0:4.0%} "
                  f"outside  #{f.statement} {texts.get(f.statement, '')[:60]}")
    if result.consensus:
        print("\nConsensus across the conversation:")
        for f in result.consensus:
            print(f"  {f.direction:8} {f.share_in:4.0%}  #{f.statement} "
                  f"{texts.get(f.statement, '')[:70]}")


def cmd_analyze(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        export = read_export(args.dir)
        groups = read_groups(args.groups_from) if args.groups_from else None
    except PolisExportError as problem:
        return bad_input(problem)
    result = analyze([(v.participant, v.statement, v.vote, v.timestamp) for v in export.votes],
                     [c.id for c in export.comments], moderated_out=export.moderated_out,
                     meta=[c.id for c in export.comments if c.is_meta], groups=groups)
    seconds = time.perf_counter() - started
    texts = {c.id: c.text for c in export.comments}
    if args.json:
        print_json(as_json(result, texts, seconds))
    else:
        _print_text(result, texts, seconds)
    return 0

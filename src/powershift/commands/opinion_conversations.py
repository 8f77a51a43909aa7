"""`powershift opinion import` and `opinion export`: Polis export folders in and out of the
Ideas Shop. They join the `opinion` group made in powershift.commands.opinion; unlike
`opinion analyze` they set Django up."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from powershift.commands import bad_input, place_from_code


def cmd_import(args: argparse.Namespace) -> int:
    from powershift.cli import _setup_django

    _setup_django()
    from powershift.core.errors import BadInput
    from powershift.formats import polis_export
    from powershift.ideas import actions
    from powershift.ideas.analysis import store_analysis

    try:
        place = place_from_code(args.place)
        export = polis_export.read_export(args.dir)
        conversation = actions.import_polis(None, export, place=place, question=args.question)
    except (polis_export.PolisExportError, BadInput) as problem:
        return bad_input(problem)
    conversation = store_analysis(conversation)
    analysis: dict[str, Any] = conversation.analysis or {}
    print(f"Imported '{conversation.question}' as /ideas/{conversation.slug}/: "
          f"{conversation.statements.count()} statements, {analysis.get('participants', 0)} people, "
          f"{analysis.get('votes', 0)} votes, {len(analysis.get('groups', []))} groups")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from powershift.cli import _setup_django

    _setup_django()
    from powershift.core.errors import BadInput
    from powershift.ideas.exports import write_polis
    from powershift.ideas.models import Conversation

    conversation = Conversation.objects.filter(slug=args.conversation).first()
    if conversation is None:
        return bad_input(BadInput(f"{args.conversation}: no conversation has that name; use the "
                                  "name in its web address"))
    write_polis(conversation, args.out)
    print(f"Wrote comments.csv, votes.csv and participants-votes.csv to {args.out}", file=sys.stderr)
    return 0


def add_subcommands(opinion: Any) -> None:
    """Add `import` and `export` to the `opinion` group's subparsers."""
    p = opinion.add_parser("import", help="bring a Polis export folder in as a conversation")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--place", required=True, metavar="CODE")
    p.add_argument("--question", required=True, help="the conversation's question (Polis exports "
                   "do not carry it)")
    p.set_defaults(func=cmd_import)
    p = opinion.add_parser("export", help="write a conversation as a Polis export folder")
    p.add_argument("conversation", metavar="CONVERSATION", help="its name in its web address")
    p.add_argument("--out", required=True, type=Path, metavar="DIR")
    p.set_defaults(func=cmd_export)

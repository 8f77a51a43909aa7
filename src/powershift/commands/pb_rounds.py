"""`powershift pb import` and `powershift pb export`: Pabulib files in and out of the database.

They join the `pb` group made in powershift.commands.pb; unlike `pb tally` they set Django up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from powershift.commands import bad_input, place_from_code


def cmd_import(args: argparse.Namespace) -> int:
    from powershift.cli import _setup_django

    _setup_django()
    from powershift.budgets import actions
    from powershift.core.errors import BadInput
    from powershift.formats import pabulib

    try:
        place = place_from_code(args.place)
        election = pabulib.read(args.file)
        round = actions.import_election(None, election, place=place)
    except (pabulib.PabulibError, BadInput) as problem:
        return bad_input(problem)
    result: dict[str, Any] = round.result or {}
    print(f"Imported {round.title} as round '{round.slug}' in {place.name}: "
          f"{round.projects.count()} projects, {result.get('ballots', 0)} ballots, "
          f"{len(result.get('selected', []))} funded")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from powershift.cli import _setup_django

    _setup_django()
    from powershift.budgets.exports import round_to_election
    from powershift.budgets.models import Round, Stage
    from powershift.core.errors import BadInput
    from powershift.formats import pabulib

    try:
        round = Round.objects.filter(slug=args.round).first()
        if round is None:
            raise BadInput(f"{args.round}: no round has that name; use the name in the round's "
                           "web address, e.g. riverside-community-budget-2025")
        if not round.reached(Stage.RESULTS):
            raise BadInput(f"{args.round}: voting has not closed, and ballots stay sealed until "
                           "results; export it after moving the round to results")
    except BadInput as problem:
        return bad_input(problem)
    pabulib.write(round_to_election(round), args.out)
    print(f"Wrote {round.ballots.count()} anonymous ballots and {round.projects.count()} "
          f"projects to {args.out}", file=sys.stderr)
    return 0


def add_subcommands(pb: Any) -> None:
    """Add `import` and `export` to the `pb` group's subparsers."""
    p = pb.add_parser("import", help="make a counted round from a Pabulib file")
    p.add_argument("file", type=Path, metavar="FILE.pb[.gz]")
    p.add_argument("--place", required=True, metavar="CODE", help="code of the place it belongs to")
    p.set_defaults(func=cmd_import)
    p = pb.add_parser("export", help="write a closed round's anonymous ballots as a Pabulib file")
    p.add_argument("round", metavar="ROUND", help="the round's name in its web address")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pb[.gz]")
    p.set_defaults(func=cmd_export)

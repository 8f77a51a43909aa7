"""`powershift pb ...`: participatory budgets. `pb tally` counts a Pabulib file and prints the
result; it reads files only and never sets Django up.

`register` makes the `pb` group; each subcommand has an `add_<name>` function adding its
parser and a `cmd_<name>` function running it, so more subcommands slot in beside `tally`.
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from powershift.commands import bad_input, pb_rounds, print_json
from powershift.formats.pabulib import Election, PabulibError, read
from powershift.methods.equal_shares import COMPLETIONS, RULES, Outcome, tally


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = subparsers.add_parser("pb", help="participatory budgets: count, import and export "
                                  "Pabulib files")
    sub = group.add_subparsers(dest="what", required=True, metavar="WHAT")
    add_tally(sub)
    pb_rounds.add_subcommands(sub)  # import and export, which use the database


def add_tally(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("tally", help="count a Pabulib .pb[.gz] file and explain the result",
                       description="Count a participatory budget from a Pabulib file. MES uses "
                       "cost utilities for approval-type ballots and points for cumulative and "
                       "scoring ballots; ties go to the project id that sorts first as text.")
    p.add_argument("file", type=Path, metavar="FILE.pb[.gz]")
    p.add_argument("--rule", required=True, choices=RULES,
                   help="mes: Method of Equal Shares; greedy: by votes (points), most first")
    p.add_argument("--completion", choices=COMPLETIONS, default="budget-increase",
                   help="for mes: raise every voter's share by 1 unit at a time while the "
                   "outcome fits, then fill greedily (budget-increase, the default), or none")
    p.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    p.set_defaults(func=cmd_tally)


def _number(x: int | Fraction) -> int | float:
    return int(x) if Fraction(x).denominator == 1 else float(x)


def as_json(election: Election, outcome: Outcome, seconds: float) -> dict[str, Any]:
    """The `--json` object: DESIGN.md §6's keys, then extras (documented in the README)."""
    voter_ids = [v.id for v in election.voters]
    explanations: dict[str, Any] = {}
    for pid, e in outcome.explanations.items():
        entry = e.summary()
        if e.payments:
            entry["payments"] = {voter_ids[i]: _number(a) for i, a in e.payments.items() if a}
        explanations[pid] = entry
    return {
        "rule": outcome.rule,
        "completion": outcome.completion,
        "budget": _number(outcome.budget),
        "selected": outcome.selected,
        "total_cost": _number(outcome.total_cost),
        "explanations": explanations,
        "seconds": round(seconds, 4),
        "file": election.path,
        "vote_type": election.vote_type,
        "voters": len(election.voters),
        "projects": len(election.projects),
        "voter_share": None if outcome.voter_share is None else _number(outcome.voter_share),
        "increments": outcome.increments,
    }


def _money(x: int | Fraction) -> str:
    return f"{float(x):,.2f}".removesuffix(".00")


def print_table(election: Election, outcome: Outcome, seconds: float) -> None:
    names = {p.id: p.name for p in election.projects}
    costs = {p.id: p.cost for p in election.projects}
    rule = "Method of Equal Shares" if outcome.rule == "mes" else "Greedy by votes"
    if outcome.rule == "mes":
        rule += f", completion: {outcome.completion}"
    print(f"{election.path}: {len(election.voters):,} voters, {len(election.projects)} projects, "
          f"budget {_money(outcome.budget)}")
    print(f"{rule}: {len(outcome.selected)} funded, total {_money(outcome.total_cost)} "
          f"({seconds:.2f} s)\n")
    width = max([len(pid) for pid in names] + [7])
    print(f"{'#':>3}  {'project':<{width}}  {'cost':>14}  {'votes':>8}  how / why  name")
    order = outcome.selected + [pid for pid in names if pid not in outcome.selected]
    for k, pid in enumerate(order, start=1):
        e = outcome.explanations[pid]
        mark = f"{k:>3}" if e.funded else "  -"
        votes = _money(e.votes)
        print(f"{mark}  {pid:<{width}}  {_money(costs[pid]):>14}  {votes:>8}  "
              f"{e.reason:<28} {names[pid][:50]}")
    print("\nWhy, in words:")
    for pid in order:
        print(f"  {pid}: {outcome.explanations[pid].text}")


def cmd_tally(args: argparse.Namespace) -> int:
    try:
        election = read(args.file)
    except PabulibError as problem:
        return bad_input(problem)
    start = time.perf_counter()
    outcome = tally(election, args.rule, args.completion if args.rule == "mes" else "none")
    seconds = time.perf_counter() - start
    if args.json:
        print_json(as_json(election, outcome, seconds))
    else:
        print_table(election, outcome, seconds)
    return 0

"""`powershift panel select`: draw a citizens' panel by fair lottery from CSV files in the
Sortition Foundation's layout. Reads files and prints; no Django, no database.

`--json` prints one object (README, "Citizens' panel selection"): algorithm, panel,
probabilities, min_probability, committees, seed, seed_commitment, seconds, and the extras
households, size, pool, stages.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from powershift.commands import bad_input, print_json
from powershift.formats.sortition_csv import read
from powershift.methods.leximin import ALGORITHMS, select
from powershift.methods.sortition_model import SortitionInputError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = subparsers.add_parser("panel", help="citizens' panels: fair selection by lottery")
    sub = group.add_subparsers(dest="panel_command", required=True, metavar="COMMAND")
    p = sub.add_parser(
        "select", help="draw a panel meeting the quotas, as fairly as possible (LEXIMIN)",
        description="Draw a panel from a pool of volunteers so that every quota holds and the "
        "least likely volunteer is as likely as possible, then the next (LEXIMIN). Prints the "
        "panel, each person's selection probability, the committees drawn from and the seed, "
        "so anyone can repeat the draw.")
    p.add_argument("--categories", required=True, type=Path, metavar="C.csv",
                   help="quotas: feature,value,min,max")
    p.add_argument("--people", required=True, type=Path, metavar="P.csv",
                   help="the pool: an id column, one column per feature, address columns")
    p.add_argument("--size", required=True, type=int, metavar="N", help="panel size")
    p.add_argument("--algorithm", choices=ALGORITHMS, default="leximin",
                   help="leximin (default, fairest), maximin (its first stage), legacy (greedy)")
    p.add_argument("--seed", metavar="S", help="the seed committed to before the draw (a new "
                   "random one if left out; printed either way)")
    p.add_argument("--households", action="store_true",
                   help="at most one person per address (see --address-columns)")
    p.add_argument("--address-columns", default="address,postcode", metavar="A,B",
                   help="people-file columns that make the address (default: address,postcode)")
    p.add_argument("--id-column", default="id", help="people-file column with the id (default: id)")
    p.add_argument("--json", action="store_true", help="print one JSON object (see the README)")
    p.set_defaults(func=cmd_select)


def cmd_select(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    columns = [c.strip() for c in args.address_columns.split(",") if c.strip()]
    try:
        pool, quotas = read(args.categories, args.people, args.size, id_column=args.id_column,
                            address_columns=columns if args.households else ())
        bar = _progress_bar() if not args.json or sys.stderr.isatty() else None
        selection = select(pool, quotas, args.size, algorithm=args.algorithm,
                           households=args.households, seed=args.seed,
                           progress=bar.update if bar else None)
        if bar:
            bar.close()
    except SortitionInputError as problem:
        return bad_input(problem)
    seconds = round(time.perf_counter() - start, 3)
    if args.json:
        print_json({
            "algorithm": selection.algorithm,
            "panel": list(selection.panel),
            "probabilities": selection.probabilities,
            "min_probability": selection.min_probability,
            "committees": [{"members": list(c.members), "weight": c.weight}
                           for c in selection.committees],
            "seed": selection.seed,
            "seed_commitment": selection.seed_commitment,
            "seconds": seconds,
            "households": selection.households,
            "size": args.size,
            "pool": len(pool.people),
            "stages": selection.stages,
        })
        return 0
    print(f"Panel of {args.size} drawn from {len(pool.people)} volunteers by "
          f"{selection.algorithm} in {seconds:.1f} s")
    print(f"Seed: {selection.seed}  (SHA-256 commitment {selection.seed_commitment})")
    print(f"Lowest selection probability: {selection.min_probability:.4f}; "
          f"{len(selection.committees)} committees")
    for pid in selection.panel:
        print(f"  {pid}  (probability {selection.probabilities[pid]:.4f})")
    return 0


class _progress_bar:  # noqa: N801 (used like a function)
    """tqdm on stderr, fed with (fraction, message)."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=1000, file=sys.stderr, desc="Selecting", leave=False,
                        bar_format="{desc}: {percentage:3.0f}% {postfix}")

    def update(self, fraction: float, message: str) -> None:
        self.bar.update(max(0, int(fraction * 1000) - self.bar.n))
        self.bar.set_postfix_str(message, refresh=False)

    def close(self) -> None:
        self.bar.close()

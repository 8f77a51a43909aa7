"""`powershift import indicators FILE.csv`: official figures (A&E attendances per 1,000...) to sit
beside the measures communities keep. Every row is checked first (known place, date, number,
range); any problem stops the import with one line naming the file, line and field (exit 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from powershift.commands import bad_input


def add_import(imp: Any) -> None:
    """Add `indicators` to the `import` group built in powershift.cli."""
    p = imp.add_parser("indicators", help="import official indicators from CSV to sit beside measures",
                       description="Import official figures from CSV with the columns indicator, name, "
                       "unit (optional), place, date (YYYY-MM-DD or YYYY-MM), value. All rows are "
                       "checked before any is written; a value already there for the same "
                       "indicator, place and date is replaced.")
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--source", default="", help="where the figures come from, shown beside them")
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from powershift.cli import _setup_django

    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return bad_input(ValueError(f"{args.file}: no such file; check the path"))
    except UnicodeDecodeError:
        return bad_input(ValueError(f"{args.file}: not UTF-8 text; save it as CSV UTF-8"))
    _setup_django()
    from powershift.core.errors import BadInput
    from powershift.measures import actions

    try:
        summary = actions.import_indicators(None, text, source=str(args.file), source_name=args.source)
    except BadInput as problem:
        return bad_input(problem)
    print(f"Imported {summary.rows} figures for {summary.indicators} indicators from {args.file}: "
          f"{summary.created} new, {summary.updated} updated", file=sys.stdout)
    return 0

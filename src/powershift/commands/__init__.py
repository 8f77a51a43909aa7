"""Subcommand groups of the `powershift` command, one module each (`pb`, `panel`, `opinion`...).

Each module has `register(subparsers)`, which adds its group to the parser; `powershift.cli`
lists the modules in `COMMAND_GROUPS`. Commands that only read files and print results (tallies,
selections, analyses) must not set Django up, so they stay fast and work without a database.
"""

from __future__ import annotations

import json
import sys
from typing import Any

EXIT_BAD_INPUT = 2


def bad_input(problem: Exception) -> int:
    """Print a one-line bad-input message to stderr and return the exit status for it."""
    print(" ".join(str(problem).split()), file=sys.stderr)
    return EXIT_BAD_INPUT


def print_json(result: dict[str, Any]) -> None:
    """The `--json` contract: one object on stdout."""
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")


def place_from_code(code: str) -> Any:
    """The place with this code, for commands that import into a place (Django must be set up).

    Raises BadInput naming `--place` when there is none."""
    from powershift.core.errors import BadInput
    from powershift.core.models import Place

    place = Place.objects.filter(code=code).first()
    if place is None:
        raise BadInput(f"--place {code}: no place has that code; import the place first or check "
                       "the code on its page")
    return place

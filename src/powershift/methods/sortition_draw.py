"""The verifiable draw: anyone holding the published committees, weights and seed can repeat it.

The procedure (the same in code and in the README):
1. Before the draw the facilitator publishes `commit_seed(seed)`, the SHA-256 of the seed
   string's UTF-8 bytes, in lowercase hex. Afterwards the seed is revealed; anyone can check it.
2. Committees are put in canonical order: each committee's member ids sorted (as strings), the
   committees sorted by those lists; identical committees are merged by adding their weights.
3. The uniform number is u = int(first 16 hex digits of SHA-256("powershift-panel-draw:" +
   seed)) / 2**64, in [0, 1).
4. The panel is the first committee, in canonical order, whose running total of weights
   (math.fsum of the weights so far) exceeds u * math.fsum(all weights).
Weights are published as JSON numbers (Python's shortest round-trip form), so every reader
gets the same floats and the same sums.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Sequence

from powershift.methods.sortition_model import Committee

DRAW_PREFIX = "powershift-panel-draw:"


def commit_seed(seed: str) -> str:
    """The commitment published before the draw: SHA-256 of the seed, hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def new_seed() -> str:
    """A fresh unguessable seed, for when the facilitator does not give one."""
    return secrets.token_hex(16)


def uniform(seed: str, label: str = "") -> float:
    """The documented uniform number in [0, 1) for a seed (label separates derived draws)."""
    digest = hashlib.sha256(f"{DRAW_PREFIX}{label}{seed}".encode()).hexdigest()
    return int(digest[:16], 16) / 2**64


def canonical(committees: Iterable[tuple[Iterable[str], float]]) -> tuple[Committee, ...]:
    """Committees in canonical order, duplicates merged, zero weights dropped."""
    merged: dict[tuple[str, ...], list[float]] = {}
    for members, weight in committees:
        if weight > 0:
            merged.setdefault(tuple(sorted(str(m) for m in members)), []).append(weight)
    return tuple(Committee(key, math.fsum(merged[key])) for key in sorted(merged))


def redraw(committees: Sequence[Committee] | Sequence[tuple[Sequence[str], float]],
           seed: str) -> tuple[str, ...]:
    """The panel the published committees and seed give (the verification of a draw)."""
    pairs = [(c.members, c.weight) if isinstance(c, Committee) else (c[0], c[1])
             for c in committees]
    ordered = canonical(pairs)
    if not ordered:
        raise ValueError("there are no committees with positive weight to draw from")
    target = uniform(seed) * math.fsum(c.weight for c in ordered)
    running: list[float] = []
    for committee in ordered:
        running.append(committee.weight)
        if math.fsum(running) > target:
            return committee.members
    return ordered[-1].members  # only reachable through rounding at the very top

"""Why no panel meets the quotas, computed rather than guessed.

Two answers, both from the committee integer program:
- a *core*: quotas that cannot all hold together, irreducible (drop any one and the rest can
  hold). Found by a deletion filter over each quota's min and max: drop a bound, keep it dropped
  if the rest are still infeasible. Irreducible, not always the smallest such set.
- the *smallest relaxation*: the fewest seats by which mins must be lowered and maxes raised
  for a panel to exist (an integer program minimising the total change), as sentences like
  "raise 'age 16-24' max from 3 to 4".
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from powershift.methods.sortition_model import (
    CommitteeProgram,
    Pool,
    Quota,
    Quotas,
    SortitionInputError,
    group_types,
    new_highs,
)


@dataclass(frozen=True)
class Bound:
    quota: Quota
    kind: str  # "min" or "max"

    def __str__(self) -> str:
        return f"{self.quota.label} {self.kind} {getattr(self.quota, self.kind)}"


@dataclass(frozen=True)
class Relaxation:
    quota: Quota
    kind: str  # "min" or "max"
    to: int

    def __str__(self) -> str:
        verb = "lower" if self.kind == "min" else "raise"
        return f"{verb} {self.quota.label} {self.kind} from {getattr(self.quota, self.kind)} to {self.to}"


class InfeasibleQuotas(SortitionInputError):
    """No panel meets the quotas; `core` and `relaxations` say why and what would fix it."""

    def __init__(self, source: str, line: int | None, problem: str, core: tuple[Bound, ...],
                 relaxations: tuple[Relaxation, ...]) -> None:
        super().__init__(source, line, problem)
        self.core, self.relaxations = core, relaxations


def explain_infeasible(pool: Pool, quotas: Quotas, size: int, *,
                       households: bool = False) -> InfeasibleQuotas | None:
    """The explanation as an error to raise, or None if some panel meets the quotas."""
    types = group_types(pool, quotas, households=households)
    program = CommitteeProgram(types, quotas, size)
    if program.feasible():
        return None
    src = quotas.source
    free = [(0.0, float(size)) for _ in quotas.quotas]
    if not CommitteeProgram(types, quotas, size, relax=free).feasible():
        homes = len({p.household or f"#{i}" for i, p in enumerate(pool.people)})
        return InfeasibleQuotas(pool.source, None, f"even without quotas no panel of {size} "
                                f"exists: the household rule leaves {homes} addresses; "
                                "choose a smaller panel or recruit from more households", (), ())
    bounds = [[float(q.min), float(q.max)] for q in quotas.quotas]
    core: list[Bound] = []
    for r, q in enumerate(quotas.quotas):
        for kind, loose in (("min", 0.0), ("max", float(size))):
            side = 0 if kind == "min" else 1
            if bounds[r][side] == loose:
                continue  # not binding anything
            kept = bounds[r][side]
            bounds[r][side] = loose
            program.set_quota_bounds(r, *bounds[r])
            if program.feasible():
                bounds[r][side] = kept  # needed for the infeasibility
                program.set_quota_bounds(r, *bounds[r])
                core.append(Bound(q, kind))
    relaxations = _smallest_relaxation(types.values, types.counts, types.households, quotas, size)
    first = min(core, key=lambda b: b.quota.line or 0) if core else None
    fixes = " and ".join(str(r) for r in relaxations) or "relax these quotas"
    listed = ", ".join(str(b) for b in core)
    return InfeasibleQuotas(src, first.quota.line if first else None,
                            f"no panel of {size} from this pool meets these quotas together: "
                            f"{listed}; the smallest change that allows a panel: {fixes}",
                            tuple(core), relaxations)


def _smallest_relaxation(values: np.ndarray, counts: np.ndarray,
                         houses: tuple[tuple[int, ...], ...], quotas: Quotas,
                         size: int) -> tuple[Relaxation, ...]:
    """Integer program: counts x per type plus, per quota, seats `down` its min and `up` its
    max, minimising the total (ties: fewer quotas touched, by a small per-quota charge)."""
    n, q = len(counts), len(quotas.quotas)
    h = new_highs()
    inf = highspy.kHighsInf
    none_i, none_v = np.array([], dtype=np.int32), np.array([], dtype=np.float64)
    for t in range(n):
        h.addCol(0.0, 0.0, float(counts[t]), 0, none_i, none_v)
    for _ in range(2 * q):  # down_r, up_r
        h.addCol(1.0, 0.0, float(size), 0, none_i, none_v)
    total = n + 2 * q
    h.changeColsIntegrality(total, np.arange(total, dtype=np.int32),
                            np.full(total, highspy.HighsVarType.kInteger))
    h.addRow(size, size, n, np.arange(n, dtype=np.int32), np.ones(n))
    for r, quota in enumerate(quotas.quotas):
        cols = np.flatnonzero(values[r]).astype(np.int32)
        # sum x + down >= min ; sum x - up <= max
        h.addRow(quota.min, inf, len(cols) + 1, np.append(cols, n + r).astype(np.int32),
                 np.append(np.ones(len(cols)), 1.0))
        h.addRow(-inf, quota.max, len(cols) + 1, np.append(cols, n + q + r).astype(np.int32),
                 np.append(np.ones(len(cols)), -1.0))
    for house in houses:
        h.addRow(-inf, 1.0, len(house), np.array(house, dtype=np.int32), np.ones(len(house)))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return ()
    sol = np.round(np.asarray(h.getSolution().col_value))
    out: list[Relaxation] = []
    for r, quota in enumerate(quotas.quotas):
        if sol[n + r] > 0:
            out.append(Relaxation(quota, "min", quota.min - int(sol[n + r])))
        if sol[n + q + r] > 0:
            out.append(Relaxation(quota, "max", quota.max + int(sol[n + q + r])))
    return tuple(out)

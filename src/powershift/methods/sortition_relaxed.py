"""LEXIMIN through the committee program's linear relaxation, then committees realising it.

The types' expected counts under any distribution over panels form the integer hull of the
committee program's polytope P (quotas, 0 <= x_t <= n_t, panel size, households), which lies
inside P. So the LEXIMIN of x_t / n_t over P itself (compact LPs with one column per type, no
column generation) is lexicographically at least the true one, and when that point is a convex
combination of panels it is the true LEXIMIN.

The combination is found greedily (Carathéodory): take an integer panel v on the smallest face
of P holding the current point x (every bound and quota tight at x is kept tight), give it the
largest weight lam keeping (x - lam v) / (1 - lam) in P, and go on from there: each step makes
at least one more constraint tight, so there are at most as many steps as constraints. P is
not integral, so the path can leave the panels' hull; on our benchmark pools it does so only
when less than 1e-7 of the mass is left. The caller accepts the panels when at most `LEFTOVER`
is left (weights renormalised: every probability is then within about LEFTOVER of the
relaxation's LEXIMIN, an upper bound) and otherwise falls back to column generation over
panels.
"""

from __future__ import annotations

import highspy
import numpy as np
from numpy.typing import NDArray

from powershift.methods.sortition_model import CommitteeProgram, new_highs
from powershift.methods.sortition_swaps import SwapSearch

LEFTOVER = 1e-6  # largest mass the decomposition may leave (probabilities off by <= ~it)
_TIGHT = 1e-8  # a bound or quota this close to the point is tight (kept on the face)
_DUAL = 1e-9  # relaxed-stage dual prices above this mark a type as fixed


def _continuous(program: CommitteeProgram) -> highspy.Highs:
    """A copy of the committee program with its integrality dropped."""
    n = len(program.types.counts)
    h = new_highs()
    h.passModel(program.h.getModel())
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.full(n, highspy.HighsVarType.kContinuous))
    return h


def relaxed_leximin(program: CommitteeProgram) -> tuple[NDArray[np.float64], int]:
    """The LEXIMIN of x_t / n_t over the relaxation: (expected count x_t per type, the
    number of distinct levels).

    Stage by stage: max z s.t. x_t / n_t >= z for the free types, >= their level for the fixed
    ones; types with a positive dual price are tight in every optimum and are fixed at z."""
    counts = program.types.counts
    n = len(counts)
    h = _continuous(program)
    # The decomposition divides what is left by a mass that shrinks towards 0, so the point
    # must meet the quotas far more closely than HiGHS's default 1e-7.
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    inf = highspy.kHighsInf
    first = h.getNumRow()
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
    h.addCol(1.0, -inf, inf, 0, np.array([], dtype=np.int32), np.array([], dtype=float))
    for t in range(n):
        h.addRow(0.0, inf, 2, np.array([t, n], dtype=np.int32), np.array([1 / counts[t], -1.0]))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    fixed = np.full(n, np.nan)
    levels: list[float] = []
    while np.isnan(fixed).any():
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"relaxed stage: {h.modelStatusToString(h.getModelStatus())}")
        z = float(h.getObjectiveValue())
        if not levels or z > levels[-1] + 1e-9:  # a stage may only fix more types at a level
            levels.append(z)
        y = np.abs(np.asarray(h.getSolution().row_dual[first:first + n]))
        free = np.isnan(fixed)
        tight = np.flatnonzero(free & (y > _DUAL))
        if len(tight) == 0:  # numerical corner: fix the most-priced free type
            tight = np.array([int(np.argmax(np.where(free, y, -1)))])
        fixed[tight] = z
        for k in tight.tolist():  # x_k / n_k >= z (less a hair: the next stage stays feasible)
            h.changeCoeff(first + k, n, 0.0)
            h.changeRowBounds(first + k, z - 1e-10, inf)
    # The last solution itself (not levels times counts, which may fall short of the panel
    # size by the LP's tolerance): every type at or a hair above its level.
    return np.asarray(h.getSolution().col_value[:n]), len(levels)


def _step(at_x: NDArray[np.float64], at_v: NDArray[np.float64], lower: NDArray[np.float64],
          upper: NDArray[np.float64]) -> float:
    """The largest lam <= 1 keeping lower <= a (x - lam v) / (1 - lam) <= upper, given
    at_x = a x and at_v = a v (v itself within the bounds)."""
    lam = 1.0
    # Constraints v keeps tight are left out: x is on them too (within _TIGHT).
    rising = (at_v > at_x + 1e-12) & (at_v - lower > 1e-12) & np.isfinite(lower)  # moving away from v lowers a x
    if rising.any():
        lam = min(lam, float(np.min((at_x - lower)[rising] / (at_v - lower)[rising])))
    falling = (at_v < at_x - 1e-12) & (upper - at_v > 1e-12) & np.isfinite(upper)
    if falling.any():
        lam = min(lam, float(np.min((upper - at_x)[falling] / (upper - at_v)[falling])))
    return max(lam, 0.0)


class _Face:
    """Integer panels on the smallest face of P holding a point: by swaps from the last panel,
    else from the integer program with those constraints made tight. (Taking the face LP's
    vertex when it is whole is faster, but on the pool of 2,000 it soon leads the greedy path
    out of the panels' hull; swaps make the path longer but end closer to exact.)"""

    def __init__(self, program: CommitteeProgram) -> None:
        types = program.types
        n = len(types.counts)
        homes = np.zeros((len(types.households), n))  # the program's rows, in its order
        for r, house in enumerate(types.households):
            homes[r, list(house)] = 1.0
        self.rows = np.vstack([np.ones((1, n)), types.values, homes])
        self.lower = np.concatenate([[program.size], program.lo, np.full(len(homes), -np.inf)])
        self.upper = np.concatenate([[program.size], program.hi, np.ones(len(homes))])
        self.counts = types.counts
        self.ip = new_highs()
        self.ip.passModel(program.h.getModel())
        self.ip.setOptionValue("mip_rel_gap", 0.05)  # a good panel on the face will do
        # These IPs are mostly solved at the root in ~20 LP iterations: the feasibility-jump
        # heuristic and symmetry detection were then more than half of each solve's time.
        self.ip.setOptionValue("mip_heuristic_run_feasibility_jump", False)
        self.ip.setOptionValue("mip_detect_symmetry", False)
        self.swaps = SwapSearch(types, program.lo.copy(), program.hi.copy())

    def panel(self, x: NDArray[np.float64], last: NDArray[np.float64] | None = None,
              ) -> NDArray[np.float64] | None:
        """An integer panel keeping every constraint tight at x tight, or None. It maximises
        the panel's worth at x / n (within 5%): types with much left, so steps are long.
        Swaps from the `last` panel, which met all but the newly tight constraints, are tried
        first: they usually reach the new face in milliseconds."""
        n = len(x)
        cols = np.arange(n, dtype=np.int32)
        at = self.rows @ x
        rlow = np.where(at >= self.upper - _TIGHT, self.upper, self.lower)
        rhigh = np.where(at <= self.lower + _TIGHT, self.lower, self.upper)
        low = np.where(x >= self.counts - _TIGHT, self.counts, 0.0)
        high = np.where(x <= _TIGHT, 0.0, self.counts)
        if last is not None:
            quotas = slice(1, 1 + len(self.swaps.lo))
            self.swaps.lo, self.swaps.hi = rlow[quotas], rhigh[quotas]
            worth = np.where(high == 0, -1e3, np.where(low > 0, 1e3, x / self.counts))
            v = self.swaps.improve(last, worth)
            at_v = self.rows @ v
            if ((v >= low) & (v <= high)).all() and (
                    (at_v >= rlow - 1e-9) & (at_v <= rhigh + 1e-9)).all():
                return v
        rlow[~np.isfinite(rlow)], rhigh[~np.isfinite(rhigh)] = -highspy.kHighsInf, highspy.kHighsInf
        self.ip.changeColsBounds(n, cols, low, high)
        for r in range(len(rlow)):
            self.ip.changeRowBounds(r, float(rlow[r]), float(rhigh[r]))
        self.ip.changeColsCost(n, cols, x / self.counts)
        self.ip.run()
        if self.ip.getInfo().primal_solution_status != 2:  # no panel on the face
            return None
        return np.round(np.asarray(self.ip.getSolution().col_value[:n]))

    def step(self, x: NDArray[np.float64], v: NDArray[np.float64]) -> float:
        """The largest weight lam for v keeping (x - lam v) / (1 - lam) in P."""
        zero, n = np.zeros_like(x), self.counts
        return min(_step(x, v, zero, n),
                   _step(self.rows @ x, self.rows @ v, self.lower, self.upper))


def decompose(program: CommitteeProgram, target: NDArray[np.float64],
              ) -> tuple[list[NDArray[np.float64]], list[float], float]:
    """Panels (type counts) and weights whose combination is `target` (expected counts in P),
    greedily; and the mass left undecomposed (0 when exact; weights add up to 1 minus it)."""
    face = _Face(program)
    x, left = np.clip(target, 0.0, program.types.counts), 1.0
    panels: list[NDArray[np.float64]] = []
    weights: list[float] = []
    for _ in range(len(target) + len(face.rows) + 2):  # each step makes one more tight
        if np.abs(x - np.round(x)).max() < 1e-7:
            panels.append(np.round(x))
            weights.append(left)
            return panels, weights, 0.0
        v = face.panel(x, panels[-1] if panels else None)
        if v is None:
            break
        lam = face.step(x, v)
        if lam <= 0.0:  # x sits a hair outside P: no progress possible
            break
        panels.append(v)
        weights.append(left * lam)
        if lam >= 1 - 1e-12:
            return panels, weights, 0.0
        x, left = (x - lam * v) / (1 - lam), left * (1 - lam)
        x[np.abs(x) < _TIGHT] = 0.0  # snap what is tight, so the next face keeps it
        snap = np.abs(x - face.counts) < _TIGHT
        x[snap] = face.counts[snap]
    return panels, weights, left

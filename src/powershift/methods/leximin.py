"""Fair panel selection: LEXIMIN (Flanigan, Gölz, Gupta, Hennig and Procaccia, Nature 2021) on
HiGHS, its first stage alone (maximin), and the legacy greedy draw.

LEXIMIN makes the least likely volunteer as likely as possible, then the next, and so on. It is
first computed over the committee program's linear relaxation, an upper bound, and realised by
panels found greedily (sortition_relaxed); on our pools that reaches it, so no column generation
is needed. When the panels found leave more than a trace of it unrealised, column generation
over panels computes it stage by stage as follows. Each stage solves the dual of "maximise the
lowest probability z of the types not yet fixed" over the committees found so far, looks for
committees the dual prices above its value (new columns: first by swaps around known
committees, sortition_swaps, then with the committee integer program), and stops when the
integer program proves none exists: the two then bound z from both sides. Types whose dual
price is positive are tight in every optimum (complementary slackness), so they are fixed at z
and the next stage raises the rest.

Everything is computed on types of interchangeable people; the last step turns the distribution
over type counts into one over named people with each person's probability equal to their
type's, exactly (systematic sampling within each type, see `_named`).

Floats are safe here: probabilities are compared with tolerances of 1e-7 (the relaxation's
panels may leave up to 1e-6 of the mass, see sortition_relaxed.LEFTOVER) and every panel drawn
is an integer solution checked against the quotas.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import highspy
import numpy as np
from numpy.typing import NDArray

from powershift.methods.sortition_draw import canonical, commit_seed, new_seed, redraw
from powershift.methods.sortition_infeasible import explain_infeasible
from powershift.methods.sortition_model import (
    CommitteeProgram,
    Pool,
    Progress,
    Quota,
    Quotas,
    Selection,
    SortitionInputError,
    Types,
    check,
    group_types,
    new_highs,
)
from powershift.methods.sortition_relaxed import LEFTOVER, decompose, relaxed_leximin
from powershift.methods.sortition_swaps import SwapSearch

ALGORITHMS = ("leximin", "maximin", "legacy")
_GAP = 1e-7  # a stage is solved when the best new committee beats the dual by less than this
_FIX = 1e-6  # dual prices above this mark a type as tight


def _noop(fraction: float, message: str) -> None:
    return None


class _Master:
    """The stage's restricted master LP over the committees found so far, kept in one HiGHS
    model so each new committee is a warm-started column:
    max z  s.t.  sum_C w_C x_Ct / n_t >= z (free types t), >= v_t (fixed types),
    sum_C w_C = 1,  w >= 0.  Its row duals are the prices y_t of the stage's dual
    (min mu - sum_fixed v_t y_t  s.t.  sum_t y_t x_t / n_t <= mu for every committee x,
    sum_free y_t = 1, y >= 0)."""

    def __init__(self, counts: NDArray[np.float64]) -> None:
        self.n = len(counts)
        self.inv = 1.0 / counts
        self.h = new_highs()
        self.h.setOptionValue("presolve", "off")  # keep the basis: each solve is a warm start
        self.h.setOptionValue("simplex_strategy", 4)  # primal simplex: new columns keep it feasible
        inf = highspy.kHighsInf
        for _ in range(self.n):
            self.h.addRow(0.0, inf, 0, np.array([], dtype=np.int32), np.array([], dtype=float))
        self.h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([], dtype=float))
        self.h.addCol(1.0, -inf, inf, self.n, np.arange(self.n, dtype=np.int32), -np.ones(self.n))
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.fixed = np.zeros(self.n)

    def add(self, x: NDArray[np.float64]) -> None:
        rows = np.flatnonzero(x)
        idx = np.append(rows, self.n).astype(np.int32)
        vals = np.append(x[rows] * self.inv[rows], 1.0)
        self.h.addCol(0.0, 0.0, highspy.kHighsInf, len(idx), idx, vals)

    def fix(self, types: NDArray[np.intp], value: NDArray[np.float64]) -> None:
        for t, v in zip(types, value, strict=True):
            self.h.changeCoeff(int(t), 0, 0.0)
            self.h.changeRowBounds(int(t), float(v) - 1e-10, highspy.kHighsInf)
            self.fixed[t] = float(v)

    def solve(self) -> tuple[NDArray[np.float64], float, float]:
        """(y, mu, value)."""
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"stage LP: {self.h.modelStatusToString(self.h.getModelStatus())}")
        value = float(self.h.getObjectiveValue())
        y = np.abs(np.asarray(self.h.getSolution().row_dual[:self.n]))
        return y, value + float(self.fixed @ y), value

    def weights(self) -> NDArray[np.float64]:
        """The committees' weights in the last solution."""
        w: NDArray[np.float64] = np.asarray(self.h.getSolution().col_value[1:])
        return np.maximum(w, 0.0)


def _initial(program: CommitteeProgram, types: Types) -> list[NDArray[np.float64]]:
    """A first set of committees putting every type on one where it can be: each committee
    favours the types not yet on any; when the best of them holds none of those, no
    committee can (those types' people can never be selected)."""
    n = len(types.counts)
    found: list[NDArray[np.float64]] = []
    covered = np.zeros(n, dtype=bool)
    while not covered.all():
        best = program.best(np.where(covered, 1e-3, 1.0) / types.counts)
        assert best is not None  # the program is feasible
        x = best[0]
        if not (x[~covered] > 0).any():
            break
        found.append(x)
        covered |= x > 0
    return found


def _stage(dual: _Master, program: CommitteeProgram, swaps: SwapSearch,
           counts: NDArray[np.float64], fixed: NDArray[np.float64],
           committees: list[NDArray[np.float64]]) -> tuple[NDArray[np.float64], float]:
    """One stage solved by column generation: (optimal dual prices, the stage's value).

    New committees come first from swaps around the best known ones (milliseconds), and
    only when those find nothing from the integer program. Prices are smoothed (Wentges):
    committees are sought at a point between the best dual found so far and the current
    one, which cuts the long tail of tiny improvements; the stage ends only once the
    integer program at the current dual itself finds nothing better, so its prices certify
    optimality."""
    on_fixed = np.nan_to_num(fixed)
    best_y: NDArray[np.float64] | None = None
    upper, alpha = np.inf, 0.6
    shares = np.array(committees) / counts  # committees x types
    while True:
        y, mu, value = dual.solve()
        at = y if best_y is None or alpha == 0 else alpha * best_y + (1 - alpha) * y
        worth = shares @ at
        beat = float(worth.max()) + _GAP
        found = _swap_columns(swaps, committees, worth, at / counts, beat)
        if not found:
            x, bound = program.price(at / counts, beat=beat)
            if bound - float(on_fixed @ at) < upper:  # `at` with mu = bound is dual feasible
                upper, best_y = bound - float(on_fixed @ at), at
            found = [] if x is None else [x]
            if not found and at is y:
                return y, value  # nothing beats the current prices: they are optimal
        for x in found:
            committees.append(x)
            dual.add(x)
        if found:
            shares = np.vstack([shares, np.array(found) / counts])
            if max(float(x @ (y / counts)) for x in found) > mu + _GAP:
                continue
        alpha = 0.0 if alpha < 0.1 or upper - value <= _GAP else alpha / 2


def _swap_columns(swaps: SwapSearch, committees: list[NDArray[np.float64]],
                  worth: NDArray[np.float64], weights: NDArray[np.float64], beat: float,
                  starts: int = 10) -> list[NDArray[np.float64]]:
    """New committees worth more than `beat`, by swaps from the best known ones."""
    found: dict[bytes, NDArray[np.float64]] = {}
    for i in np.argsort(-worth)[:starts]:
        x = swaps.improve(committees[int(i)], weights)
        if float(x @ weights) > beat:
            found.setdefault(x.tobytes(), x)
    return list(found.values())


def _relaxed_distribution(program: CommitteeProgram, progress: Progress,
                          ) -> tuple[NDArray[np.float64], NDArray[np.float64], int] | None:
    """LEXIMIN over the relaxation realised by panels (sortition_relaxed), or None when the
    panels found leave more than `LEFTOVER` of it unrealised."""
    target, stages = relaxed_leximin(program)
    progress(0.1, f"LEXIMIN of the relaxation: {stages} levels; finding panels that realise it")
    panels, weights, left = decompose(program, target)
    if left > LEFTOVER:
        return None
    w = np.array(weights)
    return np.array(panels), w / w.sum(), stages


def _type_distribution(types: Types, program: CommitteeProgram, *, leximin: bool,
                       progress: Progress) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """Committees (rows of type counts), their weights, and the number of stages."""
    if leximin:
        found = _relaxed_distribution(program, progress)
        if found is not None:
            return found
        progress(0.1, "the relaxation's LEXIMIN is out of reach; column generation over panels")
    n = len(types.counts)
    committees = _initial(program, types)
    reachable = np.sum(committees, axis=0) > 0
    dual = _Master(types.counts)
    swaps = SwapSearch(types, program.lo, program.hi)
    for x in committees:
        dual.add(x)
    fixed = np.full(n, np.nan)
    if (~reachable).any():  # nobody of these types fits on any panel: probability 0
        zero = np.flatnonzero(~reachable)
        dual.fix(zero, np.zeros(len(zero)))
        fixed[zero] = 0.0
    stages = 0
    while np.isnan(fixed).any():
        stages += 1
        y, value = _stage(dual, program, swaps, types.counts, fixed, committees)
        weights = dual.weights()  # meets every level fixed so far
        free = np.isnan(fixed)
        tight = np.flatnonzero(free & (y > _FIX))
        if len(tight) == 0:  # numerical corner: fix the most-priced free type
            tight = np.array([int(np.argmax(np.where(free, y, -1)))])
        if not leximin:
            fixed[free] = value
            break
        fixed[tight] = value
        dual.fix(tight, np.full(len(tight), value))
        progress(min(0.9, 0.9 * (1 - np.isnan(fixed).sum() / n)),
                 f"LEXIMIN stage {stages}: {n - int(np.isnan(fixed).sum())} of {n} types fixed")
    matrix = np.array(committees)
    keep = weights > 1e-12
    return matrix[keep], weights[keep] / weights[keep].sum(), stages


def _named(types: Types, x: NDArray[np.float64]) -> list[tuple[list[int], float]]:
    """Named panels for one committee of type counts, with their shares of its weight, giving
    each of a type's n people exactly c/n of it when the committee takes c of them.

    Systematic sampling with one number u in [0, 1) for every type: a type's people stand
    in a line, each covering c/n of it; those covering u, u + 1, ..., u + c - 1 are chosen
    (c distinct people, as c/n <= 1). As u runs over [0, 1) the choice changes only at the
    multiples of 1/n, so one panel per interval between those points, weighted by its
    length, is exact (in rational arithmetic; weights become floats at the end)."""
    partial = [int(t) for t in np.flatnonzero((x > 0) & (x < types.counts))]
    sizes = [(t, int(types.counts[t]), int(x[t])) for t in partial]
    # Exact in integers: positions on [0, 1) are counted in units of 1/scale.
    scale = math.lcm(1, *(n for _, n, _ in sizes))
    cuts = sorted({0, scale} | {j * c % n * (scale // n) for _, n, c in sizes for j in range(n)})
    whole = [i for t in np.flatnonzero(x == types.counts) for i in types.members[t]]
    panels = []
    for lo, hi in itertools.pairwise(cuts):
        twice_u = lo + hi  # u = twice_u / (2 scale), the interval's middle
        members = list(whole)
        for t, n, c in sizes:
            group = types.members[t]
            members.extend(group[(twice_u + 2 * scale * k) * n // (2 * scale * c)]
                           for k in range(c))
        panels.append((members, (hi - lo) / scale))
    return panels


def _distribution(pool: Pool, quotas: Quotas, size: int, *, algorithm: str, households: bool,
                  progress: Progress) -> tuple[list[tuple[list[str], float]], int]:
    types = group_types(pool, quotas, households=households)
    program = CommitteeProgram(types, quotas, size)
    if not program.feasible():
        problem = explain_infeasible(pool, quotas, size, households=households)
        raise problem or RuntimeError("no panel meets the quotas, and no explanation was found")
    progress(0.02, f"{len(pool.people)} people in {len(types.counts)} types")
    matrix, weights, stages = _type_distribution(types, program, leximin=algorithm == "leximin",
                                                 progress=progress)
    progress(0.92, "naming the people on each committee")
    ids = [p.id for p in pool.people]
    return [([ids[i] for i in members], float(w) * share)
            for x, w in zip(matrix, weights, strict=True)
            for members, share in _named(types, x)], stages


def select(pool: Pool, quotas: Quotas, size: int, *, algorithm: str = "leximin",
           households: bool = False, seed: str | None = None,
           progress: Progress | None = None) -> Selection:
    """Draw a panel of `size` from `pool` meeting every quota (and, with `households`, at most
    one person per address), fairly: LEXIMIN (default), maximin, or the legacy greedy draw.

    Raises SortitionInputError (one line, FILE:LINE) on bad input and InfeasibleQuotas, with
    the explanation, when no panel can meet the quotas. Deterministic given `seed`; a fresh
    seed is made when none is given. `progress(fraction, message)` is called along the way.
    """
    from powershift.methods.sortition_legacy import legacy_distribution

    if algorithm not in ALGORITHMS:
        raise SortitionInputError("algorithm", None, f"'{algorithm}' is not an algorithm; "
                                  f"choose one of {', '.join(ALGORITHMS)}")
    report = progress or _noop
    check(pool, quotas, size)
    seed = new_seed() if seed is None else seed
    if algorithm == "legacy":
        weighted, stages = legacy_distribution(pool, quotas, size, households=households,
                                               seed=seed, progress=report), 0
    else:
        weighted, stages = _distribution(pool, quotas, size, algorithm=algorithm,
                                         households=households, progress=report)
    committees = canonical(weighted)
    total = math.fsum(c.weight for c in committees)
    probabilities = {p.id: 0.0 for p in pool.people}
    for c in committees:
        for pid in c.members:
            probabilities[pid] += c.weight / total
    report(1.0, "done")
    return Selection(algorithm=algorithm, panel=redraw(committees, seed),
                     probabilities=probabilities, committees=committees, seed=seed,
                     seed_commitment=commit_seed(seed), households=households, stages=stages)


def meets_quotas(panel: Sequence[str], pool: Pool, quotas: Quotas, *, households: bool,
                 size: int | None = None) -> bool:
    """Whether a panel keeps every quota (and the household rule when asked)."""
    people = {p.id: p for p in pool.people}
    chosen = [people[i] for i in panel]
    if size is not None and len(set(panel)) != size:
        return False
    for q in quotas.quotas:
        k = sum(1 for p in chosen if p.features.get(q.feature) == q.value)
        if not q.min <= k <= q.max:
            return False
    homes = [p.household for p in chosen if p.household is not None]
    return not households or len(homes) == len(set(homes))


def replace(selection: Selection, declined: Sequence[str], pool: Pool, quotas: Quotas, *,
            seed: str, algorithm: str | None = None,
            progress: Progress | None = None) -> Selection:
    """Replacements for panel members who declined, keeping every quota.

    The people who stayed are fixed; each quota's min and max are reduced by how many of them
    it counts; the replacements are then drawn with the same fair method (LEXIMIN unless
    told otherwise) from everyone in the pool not yet invited (and, under the household rule,
    not living with someone who stayed). The result's `panel` is the whole new panel; its
    `probabilities`, `committees` and `seed` describe the draw of the replacements alone, so
    `redraw(result.committees, seed)` repeats it and gives the replacements.
    """
    on_panel = set(selection.panel)
    gone = set(declined)
    strangers = sorted(gone - on_panel)
    if strangers:
        raise SortitionInputError("declined", None, f"'{strangers[0]}' is not on the panel; "
                                  "give the ids of panel members who declined")
    kept = [p for p in pool.people if p.id in on_panel - gone]
    homes = {p.household for p in kept if p.household is not None}
    candidates = tuple(p for p in pool.people if p.id not in on_panel and not (
        selection.households and p.household is not None and p.household in homes))
    reduced = Quotas(tuple(
        Quota(q.feature, q.value, max(0, q.min - n), q.max - n, q.line)
        for q in quotas.quotas
        for n in [sum(1 for p in kept if p.features.get(q.feature) == q.value)]),
        quotas.source)
    if not gone:
        return selection
    sub = select(Pool(candidates, pool.source), reduced, len(gone),
                 algorithm=algorithm or selection.algorithm, households=selection.households,
                 seed=seed, progress=progress)
    return Selection(algorithm=sub.algorithm, panel=tuple(sorted([p.id for p in kept]
                                                                 + list(sub.panel))),
                     probabilities=sub.probabilities, committees=sub.committees, seed=seed,
                     seed_commitment=sub.seed_commitment, households=selection.households,
                     stages=sub.stages)

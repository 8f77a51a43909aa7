"""MES runs in floats (NumPy): one run alone (`Single`, bare MES) or many shares at once
(`Batch`, the completion), every close call settled exactly (`mes_exact`).

Exactness: money is `int` or `Fraction`. Runs go in floats (NumPy), and floats only take
decisions that rounding cannot change (see `Batch`): a project is chosen by floats only when
its price per unit of utility is more than 1e-9 (relative) below every other's, and dropped
only when its supporters' money is more than 1e-9 of its cost short of it. Every closer call
(ties, which are common: equal costs and equal numbers of supporters) is settled by following
that run in exact arithmetic (`Exact`), and the run that is kept is always worked out exactly
(its prices and payments are in the explanations).

Speed of the completion: the runs at successive shares are independent but make nearly the
same choices, so they go in batches, balances being a voters x runs array; per round, only the
projects whose price could be the lowest are priced again (prices only rise within a run, so
an old price is a lower bound), a project is first checked against the best price found so far
(what its supporters would pay at that price: if less than its cost, it is dearer, and one step
of the pricing gives it a higher lower bound), and voters who have spent everything are
dropped from the projects' supporter lists.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from powershift.methods.mes_ballots import Data, FloatArray, IntArray
from powershift.methods.mes_exact import TOL, Exact, Run, cheapest, float_level

_CEILING = 1.25  # see `Batch.prices`
_MAX_INCREMENTS = 1_000_000  # a guard; shares grow until the outcome no longer fits anyway
_BATCH = (32, 96)  # runs in the first and the largest batches of `budget_increase`
_FEW = 64  # ballots of a project, below which `Batch` does not bother to narrow its work


def _short(d: Data, shares: FloatArray) -> npt.NDArray[np.bool_]:
    """Projects (by rank) whose supporters' shares (a column of runs) together are clearly
    less than their cost: out of those runs from the start."""
    short: npt.NDArray[np.bool_] = shares * d.count_rank[None, :] < d.cost_rank * (1 - TOL)
    return short


def _weight(w: FloatArray | None, mult: FloatArray) -> float:
    """Points in all of ballots counted `mult` times (None: 1 point each)."""
    return float(mult.sum() if w is None else mult @ w)


def _row_min(a: FloatArray) -> FloatArray:
    """Minimum of each row: by halving the columns for short rows (much faster than
    `a.min(axis=1)` there), else by `a.min(axis=1)` (faster from about 16 columns)."""
    if a.shape[1] >= 16:
        least: FloatArray = a.min(axis=1)
        return least
    while a.shape[1] > 1:
        half = a.shape[1] // 2
        low = np.minimum(a[:, :half], a[:, half:2 * half])
        if a.shape[1] % 2:
            low[:, 0] = np.minimum(low[:, 0], a[:, -1])
        a = low
    return a[:, 0]


class Batch:
    """MES runs at several shares at once, in floats, with every close call settled exactly.

    Balances are a ballots x runs array (one row per distinct ballot, see `Ballots`), so each
    project's price is worked out for all the runs in one go (the runs make nearly the same
    choices, round by round). Prices only rise as
    balances fall, so a price computed earlier is a lower bound: each round recomputes only
    the projects whose bound is within reach of the best price found so far ("lazy"), and
    most of those are shown dearer than it by one pass over their supporters (`dearer`)
    rather than priced (`prices`, about 4 passes).

    Floats decide only what rounding cannot change: prices carry a relative error far below
    1e-9 (each is a sum over at most a few hundred thousand balances, each the share less a
    few dozen payments), so a project whose float price is more than 1e-9 (relative) above
    another's is certainly dearer, and supporters whose float total is more than 1e-9 of the
    cost away from it can or cannot pay for certain. Anything closer (ties, a project its
    supporters can exactly just pay for, a price where everybody pays all they have) is
    decided by following that run exactly (`Exact`)."""

    def __init__(self, d: Data, shares: Sequence[Fraction]) -> None:
        self.d, self.v, self.shares = d, d.ballots(), list(shares)
        k, v = len(shares), self.v
        self.b = np.empty((v.n, k))  # balances: one row per distinct ballot, one column per run
        shares_f = np.asarray([float(s) for s in shares])
        self.b[:] = shares_f[None, :]
        least, positive = float(shares_f.min()), int(np.count_nonzero(shares_f))
        self.flat = self.b.reshape(-1)  # the same balances (a view), for `cells`
        self.alive = d.mes_mask[None, :] & ~_short(d, shares_f[:, None])  # by rank
        self.bound = np.where(self.alive, d.rho_start[None, :], np.inf)  # rho lower bounds
        self.xlow = np.zeros((k, len(d.projects)))  # payment-per-point lower bounds
        self.rounds: list[list[int]] = [[] for _ in range(k)]  # project indices
        self.done = np.zeros(k, dtype=bool)
        self.exact: dict[int, Exact] = {}
        # Per project (by rank): its ballots, their points (None for cost utilities, where
        # every weight is 1) and how many voters cast each.
        self.live: list[tuple[IntArray, FloatArray | None, FloatArray]] = []
        for p in d.by_rank.tolist():
            s = v.supporters(p)
            self.live.append((v.sup[s], None if d.per_cost else v.w[s], v.mult_f[v.sup[s]]))
        self.weight = [_weight(w, mult) for _, w, mult in self.live]  # their points in all
        self.pruned = [0] * len(d.projects)
        self.round = 0
        # At most each ballot's least balance over the runs, and in how many runs it has money
        # (every ballot starts with the shares).
        self.bmin = np.full(v.n, least)
        self.npos = np.full(v.n, positive, dtype=np.int64)

    def supporters(self, j: int) -> tuple[IntArray, FloatArray | None, FloatArray]:
        """Ballots supporting project j (by rank) still holding money in some run, with their
        float points (None for cost utilities) and numbers of voters."""
        ballots, weights, mult = self.live[j]
        if self.round > self.pruned[j] and len(ballots) > _FEW:  # drop the spent ones
            self.pruned[j] = self.round
            keep = self.npos[ballots] > 0
            if not keep.all():
                ballots, mult = ballots[keep], mult[keep]
                weights = None if weights is None else weights[keep]
                self.live[j] = (ballots, weights, mult)
                self.weight[j] = _weight(weights, mult)
        return ballots, weights, mult

    def dearer(self, j: int, rows: npt.NDArray[np.bool_], reach: FloatArray
               ) -> npt.NDArray[np.bool_]:
        """The runs among `rows` where project j's price per unit of utility is certainly above
        `reach` (its supporters could not pay its cost at that price), its bounds raised there.

        One step of `solve` from the payment per point at `reach`: what the supporters pay
        at it, and the next, higher, lower bound of the price (or none: nobody pays in full
        and all they have is not enough)."""
        d, k = self.d, len(rows)
        n = int(np.count_nonzero(rows))
        if not n:
            return np.zeros(k, dtype=bool)
        ballots, w, mult = self.supporters(j)
        cost, scale, weight = d.cost_rank[j], d.scale_rank[j], self.weight[j]
        # Whole rows are gathered faster when most runs are wanted (x = 0 in the others).
        runs = None if 2 * n > k else np.flatnonzero(rows)
        x = np.where(rows, reach, 0.0) if runs is None else reach[runs]
        x /= scale
        # Ballots with more than the highest x (times points) in every run pay it in full.
        top = float(x.max())
        low = self.bmin[ballots] < (top if w is None else top * w)
        some, ms = ballots[low], mult[low]
        ws = None if w is None else w[low]
        bs = self.columns(some, runs)
        short = bs < (x[None, :] if ws is None else x[None, :] * ws[:, None])
        now = (ms if ws is None else ms * ws) @ short
        paid = ms @ np.multiply(short, bs, out=bs)
        dear: npt.NDArray[np.bool_] = paid + x * (weight - now) < cost * (1 - TOL)
        if runs is None:
            dear &= rows
        # (weights are whole numbers, so weight - now is exact: 0 when all pay everything)
        rich = weight - now
        nxt = np.divide(cost - paid, rich, out=np.full(len(x), np.inf), where=rich > 0)
        fine = dear & np.isfinite(nxt)
        gone = dear & ~fine  # all pay everything, and that is too little
        if runs is None:
            if gone.any():
                self.alive[gone, j] = False
                self.bound[gone, j] = np.inf
            if fine.any():
                xlow, bound = self.xlow[:, j], self.bound[:, j]
                raised = np.maximum(xlow, np.maximum(nxt, x))
                self.xlow[:, j] = np.where(fine, raised, xlow)
                self.bound[:, j] = np.where(fine, np.maximum(bound, raised * scale), bound)
            return dear
        out = np.zeros(k, dtype=bool)
        out[runs[dear]] = True
        gone_at = runs[gone]
        self.alive[gone_at, j] = False
        self.bound[gone_at, j] = np.inf
        at = runs[fine]
        self.xlow[at, j] = np.maximum(self.xlow[at, j], np.maximum(nxt[fine], x[fine]))
        self.bound[at, j] = np.maximum(self.bound[at, j], self.xlow[at, j] * scale)
        return out

    def prices(self, j: int, rows: npt.NDArray[np.bool_]
               ) -> tuple[FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Project j's payment per point in the runs `rows`, with which of them clearly cannot
        pay and which are too close to call (values for other runs are meaningless).

        When few runs need it, only their columns are priced."""
        k = len(rows)
        runs = np.flatnonzero(rows)
        if 2 * len(runs) > k:
            return self.priced(j, None, rows)
        x, unaffordable, close = self.priced(j, runs, np.ones(len(runs), dtype=bool))
        full_x, full_u, full_c = np.zeros(k), np.zeros(k, dtype=bool), np.zeros(k, dtype=bool)
        full_x[runs], full_u[runs], full_c[runs] = x, unaffordable, close
        return full_x, full_u, full_c

    def cells(self, ballots: IntArray, runs: IntArray) -> IntArray:
        """Positions in `flat` of these ballots' balances in these runs (a ballots x runs
        array: gathering and scattering through one flat index is about 3x faster than
        indexing `b` by rows and columns)."""
        return ballots[:, None] * len(self.shares) + runs[None, :]

    def columns(self, ballots: IntArray, runs: IntArray | None) -> FloatArray:
        """Balances of these ballots in these runs (None: all)."""
        if runs is None:
            return self.b.take(ballots, axis=0)
        return self.flat.take(self.cells(ballots, runs))

    def priced(self, j: int, runs: IntArray | None, rows: npt.NDArray[np.bool_]
               ) -> tuple[FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """`prices` over the columns of `runs` (None: all), `rows` among them."""
        d = self.d
        ballots, w, mult = self.supporters(j)
        cost = d.cost_rank[j]
        weight = self.weight[j]
        xlow = self.xlow[:, j] if runs is None else self.xlow[runs, j]
        x0 = np.maximum(cost / weight if weight > 0 else np.inf, xlow)
        # x0 is a lower bound of the price in each run (prices only rise within a run).
        # Ballots that have more than `ceiling` in every run (`bmin`) pay the price in full
        # if it is below the ceiling: work out the price from the others alone. A price so
        # found with a ceiling too low is still a lower bound: raise the ceiling and retry.
        for _ in range(3):
            ceiling = _CEILING * float(x0[rows].max())
            low = self.bmin[ballots] < (ceiling if w is None else ceiling * w)
            some, ms = ballots[low], mult[low]
            ws = None if w is None else w[low]
            rest = weight - float(ms.sum() if ws is None else ms @ ws)
            if 2 * len(some) > len(ballots):
                break  # as well price everyone
            bs = self.columns(some, runs)
            x, stuck, rich = self.solve(bs, ws, ms, cost, x0, weight)
            floor = ms @ bs + ceiling * rest
            fine = ~stuck & (rich > 0) & (x < ceiling) & (floor >= cost * (1 + TOL))
            if fine[rows].all():
                return x, np.zeros(len(x), dtype=bool), np.zeros(len(x), dtype=bool)
            if stuck[rows].any() or not np.isfinite(x[rows]).all():
                break
            x0 = np.maximum(x0, x)
        bq = self.columns(ballots, runs)
        total = mult @ bq
        x, stuck, rich = self.solve(bq, w, mult, cost, x0, weight)
        bad = ~np.isfinite(x) | (rich <= 0) | stuck
        unaffordable = total < cost * (1 - TOL)
        close = ~unaffordable & ((total <= cost * (1 + TOL)) | bad)
        return x, unaffordable, close

    @staticmethod
    def solve(bq: FloatArray, w: FloatArray | None, mult: FloatArray, cost: float,
              x: FloatArray, weight: float) -> tuple[FloatArray, npt.NDArray[np.bool_], FloatArray]:
        """Payment per point x with sum(mult * min(b, x*w)) = cost in each column, starting
        from a lower bound (`weight` also counts ballots left out of `bq`, all of which pay x
        in full); returns x, the columns that did not settle and the weight of those paying x.
        Column sums are matrix-vector products (much faster than sums along axis 0)."""
        m, k = bq.shape
        weights = mult if w is None else mult * w
        count = np.full(k, -1.0)
        short = np.empty((m, k))
        with np.errstate(divide="ignore", invalid="ignore"):
            for _ in range(100):
                # x only rises towards the price: who is short at x is short at the price.
                np.less(bq, x if w is None else x * w[:, None], out=short, casting="unsafe")
                now = weights @ short
                if (now == count).all():
                    return x, np.zeros(k, dtype=bool), weight - now
                count = now
                x = (cost - mult @ np.multiply(short, bq, out=short)) / (weight - now)
        return x, np.ones(k, dtype=bool), weight - count

    def settle(self, r: int, candidates: list[int]) -> tuple[int, Fraction, list[int]] | None:
        """Run r's choice among close candidates (by rank), exactly; None if none can pay."""
        ex = self.exact.get(r)
        if ex is None:
            ex = self.exact[r] = Exact(self.d, self.shares[r])
        ex.follow(self.rounds[r])
        found = cheapest(self.d, ex, candidates, self.bound[r], self.xlow[r])
        self.alive[r, candidates] &= np.isfinite(self.bound[r, candidates])
        return found

    def step(self) -> None:
        """One round of every unfinished run."""
        d, k = self.d, len(self.shares)
        rows = np.arange(k)
        decided = self.done.copy()
        chosen = np.full(k, -1)
        pay = np.zeros(k)
        settled: dict[int, tuple[Fraction, list[int]]] = {}
        while not decided.all():
            close = np.zeros_like(self.alive)
            fresh = np.full(self.alive.shape, np.inf)
            xs = np.zeros(self.alive.shape)
            best = np.full(k, np.inf)
            known, above = np.zeros(k, dtype=bool), best  # where best is finite; best * (1 + TOL)
            # Bounds of the projects not yet priced this round (inf: priced, or out).
            todo = np.where(self.alive & ~decided[:, None], self.bound, np.inf)
            while True:
                first = todo.argmin(axis=1)
                low = todo[rows, first]
                want = (low <= above) & (low < np.inf)
                if not want.any():
                    break
                for j in sorted(set(first[want].tolist())):
                    these = self.alive[:, j] & ~decided
                    todo[:, j] = np.inf
                    # Where a best price is known, most projects are dearer than it: say so
                    # from one step of the pricing instead of the whole of it (worth a call
                    # only for batches of runs and projects with many ballots: else the
                    # pricing takes little longer than the call).
                    if k > 1 and len(self.live[j][0]) > _FEW:
                        these &= ~self.dearer(j, these & known, above)
                    if not these.any():
                        continue
                    x, unaffordable, near = self.prices(j, these)
                    gone = these & unaffordable
                    ok = these & ~unaffordable & ~near
                    rho = x * d.scale_rank[j]
                    self.alive[:, j] &= ~gone
                    close[:, j] = these & near
                    fresh[:, j] = np.where(ok, rho, np.inf)
                    xs[:, j] = x
                    self.bound[:, j] = np.where(ok, rho, np.where(gone, np.inf, self.bound[:, j]))
                    self.xlow[:, j] = np.where(ok, x, self.xlow[:, j])
                    best = np.minimum(best, fresh[:, j])
                    known, above = np.isfinite(best), best * (1 + TOL)
            reach = best[:, None] * (1 + TOL)
            contenders = (fresh <= reach) | (close & (self.bound <= reach))
            # Most runs have one clear winner: take those in one go.
            finite = np.isfinite(best)
            clear = ~decided & finite & (contenders.sum(axis=1) == 1) & \
                ~(close & contenders).any(axis=1)
            if clear.any():
                won = fresh.argmin(axis=1)
                chosen[clear] = won[clear]
                pay[clear] = xs[rows, won][clear]
                decided |= clear
            for r in np.flatnonzero(~decided).tolist():
                if not np.isfinite(best[r]) and not close[r].any():
                    self.done[r] = decided[r] = True  # nothing affordable is left
                    continue
                cands = np.flatnonzero(contenders[r] if np.isfinite(best[r]) else close[r])
                if len(cands) == 1 and not close[r, cands[0]]:
                    j = int(cands[0])
                    chosen[r], pay[r], decided[r] = j, xs[r, j], True
                    continue
                found = self.settle(r, cands.tolist())
                if found is not None:  # else: all close ones were unaffordable; look again
                    j, price, capped = found
                    chosen[r], pay[r], decided[r] = j, float(price), True
                    settled[r] = (price, capped)
        for j in sorted(set(chosen[chosen >= 0].tolist())):
            p = int(d.by_rank[j])
            runs = np.flatnonzero(chosen == j)
            self.pay(j, runs, pay[runs])
            self.alive[runs, j] = False
            self.bound[runs, j] = np.inf
            for r in runs.tolist():
                self.rounds[r].append(p)
            for r in sorted(settled.keys() & set(runs.tolist())):
                price, capped = settled[r]
                self.exact[r].fund(p, price, capped)
                self.b[:, r] = self.exact[r].b
                self.bmin = np.minimum(self.bmin, self.exact[r].b)
                self.npos = np.count_nonzero(self.b, axis=1)
        self.round += 1

    def pay(self, j: int, runs: IntArray, x: FloatArray) -> None:
        """Project j's supporters pay x per point in these runs, or all they have left.

        Only the columns of these runs are touched (a round funds a few different projects
        across the runs, each in some of them), unless they are most of them: whole rows are
        gathered faster, and the other runs pay 0 (which leaves them unchanged)."""
        ballots, w, _ = self.live[j]
        k = len(self.shares)
        if len(runs) < k and 2 * len(runs) > k:
            full = np.zeros(k)
            full[runs] = x
            x, runs = full, np.arange(k)
        whole = len(runs) == k
        cells = None if whole else self.cells(ballots, runs)
        old = self.b.take(ballots, axis=0) if cells is None else self.flat.take(cells)
        new = old - (x[None, :] if w is None else x[None, :] * w[:, None])
        np.maximum(new, 0.0, out=new)
        if cells is None:
            self.b[ballots] = new
        else:
            self.flat[cells] = new
        # Balances only fall: the least balance falls to the least of the new ones, and the
        # count of runs where a ballot has money falls by those it just spent (counted by a
        # matrix-vector product, faster than `count_nonzero` along rows).
        least = _row_min(new)
        self.bmin[ballots] = np.minimum(self.bmin[ballots], least)
        hit = np.flatnonzero(least <= 0)  # only these can have just spent everything somewhere
        if len(hit):
            spent = (old[hit] > 0) & (new[hit] <= 0)
            self.npos[ballots[hit]] -= (spent @ np.ones(len(runs))).astype(np.int64)

    def outcomes(self) -> list[list[int]]:
        while not self.done.all():
            self.step()
        return self.rounds


class Single:
    """Bare MES: one run, in floats over voters, with every close call settled exactly.

    It takes the decisions `Batch` takes for a batch of one run (see there), with less
    machinery: balances are one per voter (building the distinct ballots would cost more
    than it saves in a single run), a project's supporters are gathered once per round at
    most, and a project is priced only while its lower bound could beat the best price
    found so far in the round."""

    def __init__(self, d: Data, share: Fraction) -> None:
        self.d, self.share = d, share
        self.b = np.full(d.n, float(share))
        alive = d.mes_mask & ~_short(d, np.full((1, 1), float(share)))[0]
        self.bound = np.where(alive, d.rho_start, np.inf)  # by rank; inf: out
        self.xlow = np.zeros(len(d.projects))  # payment-per-point lower bounds, by rank
        # Per project (by rank, when first priced): its supporters with money, their points
        # (None: 1 each) and those points in all.
        self.live: dict[int, tuple[IntArray, FloatArray | None, float]] = {}
        self.gathered: dict[int, tuple[FloatArray, FloatArray | None]] = {}  # this round's
        self.rounds: list[int] = []
        self.exact: Exact | None = None

    def balances(self, j: int) -> tuple[FloatArray, FloatArray | None]:
        """The balances and points (None: 1 each) of project j's supporters with money left,
        gathered once a round (those with none are dropped for good once they are a quarter
        of them)."""
        if j in self.gathered:
            return self.gathered[j]
        if j not in self.live:
            d = self.d
            p = int(d.by_rank[j])
            at = slice(int(d.ptr[p]), int(d.ptr[p + 1]))
            self.keep(j, d.sup[at], None if d.per_cost else d.w[at])
        s, w, _ = self.live[j]
        bs = self.b[s]
        rich = bs > 0
        if 4 * int(np.count_nonzero(rich)) < 3 * len(bs):
            bs = bs[rich]
            self.keep(j, s[rich], None if w is None else w[rich])
        self.gathered[j] = (bs, w)
        return bs, w

    def keep(self, j: int, s: IntArray, w: FloatArray | None) -> None:
        """Project j's supporters (with money) are now `s`, with points `w` (None: 1 each)."""
        self.live[j] = (s, w, float(len(s)) if w is None else float(w.sum()))

    def dearer(self, j: int, reach: float) -> bool:
        """Whether project j's price per unit of utility is certainly above `reach`, its
        bound raised if so (one step of `price` from the payment at `reach`, see
        `Batch.dearer`)."""
        d = self.d
        bs, w = self.balances(j)
        x = reach / d.scale_rank[j]
        short = bs < (x if w is None else x * w)
        now = float(np.count_nonzero(short) if w is None else w @ short)
        paid = float(bs @ short)
        cost, rich = d.cost_rank[j], self.live[j][2] - now
        if paid + x * rich >= cost * (1 - TOL):
            return False
        if rich <= 0:  # all pay everything, and that is too little
            self.bound[j] = np.inf
        else:
            self.xlow[j] = max(self.xlow[j], (cost - paid) / rich, x)
            self.bound[j] = max(self.bound[j], self.xlow[j] * d.scale_rank[j])
        return True

    def price(self, j: int) -> float | None:
        """Project j's payment per point in floats; inf: its supporters cannot pay; None: too
        close to call in floats (see `Batch.priced`)."""
        d = self.d
        bs, w = self.balances(j)
        cost, weight = float(d.cost_rank[j]), self.live[j][2]
        total = float(bs.sum())
        if total < cost * (1 - TOL):
            return math.inf
        if total <= cost * (1 + TOL) or weight <= 0:
            return None
        x = float_level(bs, w, None, cost, float(self.xlow[j]))
        return None if math.isnan(x) else x

    def step(self) -> bool:
        """One round: fund the cheapest project; False when none is affordable."""
        d = self.d
        self.gathered.clear()
        while True:
            todo = self.bound.copy()
            best, fresh, close = math.inf, {}, []
            while True:
                j = int(todo.argmin())
                low = float(todo[j])
                if low == math.inf or low > best * (1 + TOL):
                    break
                todo[j] = np.inf
                if best < math.inf and self.dearer(j, best * (1 + TOL)):
                    continue
                x = self.price(j)
                if x is None:
                    close.append(j)
                elif x == math.inf:
                    self.bound[j] = np.inf
                else:
                    rho = x * d.scale_rank[j]
                    self.bound[j], self.xlow[j], fresh[j] = rho, x, x
                    best = min(best, rho)
            reach = best * (1 + TOL)
            contenders = [j for j, x in fresh.items() if self.bound[j] <= reach]
            near = [j for j in close if self.bound[j] <= reach]
            if len(contenders) == 1 and not near:
                j = contenders[0]
                self.fund(j, fresh[j])
                return True
            if not contenders and not close:
                return False
            if self.settle(sorted(contenders + (near if contenders else close))):
                return True
            # else: every close one was unaffordable; look again

    def settle(self, candidates: list[int]) -> bool:
        """Fund the cheapest of these projects (by rank), decided exactly; False if none can
        pay."""
        d = self.d
        if self.exact is None:
            self.exact = Exact(d, self.share)
        self.exact.follow(self.rounds)
        found = cheapest(d, self.exact, candidates, self.bound, self.xlow)
        if found is None:
            return False
        j, price, capped = found
        self.exact.fund(int(d.by_rank[j]), price, capped)
        self.rounds.append(int(d.by_rank[j]))
        self.bound[j] = np.inf
        self.b = self.exact.b[d.ballots().group]
        return True

    def fund(self, j: int, x: float) -> None:
        s, w, _ = self.live[j]
        self.b[s] = np.maximum(self.b[s] - (x if w is None else x * w), 0.0)
        self.bound[j] = np.inf
        self.rounds.append(int(self.d.by_rank[j]))

    def outcome(self) -> list[int]:
        """The projects MES funds in rounds, in order."""
        while self.step():
            pass
        return self.rounds


@dataclass(frozen=True)
class Kept:
    """The MES run whose choices are kept: its share, its rounds (projects, in order) and, if
    a close call made it be followed exactly already, that exact run."""

    share: Fraction
    rounds: list[int]
    exact: Exact | None = None

    def run(self, d: Data) -> Run:
        """The run with its exact prices and who ran short where (for the explanations)."""
        return (self.exact or Exact(d, self.share)).outcome(self.rounds)


def budget_increase(d: Data, total: Fraction, share: Fraction) -> tuple[int, Kept]:
    """MES with shares raised by 1 at a time: the last run that fits the budget (stopping at
    one that fills it so that no wanted project fits any more), and how many raises it took.

    Runs are independent; they go in batches (32, 64, then 96 shares at once, fewer when there
    are very many distinct ballots; see `Batch`), so at most one batch is worked out beyond
    the share that is kept. Batches cost far less per run than single runs: each round of a
    batch has a fixed cost in Python and NumPy calls (about 1 ms on Mokotów), whatever the
    number of runs in it."""
    # Costs are whole numbers of units, so they fit in what is left when they fit in its floor.
    cap = math.floor(total * d.unit)
    kept: tuple[int, list[int], Exact | None] | None = None
    for raises, rounds, exact in _raised_runs(d, share):
        spent = sum(d.cost_units[p] for p in rounds)
        if spent > cap:  # (never the first run: bare MES spends at most what voters have)
            break
        kept = (raises, rounds, exact)
        chosen = set(rounds)
        if all(p in chosen or d.cost_units[p] > cap - spent for p in d.mes):
            break
    assert kept is not None
    raises, rounds, exact = kept
    return raises, Kept(share + raises, rounds, exact)


def _raised_runs(d: Data, share: Fraction) -> Iterator[tuple[int, list[int], Exact | None]]:
    """MES runs at the share raised by 0, 1, 2... units: each with its rounds and, if a close
    call was settled exactly in it, its exact run. They are worked out in batches."""
    # Runs at once: balances are distinct ballots x runs (at most 4 million floats).
    most = max(1, min(_BATCH[1], 4_000_000 // max(d.ballots().n, 1)))
    size = min(_BATCH[0], most)
    k = 0
    while k <= _MAX_INCREMENTS:
        batch = Batch(d, [share + k + j for j in range(size)])
        for j, rounds in enumerate(batch.outcomes()):
            yield k + j, rounds, batch.exact.get(j)
        k += size
        size = min(2 * size, most)

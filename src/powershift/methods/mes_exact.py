"""MES runs followed in exact arithmetic, one choice at a time: for the close calls that floats
cannot take (see `mes_runs`) and for the run whose prices and payments are explained."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from powershift.methods.mes_ballots import Data, FloatArray, IntArray, rho_of

TOL = 1e-9  # relative band in which float decisions are re-taken exactly


@dataclass
class Run:
    """One MES run at a given share per voter, with its exact prices."""

    share: Fraction
    selected: list[int]  # projects, in order (free ones first)
    price: dict[int, Fraction]  # exact payment per point (per supporter) of each selected project
    spent_all: dict[int, int]  # voter -> project at which they paid everything they had left


class Exact:
    """One MES run at one share followed in exact arithmetic, one choice at a time.

    Works on distinct ballots (`Ballots`). A ballot's exact balance is the share minus the
    exact prices of the projects it paid for, or 0 once it paid all it had; sums of balances
    over many ballots are taken project by project (the price times their points). A float
    copy of the balances (`b`) says who is clearly short of a project's price; only ballots
    within rounding distance of it are compared exactly."""

    def __init__(self, d: Data, share: Fraction) -> None:
        self.d, self.v, self.share = d, d.ballots(), share
        self.b = np.full(self.v.n, float(share))
        self.dead = np.zeros(self.v.n, dtype=bool)  # paid all they had (nothing left)
        self.run = Run(share, list(d.free), dict.fromkeys(d.free, Fraction(0)), {})
        self.rounds: list[int] = []  # projects funded by MES rounds, in order

    def total(self, ballots: IntArray) -> Fraction:
        """Exact money left of the voters of these ballots (none of which paid all it had)."""
        if len(ballots) == 0:
            return Fraction(0)
        v = self.v
        starts = v.vptr[ballots]
        lengths = v.vptr[ballots + 1] - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        entries = v.ventries_arr[offsets + np.arange(int(lengths.sum()))]
        points = np.bincount(v.col_arr[entries],
                             weights=v.w_exact_f[entries] * np.repeat(v.mult_f[ballots], lengths),
                             minlength=len(self.d.projects))
        owed = sum((x * int(points[q]) for q, x in self.run.price.items() if points[q] and x),
                   Fraction(0))
        return self.share * int(v.mult[ballots].sum()) - owed

    def balance(self, i: int) -> Fraction:
        """Exact money left of each voter of ballot i."""
        if self.dead[i]:
            return Fraction(0)
        v, left = self.v, self.share
        entries = v.ventries_arr[v.vptr[i]:v.vptr[i + 1]]
        for q, w in zip(v.col_arr[entries].tolist(), v.w_exact_arr[entries].tolist(),
                        strict=True):
            x = self.run.price.get(q)
            if x:
                left -= x * w
        return left

    def level(self, q: int) -> tuple[Fraction, list[int]] | None:
        """q's exact payment per point now and the ballots whose voters pay all they have left
        (None: its supporters cannot pay for it)."""
        v, s = self.v, self.v.supporters(q)
        live = ~self.dead[v.sup[s]]
        ballots, wf, we = v.sup[s][live], v.w[s][live], v.w_exact_arr[s][live]
        mult = v.mult[ballots]
        cost, cost_f = self.d.cost[q], float(self.d.cost[q])
        bf = self.b[ballots]
        total_f = float(v.mult_f[ballots] @ bf)
        if total_f < cost_f * (1 - TOL):
            return None
        ratio = bf / wf
        near = total_f <= cost_f * (1 + TOL)
        if near and self.total(ballots) < cost:
            return None
        x = float("nan") if near else float_level(bf, wf, v.mult_f[ballots], cost_f)
        if math.isfinite(x):  # rounding cannot move anyone across a gap this wide
            slack = TOL * (x + float(self.share))
            below = ratio < x - slack
            band = np.flatnonzero(~below & (ratio <= x + slack))
        else:  # all or nearly all pay everything: decide everyone exactly
            below = np.zeros(len(ballots), dtype=bool)
            band = np.arange(len(ballots))
        capped = ballots[below].tolist()
        spent = self.total(ballots[below])
        util = int((we * mult).sum()) - int((we[below] * mult[below]).sum())
        cand = sorted(((self.balance(int(ballots[k])), int(we[k]), int(mult[k]),
                        int(ballots[k])) for k in band.tolist()), key=lambda t: t[0] / t[1])
        for bal, w, m, i in cand:
            price = (cost - spent) / util
            if price * w <= bal:
                return price, capped
            spent += bal * m
            util -= w * m
            capped.append(i)
        if util <= 0:  # cannot happen when they can pay (checked above); be safe
            return None
        return (cost - spent) / util, capped

    def fund(self, q: int, price: Fraction, capped: list[int]) -> None:
        v, s = self.v, self.v.supporters(q)
        ballots = v.sup[s]
        self.b[ballots] = np.maximum(self.b[ballots] - float(price) * v.w[s], 0.0)
        out = np.asarray(capped, dtype=np.int64)
        self.b[out] = 0.0
        self.dead[out] = True
        for i in capped:
            self.run.spent_all.setdefault(i, q)
        self.run.selected.append(q)
        self.run.price[q] = price
        self.rounds.append(q)

    def follow(self, rounds: Sequence[int]) -> None:
        """Fund these projects in turn (MES's choices at this share), with exact prices."""
        for q in rounds[len(self.rounds):]:
            found = self.level(q)
            if found is None:
                raise AssertionError(f"project {self.d.projects[q].id} was chosen but is "
                                     "unaffordable in exact arithmetic")
            self.fund(q, *found)

    def outcome(self, rounds: Sequence[int]) -> Run:
        """The run along these choices, by voter (who ran short where)."""
        self.follow(rounds)
        by_project: dict[int, list[int]] = {}
        for i, q in self.run.spent_all.items():
            by_project.setdefault(q, []).append(i)
        spent_all: dict[int, int] = {}
        for q, ballots in by_project.items():
            spent_all.update(dict.fromkeys(self.v.members(ballots), q))
        return Run(self.share, list(self.run.selected), dict(self.run.price), spent_all)


def float_level(bs: FloatArray, w: FloatArray | None, mult: FloatArray | None, cost: float,
                start: float = 0.0) -> float:
    """Payment per point x solving sum(mult * min(b, x*w)) = cost, in floats (w, mult None: 1
    each), rising from a lower bound `start`; nan if it does not settle or all would pay all
    they have (degenerate: decide exactly). The supporters must hold some points."""
    mw = w if mult is None else (mult if w is None else mult * w)
    total = float(len(bs)) if mw is None else float(mw.sum())
    x, count = max(cost / total, start), -1.0
    for _ in range(100):
        # x only rises towards the price: who is short at x is short at the price.
        short = bs < (x if w is None else x * w)
        now = float(np.count_nonzero(short) if mw is None else mw @ short)
        if now == count:
            return x
        count = now
        if now >= total:
            return math.nan
        paid = bs @ short if mult is None else mult[short] @ bs[short]
        x = (cost - float(paid)) / (total - now)
    return math.nan


def cheapest(d: Data, ex: Exact, candidates: list[int], bound: FloatArray, xlow: FloatArray
              ) -> tuple[int, Fraction, list[int]] | None:
    """The cheapest of these projects (by rank) in `ex`'s run, exactly, with its payment per
    point and the ballots that pay all they have; None if none can pay. Their bounds (one
    run's row, by rank) are set from the exact prices (inf: cannot pay)."""
    best: tuple[Fraction, int, Fraction, list[int]] | None = None
    for j in candidates:
        q = int(d.by_rank[j])
        found = ex.level(q)
        if found is None:
            bound[j] = np.inf
            continue
        rho = rho_of(d, q, found[0])
        bound[j], xlow[j] = float(rho), float(found[0])
        if best is None or (rho, j) < (best[0], best[1]):
            best = (rho, j, found[0], found[1])
    return None if best is None else best[1:]

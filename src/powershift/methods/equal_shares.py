"""Counting participatory budgets: the Method of Equal Shares (MES) and greedy by votes.

MES gives every voter an equal share of the budget. Round by round it funds the project whose
supporters can pay for it at the lowest price per unit of utility `rho` (each supporter pays
`rho * utility`, or everything they have left if that is less), until no project can be paid
for by its supporters. Utilities are the project's cost for each supporter ("cost utilities",
approval-type ballots) or the points given ("points", cumulative and scoring ballots).

The completion real cities use (`budget-increase`): run MES again with every voter's share
raised by 1 currency unit at a time, keep the last outcome that fits the budget (stopping as
soon as one fills it), then fill what is left greedily by votes.

Ties are broken the way pabutools 1.2.3 breaks them (its lexicographic rule): the project
whose id sorts first as text wins ("10" before "9"). Outcomes match pabutools'
`method_of_equal_shares` and `greedy_utilitarian_welfare` (see tests/data/pabulib/).

Exactness: money is `int` or `Fraction`. The rounds run on float64 NumPy arrays only to find
the candidates; every decision a rounding error could change is then taken exactly: which
project is cheapest (all projects within 1e-9 of the best are compared as fractions), who
runs out of money (every voter within 1e-9 of running out is checked with their exact
balance), and whether supporters can still afford a project (a float shortfall above 1e-9 of
the cost cannot be rounding, which is far smaller; anything closer is decided exactly). A
voter's exact balance is the share minus the exact prices of the projects they paid for, or 0
after they paid everything they had, so it is recomputed on demand, in bulk for voters
clearly out of money (their points per project times the exact prices).

Speed of the completion: running MES once per unit of share is what makes it slow. A run can
also work out how far the share could rise with certainly the same outcome (two sufficient
bounds, see `_MES.run`), and the shares in between are skipped: they would give the same
outcome, which neither fills nor overspends the budget. Floats are safe there because the
bounds keep a relative margin of 1e-7 and a skipped share is only ever one that provably
changes nothing; on large electorates the bounds are small and every share is run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Money = int | Fraction
Completion = Literal["budget-increase", "none"]
Utilities = Literal["cost", "points"]
COMPLETIONS: tuple[str, ...] = ("budget-increase", "none")
_TOL = 1e-9  # relative band in which float decisions are re-taken exactly
_MAX_INCREMENTS = 1_000_000  # a guard; shares grow until the outcome no longer fits anyway

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Project:
    id: str
    cost: Money
    name: str = ""


@dataclass(frozen=True)
class Explanation:
    """Why a project was or was not funded, for residents.

    `reason` is one of: "equal_shares" (funded by its supporters' shares), "completion"
    (funded from what was left, in order of votes), "greedy" (funded in order of votes),
    "no_supporters", "too_expensive_for_supporters" (all its supporters' shares together were
    never enough), "no_supporters_with_money" (they could have paid, but spent their shares
    on projects funded earlier), "over_budget" (did not fit in what was left).
    """

    project: str
    funded: bool
    reason: str
    text: str
    supporters: int
    votes: Money  # points in all (the number of supporters for approval)
    payments: dict[int, Fraction] = field(default_factory=dict)  # voter index -> amount paid
    price: Fraction | None = None  # MES price per unit of utility, when funded that way

    @property
    def payers(self) -> int:
        return sum(1 for v in self.payments.values() if v > 0)

    @property
    def paid_total(self) -> Fraction:
        counts: dict[int, int] = {}
        for v in self.payments.values():
            counts[id(v)] = counts.get(id(v), 0) + 1
        amounts = {id(v): v for v in self.payments.values()}
        return sum((amounts[k] * c for k, c in counts.items()), Fraction(0))

    def summary(self) -> dict[str, object]:
        """JSON-friendly: reason, sentence and, for MES payments, how many paid and how much."""
        out: dict[str, object] = {"funded": self.funded, "reason": self.reason,
                                  "text": self.text, "supporters": self.supporters,
                                  "votes": _plain(self.votes)}
        if self.payments:
            paid = [v for v in _distinct(self.payments.values()) if v > 0]
            out |= {"payers": self.payers, "paid_total": _plain(self.paid_total),
                    "largest_payment": _plain(max(paid, default=Fraction(0))),
                    "smallest_payment": _plain(min(paid, default=Fraction(0)))}
        return out


def _distinct(values: Iterable[Fraction]) -> list[Fraction]:
    """The distinct amounts (payments share a few Fraction objects, so compare those only)."""
    return list({id(v): v for v in values}.values())


@dataclass(frozen=True)
class Outcome:
    rule: str
    completion: str
    budget: Money
    selected: list[str]  # project ids in the order they were chosen
    total_cost: Money
    explanations: dict[str, Explanation]
    voter_share: Fraction | None = None  # each voter's MES share in the run that was kept
    increments: int = 0  # how many times shares were raised (budget-increase)


def _plain(x: Money) -> int | float:
    """A number for JSON: an int when whole, else a float (display only; decisions are exact)."""
    return int(x) if Fraction(x).denominator == 1 else float(x)


def _money(x: Money) -> str:
    return f"{float(x):,.2f}".removesuffix(".00")


class _Data:
    """Ballots as sparse arrays: per project, its supporters and their utilities."""

    def __init__(self, projects: Sequence[Project], ballots: Sequence[Mapping[str, Money]],
                 utilities: Utilities) -> None:
        index = {p.id: k for k, p in enumerate(projects)}
        if len(index) != len(projects):
            raise ValueError("project ids must be unique")
        self.projects, self.n = list(projects), len(ballots)
        self.cost = [Fraction(p.cost) for p in projects]
        # One pass in C-speed builtins: the entries (voter, project, points) of all ballots.
        lengths = [len(b) for b in ballots]
        try:
            cols_all = [index[pid] for b in ballots for pid in b]
        except KeyError as e:
            raise ValueError(f"a ballot names project {e.args[0]}, which is not in the list") \
                from None
        points_all: list[Money] = [x for b in ballots for x in b.values()]
        whole_points = all(type(x) is int for x in points_all)
        pts_np = np.asarray(points_all, dtype=np.int64 if whole_points else object)
        if len(pts_np) and (pts_np < 0).any():
            pid = projects[cols_all[int(np.argmax(pts_np < 0))]].id
            raise ValueError(f"a ballot gives project {pid} negative points")
        keep = np.nonzero(pts_np > 0)[0] if len(pts_np) else np.zeros(0, np.int64)
        voters_np = np.repeat(np.arange(len(ballots), dtype=np.int64), lengths)[keep]
        cols_np = np.asarray(cols_all, dtype=np.int64)[keep]
        order = np.lexsort((voters_np, cols_np))
        col = cols_np[order]
        self.sup: IntArray = voters_np[order]
        self.ptr: IntArray = np.searchsorted(col, np.arange(len(projects) + 1)).astype(np.int64)
        kept = keep[order]
        if whole_points:
            pts_arr = pts_np[kept]
            pts_sorted: list[Money] = pts_arr.tolist()
            self.points_total: list[Money] = [int(x) for x in self.per_project(pts_arr)]
        else:
            pts_sorted = [points_all[k] for k in kept.tolist()]
            self.points_total = [sum(pts_sorted[self.ptr[p]:self.ptr[p + 1]], 0)
                                 for p in range(len(projects))]
        # Weights per entry: the points (1 for cost utilities, where every supporter's utility
        # is the cost: then the price per unit of utility is the payment cap divided by the cost).
        self.per_cost = utilities == "cost"
        if self.per_cost or whole_points:
            self.w_exact_arr: IntArray = (np.ones(len(pts_sorted), dtype=np.int64)
                                          if self.per_cost else np.asarray(pts_sorted, np.int64))
        else:  # fractional points: scaling all points alike leaves MES's choices unchanged
            scale = math.lcm(*(Fraction(x).denominator for x in pts_sorted))
            self.w_exact_arr = np.asarray([int(x * scale) for x in pts_sorted], dtype=np.int64)
        self.w_exact: list[int] = self.w_exact_arr.tolist()
        self.w = self.w_exact_arr.astype(np.float64)
        self.w_total = [int(self.w_exact_arr[self.ptr[p]:self.ptr[p + 1]].sum())
                        for p in range(len(projects))]
        # Per voter: the entries (positions in the arrays above) of their ballot.
        by_voter = np.argsort(self.sup, kind="stable")
        self.vptr: IntArray = np.searchsorted(self.sup[by_voter],
                                              np.arange(self.n + 1)).astype(np.int64)
        self.ventries: list[int] = by_voter.tolist()
        self.col: list[int] = col.tolist()
        # Lexicographic tie-break rank of each project (by id as text, as pabutools does).
        self.rank = {k: r for r, k in enumerate(sorted(range(len(projects)),
                                                       key=lambda k: projects[k].id))}

    def per_project(self, values: IntArray) -> IntArray:
        """Sums of per-entry values by project."""
        sums = np.zeros(len(self.projects), dtype=np.int64)
        nonempty = self.ptr[:-1] < self.ptr[1:]
        if nonempty.any():
            sums[nonempty] = np.add.reduceat(values, self.ptr[:-1][nonempty])
        return sums

    def supporters(self, p: int) -> slice:
        return slice(int(self.ptr[p]), int(self.ptr[p + 1]))


@dataclass
class _Run:
    """One MES run at a given share per voter."""

    share: Fraction
    selected: list[int]  # projects, in order
    price: dict[int, Fraction]  # exact payment per point (per supporter) of each selected project
    spent_all: dict[int, int]  # voter -> project at which they paid everything they had left
    dropped: dict[int, int]  # unaffordable project -> round it was found so (0: from the start)
    horizon: float = 0.0  # the share can rise by less than this with the same outcome
    tracked: bool = False  # whether the horizon was worked out

    @property
    def chosen(self) -> set[int]:
        return set(self.selected)


class _MES:
    def __init__(self, data: _Data) -> None:
        self.d = data

    def balance(self, i: int, run: _Run) -> Fraction:
        """Voter i's exact money left now."""
        if i in run.spent_all:
            return Fraction(0)
        d, left = self.d, run.share
        for e in d.ventries[d.vptr[i]:d.vptr[i + 1]]:
            p = d.col[e]
            if p in run.price:
                left -= run.price[p] * d.w_exact[e]
        return left

    def key(self, p: int, cap: Fraction) -> Fraction:
        """MES's price per unit of utility (rho) from the payment per point."""
        return cap / self.d.cost[p] if self.d.per_cost else cap

    def total_balance(self, voters: IntArray, run: _Run) -> Fraction:
        """Exact money left of these voters together (none of whom has spent everything):
        their shares minus, project by project, the exact price times their points."""
        if len(voters) == 0:
            return Fraction(0)
        mask = np.zeros(self.d.n, dtype=bool)
        mask[voters] = True
        counts = self.d.per_project(mask[self.d.sup] * self.d.w_exact_arr)
        owed = sum((run.price[q] * int(counts[q]) for q in run.selected if counts[q]),
                   Fraction(0))
        return run.share * len(voters) - owed

    def exact_price(self, p: int, b: FloatArray, spent_mask: npt.NDArray[np.bool_], run: _Run,
                    cap_f: float) -> tuple[Fraction | None, IntArray]:
        """Exact payment per point for p and who pays all they have left (None: unaffordable).

        Voters clearly below the float water level pay everything (summed exactly in one go);
        those within rounding distance of it are ordered by their exact balances."""
        d, s = self.d, self.d.supporters(p)
        voters, w = d.sup[s], d.w[s]
        level = b[voters] / w
        slack = _TOL * (cap_f + float(run.share))
        below = level < cap_f - slack
        band = np.nonzero(~below & (level <= cap_f + slack))[0]
        out = voters[below]
        gone = spent_mask[out]
        cost = d.cost[p]
        spent = self.total_balance(out[~gone], run)
        utility: Money = d.w_total[p] - int(d.w_exact_arr[s][below].sum())
        capped = list(out[~gone].tolist())
        cand = sorted(((self.balance(int(voters[k]), run), int(d.w_exact_arr[s.start + k]),
                        int(voters[k])) for k in band.tolist()), key=lambda t: t[0] / t[1])
        rest = utility - sum(t[1] for t in cand)
        for bal, wi, i in cand:
            cap = (cost - spent) / utility
            if cap * wi <= bal:
                return cap, np.asarray(capped, dtype=np.int64)
            spent += bal
            utility -= wi
            capped.append(i)
        if rest > 0 and spent < cost:
            return (cost - spent) / rest, np.asarray(capped, dtype=np.int64)
        return None, np.asarray(capped, dtype=np.int64)

    @staticmethod
    def float_price(cost: float, bs: FloatArray, ws: FloatArray) -> float:
        """Payment per point solving sum(min(b, x*w)) = cost in floats; inf if they cannot pay.

        From x = cost / total points (nobody short), those who cannot pay x pay all they have
        and x is raised for the rest; x only rises, so this ends, usually after a step or two."""
        if bs.sum() < cost * (1 - _TOL):
            return float("inf")
        r = bs / ws
        short = np.zeros(len(bs), dtype=bool)
        while True:
            x = (cost - bs[short].sum()) / ws[~short].sum() if (~short).any() else float("inf")
            more = r < x
            if (more == short).all():
                return float(x)
            short = more

    @staticmethod
    def tracked_price(cost: float, bs: FloatArray, dbs: FloatArray, ws: FloatArray,
                      eps: float) -> tuple[float, float, float]:
        """(payment per point, its derivative in the share, how far the share can rise before
        someone crosses the water level); the first is inf if the supporters cannot pay, and
        then the last is how far the share must rise before they can."""
        total, dtotal = float(bs.sum()), float(dbs.sum())
        if total < cost * (1 - _TOL):
            return float("inf"), 0.0, ((cost - total) / dtotal if dtotal > 0 else float("inf"))
        r, dr = bs / ws, dbs / ws
        order = np.argsort(r, kind="stable")
        r, dr, bs, dbs, ws = r[order], dr[order], bs[order], dbs[order], ws[order]
        paid_before = np.concatenate(([0.0], np.cumsum(bs)[:-1]))
        u_after = np.cumsum(ws[::-1])[::-1]
        j = min(int(np.searchsorted(paid_before + r * u_after, cost * (1 - 1e-12))), len(r) - 1)
        cap = float((cost - paid_before[j]) / u_after[j])
        dcap = float(-dbs[:j].sum() / u_after[j])
        # Voters below the level (paying all they have) must stay below, the others above.
        gap = np.concatenate((cap - r[:j], r[j:] - cap)) - eps
        closing = np.concatenate((dr[:j] - dcap, dcap - dr[j:]))
        live = (closing > 0) & ~((bs == 0) & (dbs == 0))  # empty pockets stay empty
        horizon = float(np.min(np.maximum(gap[live], 0.0) / closing[live])) if live.any() \
            else float("inf")
        return cap, dcap, horizon

    def run(self, share: Fraction, track: bool = False) -> _Run:
        """One MES run. With `track`, every voter's balance is also followed as a function of
        the share (it is affine while the choices stay the same), and `run.horizon` says how
        far the share can rise with certainly the same outcome."""
        d = self.d
        run = _Run(share, [], {}, {}, {})
        b = np.full(d.n, float(share))
        db = np.ones(d.n)
        rate = np.ones(d.n)  # bounds on how fast balances can grow with the share
        bound = float("inf")  # the second horizon, from those bounds
        spent_mask = np.zeros(d.n, dtype=bool)
        cost_f = np.asarray([float(c) for c in d.cost])
        eps = 1e-9 * (float(share) + 1.0)
        horizon = float("inf")
        alive: list[int] = []
        for p in range(len(d.projects)):
            if d.w_total[p] <= 0:
                continue
            if d.cost[p] == 0:  # free and wanted: funded first, nobody pays
                run.selected.append(p)
                run.price[p] = Fraction(0)
            else:
                alive.append(p)
        # rho only ever rises, so a stale value is a lower bound.
        stale = {p: float(self.key(p, d.cost[p] / Fraction(d.w_total[p]))) for p in alive}
        scale = [1 / cost_f[p] if d.per_cost and cost_f[p] else 1.0 for p in range(len(cost_f))]
        round_ = 0
        while alive:
            fresh: dict[int, float] = {}
            slope: dict[int, float] = {}
            within: dict[int, float] = {}  # how far each project's water level stays affine
            best = float("inf")
            for p in sorted(alive, key=lambda q: (stale[q], d.rank[q])):
                if stale[p] > best * (1 + _TOL) and not track:
                    break
                s = d.supporters(p)
                if track:
                    cap_f, dcap, valid = self.tracked_price(cost_f[p], b[d.sup[s]],
                                                            db[d.sup[s]], d.w[s], eps)
                    within[p] = valid
                    fresh[p] = stale[p] = cap_f * scale[p]
                    slope[p] = dcap * scale[p]
                else:
                    fresh[p] = stale[p] = self.float_price(cost_f[p], b[d.sup[s]], d.w[s]) * scale[p]
                best = min(best, fresh[p])
            # Candidates: everything close to the best, decided exactly.
            exact: list[tuple[Fraction, int, int, Fraction, IntArray]] = []
            for p, rho_f in fresh.items():
                if rho_f == float("inf"):  # short by more than rounding could explain
                    alive.remove(p)
                    run.dropped[p] = round_
                    horizon = min(horizon, within.get(p, float("inf")))  # until they can pay
                    if track:
                        s = d.supporters(p)
                        grow = float(rate[d.sup[s]].sum())
                        short = cost_f[p] - float(b[d.sup[s]].sum())
                        bound = min(bound, short / grow if grow > 0 else float("inf"))
                    continue
                if rho_f > best * (1 + _TOL):
                    continue
                cap, capped = self.exact_price(p, b, spent_mask, run, rho_f / scale[p])
                if cap is None:
                    alive.remove(p)
                    run.dropped[p] = round_
                    horizon = bound = 0.0  # unaffordable by a hair: no shortcut
                    continue
                exact.append((self.key(p, cap), d.rank[p], p, cap, capped))
            if not exact:
                if not fresh:
                    break
                continue
            _, _, p, cap, capped = min(exact, key=lambda t: (t[0], t[1]))
            if track:
                # p's price is affine in the share while its supporters stay on their side of
                # the water level; another project's price is convex in the share (the least
                # root of a concave equation), so its tangent is a lower bound: p stays the
                # cheapest (or tied and first by id) while p's line stays under every tangent.
                horizon = min(horizon, within[p])
                for q in alive:
                    if q == p or fresh[q] == float("inf"):
                        continue
                    gap = fresh[q] - fresh[p] - 1e-9 * fresh[p]
                    closing = slope[p] - slope[q]
                    if closing > 0:
                        horizon = min(horizon, max(gap, 0.0) / closing)
                    elif gap < 0 and closing < 0 and d.rank[q] < d.rank[p]:
                        horizon = 0.0
                    # Second argument: while the same projects are chosen, balances only grow
                    # and water levels only fall as the share rises, so p's price stays at most
                    # what it is; q's falls at most as fast as its short supporters' balances
                    # can grow (bounded by `rate`), divided by the points of the others.
                    fall = self.fall_rate(q, b, rate, fresh[q] / scale[q], eps) * scale[q]
                    if fall > 0:
                        bound = min(bound, max(gap, 0.0) / fall)
            s = d.supporters(p)
            voters = d.sup[s]
            if track:
                dcap = slope[p] / scale[p]
                db[voters] = db[voters] - dcap * d.w[s]
                db[capped] = 0.0
                rate[voters] += self.fall_rate(p, b, rate, fresh[p] / scale[p], eps) * d.w[s]
            b[voters] = np.maximum(b[voters] - float(cap) * d.w[s], 0.0)
            for i in capped.tolist():  # capped holds only voters who still had money
                run.spent_all.setdefault(i, p)
            b[capped] = 0.0
            spent_mask[capped] = True
            run.selected.append(p)
            run.price[p] = cap
            alive.remove(p)
            round_ += 1
        run.horizon, run.tracked = max(horizon, bound), track
        return run

    def fall_rate(self, p: int, b: FloatArray, rate: FloatArray, cap: float, eps: float) -> float:
        """A bound on how fast p's payment per point can fall as the share rises: the growth
        of the balances of supporters short of it, over the points of the others."""
        s = self.d.supporters(p)
        voters, w = self.d.sup[s], self.d.w[s]
        short = b[voters] < cap * w * (1 + _TOL) + eps
        if not short.any():
            return 0.0
        rest = float(w[~short].sum())
        return float(rate[voters][short].sum()) / rest if rest > 0 else float("inf")


def _cost(d: _Data, chosen: Sequence[int]) -> Fraction:
    return sum((d.cost[p] for p in chosen), Fraction(0))


def _greedy_fill(d: _Data, budget: Fraction, chosen: list[int]) -> tuple[list[int], set[int]]:
    """Add projects by votes (points), most first, ties by id as text, skipping what does not fit.

    Returns the added projects and those that did not fit."""
    left = budget - _cost(d, chosen)
    taken = set(chosen)
    added: list[int] = []
    too_big: set[int] = set()
    for p in sorted(range(len(d.projects)), key=lambda q: (-d.points_total[q], d.rank[q])):
        if p in taken:
            continue
        if d.cost[p] <= left:
            added.append(p)
            left -= d.cost[p]
        else:
            too_big.add(p)
    return added, too_big


def _votes(d: _Data, p: int) -> str:
    n = d.ptr[p + 1] - d.ptr[p]
    return f"{n:,} voter{'s' if n != 1 else ''}"


def _payments(d: _Data, run: _Run) -> dict[int, dict[int, Fraction]]:
    """The exact payments of a run: project -> voter index -> amount (payers only).

    Supporters who still had enough pay the price times their points; the one project at
    which a voter ran short takes all they had left: their share minus what they paid before."""
    position = {p: k for k, p in enumerate(run.selected)}
    paid: dict[int, dict[int, Fraction]] = {}
    denominator = math.lcm(run.share.denominator, *(x.denominator for x in run.price.values()))
    scaled = {q: int(x * denominator) for q, x in run.price.items()}
    share_scaled = int(run.share * denominator)
    ran_out = np.full(d.n, len(run.selected), dtype=np.int64)  # where each voter ran short
    for i, q in run.spent_all.items():
        ran_out[i] = position[q]
    for p in run.selected:
        s = d.supporters(p)
        price, at = run.price[p], position[p]
        voters, w = d.sup[s], d.w_exact_arr[s]
        had_enough = ran_out[voters] > at
        out: dict[int, Fraction] = {}
        if price:
            for wv in np.unique(w[had_enough]).tolist():
                out.update(dict.fromkeys(voters[had_enough & (w == wv)].tolist(), price * wv))
        for i in voters[ran_out[voters] == at].tolist():
            # All they had left: the share less what they paid before, in integers over a
            # common denominator (much faster than adding fractions one by one).
            owed = sum(scaled[d.col[e]] * d.w_exact[e] for e in d.ventries[d.vptr[i]:d.vptr[i + 1]]
                       if position.get(d.col[e], at) < at)
            left = Fraction(share_scaled - owed, denominator)
            if left:
                out[i] = left
        paid[p] = out
    return paid


def _explain(d: _Data, rule: str, run: _Run | None, budget: Fraction, selected: list[int],
             completed: bool, too_big: set[int]) -> dict[str, Explanation]:
    out: dict[str, Explanation] = {}
    paid = _payments(d, run) if run is not None else {}
    chosen = set(selected)
    left = _money(budget - _cost(d, selected))
    for p, proj in enumerate(d.projects):
        n = int(d.ptr[p + 1] - d.ptr[p])
        cost = _money(d.cost[p])
        pid, votes = proj.id, d.points_total[p]
        if p in paid:
            pay = paid[p]
            payers = len(pay)  # payers only
            most = _money(max(_distinct(pay.values()), default=0))
            text = (f"Funded: {payers:,} of its {n:,} supporters paid its cost of {cost} from "
                    f"their equal shares of the budget, at most {most} each." if payers else
                    "Funded: it costs nothing.")
            price = _MES(d).key(p, run.price[p]) if run else None
            out[pid] = Explanation(pid, True, "equal_shares", text, n, votes, pay, price)
        elif p in chosen:
            if run is not None:
                out[pid] = Explanation(pid, True, "completion", "Funded from the budget left "
                                       f"after equal shares, in order of votes ({_votes(d, p)}); "
                                       f"it cost {cost}.", n, votes)
            else:
                out[pid] = Explanation(pid, True, "greedy", f"Funded in order of votes "
                                       f"({_votes(d, p)}); its cost of {cost} fitted in what was "
                                       "left.", n, votes)
        elif n == 0:
            out[pid] = Explanation(pid, False, "no_supporters", "Not funded: nobody voted for it.",
                                   n, votes)
        elif run is None:
            out[pid] = Explanation(pid, False, "over_budget", f"Not funded: when its turn came "
                                   f"({_votes(d, p)}), its cost of {cost} did not fit in what was "
                                   "left of the budget.", n, votes)
        else:
            after = (f"; nor did it fit in the {left} left for completion by votes"
                     if completed else "")
            if n * run.share < d.cost[p]:
                out[pid] = Explanation(pid, False, "too_expensive_for_supporters", f"Not funded: "
                                       f"it costs {cost}, more than its {n:,} supporters' equal "
                                       f"shares of {_money(run.share)} each could pay together "
                                       f"({_money(n * run.share)}){after}.", n, votes)
            else:
                out[pid] = Explanation(pid, False, "no_supporters_with_money", f"Not funded: its "
                                       f"{n:,} supporters could have paid its cost of {cost} "
                                       "together, but had spent too much of their shares on "
                                       f"projects funded before it{after}.", n, votes)
    return out


def equal_shares(budget: Money, projects: Sequence[Project],
                 ballots: Sequence[Mapping[str, Money]], *,
                 completion: Completion = "budget-increase",
                 utilities: Utilities = "cost") -> Outcome:
    """The Method of Equal Shares; with `budget-increase`, as cities run it (see module doc).

    `ballots` map project ids to points (1 for approval); a project gets support from every
    ballot giving it positive points. Every voter counts for the shares, even with an empty
    ballot.
    """
    if completion not in COMPLETIONS:
        raise ValueError(f"unknown completion {completion!r}; use one of {COMPLETIONS}")
    total = Fraction(budget)
    d = _Data(projects, ballots, utilities)
    if d.n == 0:
        return _outcome("mes", completion, budget, d, None, [], False, set(), total)
    mes = _MES(d)
    share = total / d.n
    completing = completion == "budget-increase"
    run = mes.run(share, completing)
    increments = 0
    if completing:
        supported = [p for p in range(len(d.projects)) if d.w_total[p] > 0 and d.cost[p] > 0]
        # Following balances as functions of the share costs a few plain runs; it pays on
        # small electorates, where shares can often rise by tens of units with the same
        # outcome. Where it does not, run plainly for a while and try again later.
        wait, pause = 0, 4
        while increments < _MAX_INCREMENTS:
            spent = _cost(d, run.selected)
            if all(p in run.chosen or spent + d.cost[p] > total for p in supported):
                break  # exhaustive: nothing supported fits any more
            # Shares raised by less than the horizon give this same outcome, which neither
            # fills the budget nor overspends it: skip them (a margin absorbs rounding).
            step = max(1, math.ceil(run.horizon * (1 - 1e-7) - 1e-7)) \
                if math.isfinite(run.horizon) else 1
            if run.tracked and step <= 2:
                wait, pause = pause, min(2 * pause, 64)
            elif run.tracked:
                pause = 4
            track = wait == 0
            wait = max(0, wait - 1)
            bigger = mes.run(share + increments + step, track)
            if _cost(d, bigger.selected) > total:
                if step > 1:  # the last share that fits is just before: same outcome as run
                    increments += step - 1
                    run = mes.run(share + increments)
                break  # the last one that fitted is kept
            run, increments = bigger, increments + step
    selected = list(run.selected)
    added: list[int] = []
    too_big: set[int] = set()
    if completion == "budget-increase":
        added, too_big = _greedy_fill(d, total, selected)
    return _outcome("mes", completion, budget, d, run, selected + added,
                    completion == "budget-increase", too_big, total, increments)


def _outcome(rule: str, completion: str, budget: Money, d: _Data, run: _Run | None,
             selected: list[int], completed: bool, too_big: set[int], total: Fraction,
             increments: int = 0) -> Outcome:
    cost = _cost(d, selected)
    return Outcome(rule=rule, completion=completion, budget=budget,
                   selected=[d.projects[p].id for p in selected],
                   total_cost=cost.numerator if cost.denominator == 1 else cost,
                   explanations=_explain(d, rule, run, total, selected, completed, too_big),
                   voter_share=run.share if run else None, increments=increments)


def greedy(budget: Money, projects: Sequence[Project],
           ballots: Sequence[Mapping[str, Money]]) -> Outcome:
    """Greedy by votes: most points (approvals) first, ties by id as text; skip what does not fit."""
    total = Fraction(budget)
    d = _Data(projects, ballots, "points")
    added, too_big = _greedy_fill(d, total, [])
    return _outcome("greedy", "none", budget, d, None, added, False, too_big, total)


class _ProjectLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def cost(self) -> Money: ...
    @property
    def name(self) -> str: ...


class ElectionLike(Protocol):
    """What `formats.pabulib.read` returns (the method does not depend on the format)."""

    @property
    def budget(self) -> Money: ...
    @property
    def vote_type(self) -> str: ...
    @property
    def projects(self) -> Sequence[_ProjectLike]: ...
    @property
    def ballots(self) -> Sequence[Mapping[str, Money]]: ...


POINTS_VOTE_TYPES = ("cumulative", "scoring")
RULES = ("mes", "greedy")


def utilities_for(vote_type: str) -> Utilities:
    """Points as utilities for cumulative and scoring ballots; the cost for approval types
    (approval, choose-1, and ordinal, whose ranked projects count as approved)."""
    return "points" if vote_type in POINTS_VOTE_TYPES else "cost"


def tally(election: ElectionLike, rule: str = "mes",
          completion: Completion = "budget-increase") -> Outcome:
    """Count an election: `mes` (with or without completion) or `greedy` by votes."""
    projects = [Project(p.id, p.cost, p.name) for p in election.projects]
    if rule == "greedy":
        return greedy(election.budget, projects, election.ballots)
    if rule != "mes":
        raise ValueError(f"unknown rule {rule!r}; use one of {RULES}")
    return equal_shares(election.budget, projects, election.ballots, completion=completion,
                        utilities=utilities_for(election.vote_type))

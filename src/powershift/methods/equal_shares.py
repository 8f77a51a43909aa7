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

Exactness: money is `int` or `Fraction`. Runs go in floats (NumPy), and floats only take
decisions that rounding cannot change (see `_Batch`): a project is chosen by floats only when
its price per unit of utility is more than 1e-9 (relative) below every other's, and dropped
only when its supporters' money is more than 1e-9 of its cost short of it. Every closer call
(ties, which are common: equal costs and equal numbers of supporters) is settled by following
that run in exact arithmetic (`_Exact`), and the run that is kept is always worked out exactly
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
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import chain
from operator import methodcaller
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Money = int | Fraction
Completion = Literal["budget-increase", "none"]
Utilities = Literal["cost", "points"]
COMPLETIONS: tuple[str, ...] = ("budget-increase", "none")
_TOL = 1e-9  # relative band in which float decisions are re-taken exactly
_CEILING = 1.25  # see `_Batch.prices`
_MAX_INCREMENTS = 1_000_000  # a guard; shares grow until the outcome no longer fits anyway
_BATCH = (32, 96)  # runs in the first and the largest batches of `_budget_increase`
_FEW = 64  # ballots of a project, below which `_Batch` does not bother to narrow its work

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


def _kinds(ballots: Sequence[Mapping[str, Money]]) -> set[Money]:
    """The distinct points given (dicts' values are read about 1.5x faster by `dict.values`)."""
    try:
        return set(chain.from_iterable(map(dict.values, ballots)))  # type: ignore[arg-type]
    except TypeError:  # some ballot is another kind of mapping
        return set(chain.from_iterable(map(methodcaller("values"), ballots)))


def _approvals(projects: Sequence[Project], index: Mapping[str, int],
               ballots: Sequence[Mapping[str, Money]], unit_points: bool) -> list[int] | None:
    """Supporters per project when every point given is 1 (approval ballots), counted by
    C-speed builtins without building arrays; None when some points are not 1."""
    if not unit_points and not _kinds(ballots) <= {1}:
        return None
    counts = Counter(chain.from_iterable(ballots))
    if not counts.keys() <= index.keys():
        unknown = next(q for q in chain.from_iterable(ballots) if q not in index)
        raise ValueError(f"a ballot names project {unknown}, which is not in the list")
    return [counts.get(p.id, 0) for p in projects]


class _Data:
    """Ballots as sparse arrays: per project, its supporters and their utilities. What only
    some counts need (each voter's entries, the distinct ballots) is built when first used."""

    def __init__(self, projects: Sequence[Project], ballots: Sequence[Mapping[str, Money]],
                 utilities: Utilities, *, only_totals: bool = False,
                 unit_points: bool = False) -> None:
        """`only_totals`: just the supporters and points per project (greedy needs no more);
        `unit_points`: the caller knows that every point given is 1 (not checked)."""
        index = {p.id: k for k, p in enumerate(projects)}
        if len(index) != len(projects):
            raise ValueError("project ids must be unique")
        self.projects, self.n = list(projects), len(ballots)
        self.cost = [c if type(c) is Fraction else Fraction(c) for c in (p.cost for p in projects)]
        # Lexicographic tie-break rank of each project (by id as text, as pabutools does).
        by_rank = sorted(range(len(projects)), key=lambda k: projects[k].id)
        self.rank = {k: r for r, k in enumerate(by_rank)}
        self.by_rank: IntArray = np.asarray(by_rank, dtype=np.int64)
        # Costs over a common denominator, to add them up quickly and exactly.
        self.unit = math.lcm(*(c.denominator for c in self.cost))
        self.cost_units = [c.numerator * (self.unit // c.denominator) for c in self.cost]
        self.supporters_count: list[int]
        self.points_total: list[Money]
        counted = _approvals(projects, index, ballots, unit_points) if only_totals else None
        if counted is not None:
            self.supporters_count, self.points_total = counted, list(counted)
            return
        # The entries (voter, project, points) of all ballots, read by C-speed builtins.
        lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=self.n)
        size = int(lengths.sum())
        try:
            cols = np.fromiter(map(index.__getitem__, chain.from_iterable(ballots)),
                               dtype=np.int64, count=size)
        except KeyError as e:
            raise ValueError(f"a ballot names project {e.args[0]}, which is not in the list") \
                from None
        kinds = {1} if unit_points else _kinds(ballots)
        whole_points = all(type(x) is int for x in kinds)
        ones = kinds <= {1}
        points_all: list[Money] | None = None
        pts_np: npt.NDArray[np.int64] | npt.NDArray[np.object_] | None = None
        if not ones:
            points_all = list(chain.from_iterable(map(methodcaller("values"), ballots)))
            pts_np = np.asarray(points_all, dtype=np.int64 if whole_points else object)
            if (pts_np < 0).any():
                pid = projects[int(cols[int(np.argmax(pts_np < 0))])].id
                raise ValueError(f"a ballot gives project {pid} negative points")
        voters = np.repeat(np.arange(self.n, dtype=np.int64), lengths)
        if pts_np is not None and not (pts_np > 0).all():  # 0 points: no support
            keep = np.flatnonzero(pts_np > 0)
            voters, cols = voters[keep], cols[keep]
        else:
            keep = None
        # By project, then voter (already sorted); small integers sort by radix, 3x faster.
        order = np.argsort(cols.astype(np.int16) if len(projects) < 2**15 else cols,
                           kind="stable")
        self.sup: IntArray = voters[order]
        counts = np.bincount(cols, minlength=len(projects))
        self.ptr: IntArray = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.supporters_count = counts.tolist()
        self._voters = voters  # in ballot order, for `vptr`
        if ones:
            self.w_exact_arr: IntArray = np.ones(len(self.sup), dtype=np.int64)
            self.points_total = list(self.supporters_count)
        else:
            assert points_all is not None and pts_np is not None
            at = order if keep is None else keep[order]
            if whole_points:
                pts_arr = pts_np[at].astype(np.int64)
                self.points_total = [int(x) for x in self.per_project(pts_arr)]
                self.w_exact_arr = np.ones(len(at), np.int64) if utilities == "cost" else pts_arr
            else:
                pts_sorted = [points_all[k] for k in at.tolist()]
                self.points_total = [sum(pts_sorted[self.ptr[p]:self.ptr[p + 1]], 0)
                                     for p in range(len(projects))]
                # Scaling all points alike leaves MES's choices unchanged.
                scale = math.lcm(*(Fraction(x).denominator for x in pts_sorted))
                self.w_exact_arr = (np.ones(len(at), np.int64) if utilities == "cost" else
                                    np.asarray([int(x * scale) for x in pts_sorted], np.int64))
        if only_totals:
            return
        # Weights per entry: the points (1 for cost utilities, where every supporter's utility
        # is the cost: then the price per unit of utility is the payment cap divided by the cost).
        self.per_cost = utilities == "cost"
        self.w = self.w_exact_arr.astype(np.float64)
        self.w_exact_f = self.w
        self.w_total = (list(self.supporters_count) if self.per_cost or ones else
                        [int(x) for x in self.per_project(self.w_exact_arr)])
        # What MES works on: wanted projects; the free ones are funded first, nobody paying.
        self.free = [p for p, c in enumerate(self.cost) if self.w_total[p] > 0 and c.numerator == 0]
        self.mes = [p for p, c in enumerate(self.cost) if self.w_total[p] > 0 and c.numerator > 0]
        wanted = set(self.mes)
        self.mes_mask = np.asarray([p in wanted for p in by_rank], dtype=bool)
        cost_f = [c.numerator / c.denominator for c in self.cost]  # as float(c), faster
        self.cost_rank = np.asarray([cost_f[p] for p in by_rank])
        self.count_rank = np.asarray(self.supporters_count, dtype=np.float64)[self.by_rank]
        self.scale_rank = np.asarray([1 / cost_f[p] if self.per_cost and cost_f[p] else 1.0
                                      for p in by_rank])
        # rho with every supporter paying alike: a lower bound for the whole run (for cost
        # utilities 1 / supporters, which a float division rounds as exactly as a Fraction).
        self.rho_start = np.asarray([(1 / self.w_total[p] if self.per_cost else
                                      float(self.cost[p] / self.w_total[p]))
                                     if p in wanted else np.inf for p in by_rank])
        self._ballots: _Ballots | None = None

    @cached_property
    def col_arr(self) -> IntArray:
        """The project of each entry (entries by project, then voter)."""
        return np.repeat(np.arange(len(self.projects), dtype=np.int64), np.diff(self.ptr))

    @cached_property
    def vptr(self) -> IntArray:
        """Where each voter's entries start in `ventries_arr` (and the end)."""
        return np.concatenate(([0], np.cumsum(np.bincount(self._voters, minlength=self.n))
                               )).astype(np.int64)

    @cached_property
    def ventries_arr(self) -> IntArray:
        """Per voter, the entries of their ballot in project order (so that equal ballots look
        the same, see `_same_rows`)."""
        by_voter: IntArray = np.argsort(self.sup, kind="stable")
        return by_voter

    def ballots(self) -> _Ballots:
        """The distinct ballots (built once)."""
        if self._ballots is None:
            self._ballots = _Ballots(self)
        return self._ballots

    def per_project(self, values: IntArray) -> IntArray:
        """Sums of per-entry values by project."""
        sums = np.zeros(len(self.projects), dtype=np.int64)
        nonempty = self.ptr[:-1] < self.ptr[1:]
        if nonempty.any():
            sums[nonempty] = np.add.reduceat(values, self.ptr[:-1][nonempty])
        return sums

    def supporters(self, p: int) -> slice:
        return slice(int(self.ptr[p]), int(self.ptr[p + 1]))


def _same_rows(d: _Data, lengths: IntArray) -> tuple[IntArray, IntArray]:
    """Voters with the same ballot: the first voter of each distinct ballot, and each voter's
    ballot number. Ballots are rows of (project + 1, points) pairs in project order, packed
    several to a 64-bit integer, then sorted."""
    width = int(lengths.max()) if d.n and len(d.ventries_arr) else 0
    cols = [lengths]
    if width:
        voter = d.sup[d.ventries_arr]
        slot = np.arange(len(d.ventries_arr)) - np.repeat(d.vptr[:-1], lengths)
        fields = [d.col_arr[d.ventries_arr] + 1]
        if not d.per_cost:
            fields.append(d.w_exact_arr[d.ventries_arr])
        for values in fields:
            padded = np.zeros((d.n, width), dtype=np.int64)
            padded[voter, slot] = values
            bits = max(1, int(values.max()).bit_length())
            per = 63 // bits  # values per 64-bit integer (at least 1: values are int64)
            for start in range(0, width, per):
                packed = np.zeros(d.n, dtype=np.int64)
                for k in range(start, min(start + per, width)):
                    packed |= padded[:, k] << (bits * (k - start))
                cols.append(packed)
    order = np.lexsort(cols[::-1])
    new = np.zeros(d.n, dtype=bool)
    new[0] = True
    for c in cols:
        ranked = c[order]
        new[1:] |= ranked[1:] != ranked[:-1]
    group = np.empty(d.n, dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    return order[new], group


class _Ballots:
    """Voters grouped by ballot (the same projects with the same points): in MES they always
    have the same balance, so MES keeps one balance per distinct ballot, counted `mult` times
    (Wroclaw 2015: 131,778 voters, 197 distinct ballots). Arrays as in `_Data`, by ballot."""

    def __init__(self, d: _Data) -> None:
        lengths = np.diff(d.vptr)
        first, group = _same_rows(d, lengths)
        self.group = group  # voter -> ballot
        self.n = len(first)
        self.mult: IntArray = np.bincount(self.group, minlength=self.n)
        self.mult_f = self.mult.astype(np.float64)
        # Per project, the ballots supporting it: the entries of each ballot's first voter.
        first_voter = np.zeros(d.n, dtype=bool)
        first_voter[first] = True
        keep = first_voter[d.sup]
        self.sup: IntArray = self.group[d.sup[keep]]
        self.col_arr: IntArray = d.col_arr[keep]
        self.ptr: IntArray = np.searchsorted(self.col_arr,
                                             np.arange(len(d.projects) + 1)).astype(np.int64)
        self.w_exact_arr: IntArray = d.w_exact_arr[keep]
        self.w_exact_f = self.w_exact_arr.astype(np.float64)
        self.w = self.w_exact_f
        # Per ballot, its entries (positions in the arrays above): its first voter's entries.
        sizes = lengths[first]
        self.vptr: IntArray = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        starts = np.repeat(d.vptr[first] - self.vptr[:-1], sizes)
        entries = d.ventries_arr[starts + np.arange(int(sizes.sum()))]
        self.ventries_arr: IntArray = (np.cumsum(keep) - 1)[entries]

    def supporters(self, p: int) -> slice:
        return slice(int(self.ptr[p]), int(self.ptr[p + 1]))

    def members(self, ballots: Iterable[int]) -> list[int]:
        """The voters who cast these ballots."""
        wanted = np.zeros(self.n, dtype=bool)
        wanted[np.asarray(list(ballots), dtype=np.int64)] = True
        return np.flatnonzero(wanted[self.group]).tolist()


def _key(d: _Data, p: int, price: Fraction) -> Fraction:
    """MES's price per unit of utility (rho) from the payment per point."""
    return price / d.cost[p] if d.per_cost and d.cost[p] else price


@dataclass
class _Run:
    """One MES run at a given share per voter, with its exact prices."""

    share: Fraction
    selected: list[int]  # projects, in order (free ones first)
    price: dict[int, Fraction]  # exact payment per point (per supporter) of each selected project
    spent_all: dict[int, int]  # voter -> project at which they paid everything they had left


class _Exact:
    """One MES run at one share followed in exact arithmetic, one choice at a time.

    Works on distinct ballots (`_Ballots`). A ballot's exact balance is the share minus the
    exact prices of the projects it paid for, or 0 once it paid all it had; sums of balances
    over many ballots are taken project by project (the price times their points). A float
    copy of the balances (`b`) says who is clearly short of a project's price; only ballots
    within rounding distance of it are compared exactly."""

    def __init__(self, d: _Data, share: Fraction) -> None:
        self.d, self.v, self.share = d, d.ballots(), share
        self.b = np.full(self.v.n, float(share))
        self.dead = np.zeros(self.v.n, dtype=bool)  # paid all they had (nothing left)
        self.run = _Run(share, list(d.free), dict.fromkeys(d.free, Fraction(0)), {})
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
        if total_f < cost_f * (1 - _TOL):
            return None
        ratio = bf / wf
        near = total_f <= cost_f * (1 + _TOL)
        if near and self.total(ballots) < cost:
            return None
        x = float("nan") if near else _level(bf, wf, v.mult_f[ballots], cost_f)
        if math.isfinite(x):  # rounding cannot move anyone across a gap this wide
            slack = _TOL * (x + float(self.share))
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

    def outcome(self, rounds: Sequence[int]) -> _Run:
        """The run along these choices, by voter (who ran short where)."""
        self.follow(rounds)
        by_project: dict[int, list[int]] = {}
        for i, q in self.run.spent_all.items():
            by_project.setdefault(q, []).append(i)
        spent_all: dict[int, int] = {}
        for q, ballots in by_project.items():
            spent_all.update(dict.fromkeys(self.v.members(ballots), q))
        return _Run(self.share, list(self.run.selected), dict(self.run.price), spent_all)


def _level(bs: FloatArray, ws: FloatArray, mult: FloatArray, cost: float) -> float:
    """Payment per point x solving sum(mult * min(b, x*w)) = cost, in floats (nan:
    degenerate)."""
    mw = mult * ws
    x = cost / float(mw.sum())
    count = -1.0
    for _ in range(100):
        short = bs < x * ws
        now = float(mw @ short)
        if now == count:
            return x
        count = now
        rich = float(mw.sum()) - now
        if rich <= 0:
            return float("nan")
        x = (cost - float(mult[short] @ bs[short])) / rich
    return float("nan")


def _short(d: _Data, shares: FloatArray) -> npt.NDArray[np.bool_]:
    """Projects (by rank) whose supporters' shares (a column of runs) together are clearly
    less than their cost: out of those runs from the start."""
    short: npt.NDArray[np.bool_] = shares * d.count_rank[None, :] < d.cost_rank * (1 - _TOL)
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


class _Batch:
    """MES runs at several shares at once, in floats, with every close call settled exactly.

    Balances are a ballots x runs array (one row per distinct ballot, see `_Ballots`), so each
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
    decided by following that run exactly (`_Exact`)."""

    def __init__(self, d: _Data, shares: Sequence[Fraction]) -> None:
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
        self.exact: dict[int, _Exact] = {}
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
        dear: npt.NDArray[np.bool_] = paid + x * (weight - now) < cost * (1 - _TOL)
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
            fine = ~stuck & (rich > 0) & (x < ceiling) & (floor >= cost * (1 + _TOL))
            if fine[rows].all():
                return x, np.zeros(len(x), dtype=bool), np.zeros(len(x), dtype=bool)
            if stuck[rows].any() or not np.isfinite(x[rows]).all():
                break
            x0 = np.maximum(x0, x)
        bq = self.columns(ballots, runs)
        total = mult @ bq
        x, stuck, rich = self.solve(bq, w, mult, cost, x0, weight)
        bad = ~np.isfinite(x) | (rich <= 0) | stuck
        unaffordable = total < cost * (1 - _TOL)
        close = ~unaffordable & ((total <= cost * (1 + _TOL)) | bad)
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
            ex = self.exact[r] = _Exact(self.d, self.shares[r])
        ex.follow(self.rounds[r])
        found = _cheapest(self.d, ex, candidates, self.bound[r], self.xlow[r])
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
            known, above = np.zeros(k, dtype=bool), best  # where best is finite; best * (1 + _TOL)
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
                    known, above = np.isfinite(best), best * (1 + _TOL)
            reach = best[:, None] * (1 + _TOL)
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


class _Single:
    """Bare MES: one run, in floats over voters, with every close call settled exactly.

    It takes the decisions `_Batch` takes for a batch of one run (see there), with less
    machinery: balances are one per voter (building the distinct ballots would cost more
    than it saves in a single run), a project's supporters are gathered once per round at
    most, and a project is priced only while its lower bound could beat the best price
    found so far in the round."""

    def __init__(self, d: _Data, share: Fraction) -> None:
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
        self.exact: _Exact | None = None

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
            s, w = d.sup[at], None if d.per_cost else d.w[at]
            self.live[j] = (s, w, float(len(s)) if w is None else float(w.sum()))
        s, w, _ = self.live[j]
        bs = self.b[s]
        rich = bs > 0
        if 4 * int(np.count_nonzero(rich)) < 3 * len(bs):
            s, bs = s[rich], bs[rich]
            w = None if w is None else w[rich]
            self.live[j] = (s, w, float(len(s)) if w is None else float(w.sum()))
        self.gathered[j] = (bs, w)
        return bs, w

    def dearer(self, j: int, reach: float) -> bool:
        """Whether project j's price per unit of utility is certainly above `reach`, its
        bound raised if so (one step of `price` from the payment at `reach`, see
        `_Batch.dearer`)."""
        d = self.d
        bs, w = self.balances(j)
        x = reach / d.scale_rank[j]
        short = bs < (x if w is None else x * w)
        now = float(np.count_nonzero(short) if w is None else w @ short)
        paid = float(bs @ short)
        cost, rich = d.cost_rank[j], self.live[j][2] - now
        if paid + x * rich >= cost * (1 - _TOL):
            return False
        if rich <= 0:  # all pay everything, and that is too little
            self.bound[j] = np.inf
        else:
            self.xlow[j] = max(self.xlow[j], (cost - paid) / rich, x)
            self.bound[j] = max(self.bound[j], self.xlow[j] * d.scale_rank[j])
        return True

    def price(self, j: int) -> float | None:
        """Project j's payment per point in floats; inf: its supporters cannot pay; None: too
        close to call in floats (see `_Batch.priced`)."""
        d = self.d
        bs, w = self.balances(j)
        cost, weight = float(d.cost_rank[j]), self.live[j][2]
        total = float(bs.sum())
        if total < cost * (1 - _TOL):
            return math.inf
        if total <= cost * (1 + _TOL) or weight <= 0:
            return None
        x, count = max(cost / weight, float(self.xlow[j])), -1.0
        for _ in range(100):
            # x only rises towards the price: who is short at x is short at the price.
            short = bs < (x if w is None else x * w)
            now = float(np.count_nonzero(short) if w is None else w @ short)
            if now == count:
                return x
            if now >= weight:
                return None  # all pay everything: decide exactly
            count = now
            x = (cost - float(bs @ short)) / (weight - now)
        return None

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
                if low == math.inf or low > best * (1 + _TOL):
                    break
                todo[j] = np.inf
                if best < math.inf and self.dearer(j, best * (1 + _TOL)):
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
            reach = best * (1 + _TOL)
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
            self.exact = _Exact(d, self.share)
        self.exact.follow(self.rounds)
        found = _cheapest(d, self.exact, candidates, self.bound, self.xlow)
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


def _cheapest(d: _Data, ex: _Exact, candidates: list[int], bound: FloatArray, xlow: FloatArray
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
        rho = _key(d, q, found[0])
        bound[j], xlow[j] = float(rho), float(found[0])
        if best is None or (rho, j) < (best[0], best[1]):
            best = (rho, j, found[0], found[1])
    return None if best is None else best[1:]


def _cost(d: _Data, chosen: Sequence[int]) -> Fraction:
    return sum((d.cost[p] for p in chosen), Fraction(0))


def _greedy_fill(d: _Data, budget: Fraction, chosen: list[int]) -> tuple[list[int], set[int]]:
    """Add projects by votes (points), most first, ties by id as text, skipping what does not fit.

    Returns the added projects and those that did not fit."""
    # In whole units of cost: a cost fits in what is left when it fits in its floor.
    left = math.floor(budget * d.unit) - sum(d.cost_units[p] for p in chosen)
    taken = set(chosen)
    added: list[int] = []
    too_big: set[int] = set()
    for p in sorted(range(len(d.projects)), key=lambda q: (-d.points_total[q], d.rank[q])):
        if p in taken:
            continue
        if d.cost_units[p] <= left:
            added.append(p)
            left -= d.cost_units[p]
        else:
            too_big.add(p)
    return added, too_big


def _votes(d: _Data, p: int) -> str:
    n = d.supporters_count[p]
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
    left_over = _left_over(d, run, ran_out, scaled, share_scaled, denominator)
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
            if left_over is not None:
                left = left_over[i]
            else:  # all they had left: the share less what they paid before (see below)
                entries = d.ventries_arr[d.vptr[i]:d.vptr[i + 1]]
                owed = sum(scaled[q] * w for q, w in zip(d.col_arr[entries].tolist(),
                                                         d.w_exact_arr[entries].tolist(),
                                                         strict=True)
                           if position.get(q, at) < at)
                left = Fraction(share_scaled - owed, denominator)
            if left:
                out[i] = left
        paid[p] = out
    return paid


def _left_over(d: _Data, run: _Run, ran_out: IntArray, scaled: dict[int, int],
               share_scaled: int, denominator: int) -> dict[int, Fraction] | None:
    """What each voter who ran short had left then (cost utilities, at most 62 projects
    funded; else None): the share less the prices of the projects they paid for before, in
    integers over a common denominator, worked out once per set of such projects."""
    if not d.per_cost or len(run.selected) > 62:
        return None
    voters = np.flatnonzero(ran_out < len(run.selected))
    if not len(voters):
        return {}
    position = np.full(len(d.projects), 63, dtype=np.int64)
    position[run.selected] = np.arange(len(run.selected))
    starts = d.vptr[voters]
    lengths = d.vptr[voters + 1] - starts
    first = np.cumsum(lengths) - lengths
    entries = d.ventries_arr[np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()))]
    at = position[d.col_arr[entries]]
    before = at < np.repeat(ran_out[voters], lengths)
    bits = np.where(before, np.left_shift(np.int64(1), np.where(before, at, 0)), 0)
    keys, group = np.unique(np.add.reduceat(bits, first), return_inverse=True)
    prices = [scaled[q] for q in run.selected]

    def owed(key: int) -> int:
        total = 0
        while key:
            low = key & -key
            total += prices[low.bit_length() - 1]
            key ^= low
        return total

    lefts = [Fraction(share_scaled - owed(key), denominator) for key in keys.tolist()]
    return dict(zip(voters.tolist(), [lefts[g] for g in group.ravel().tolist()], strict=True))


def _explain(d: _Data, rule: str, run: _Run | None, budget: Fraction, selected: list[int],
             completed: bool, too_big: set[int]) -> dict[str, Explanation]:
    out: dict[str, Explanation] = {}
    paid = _payments(d, run) if run is not None else {}
    chosen = set(selected)
    left = _money(budget - _cost(d, selected))
    for p, proj in enumerate(d.projects):
        n = d.supporters_count[p]
        cost = _money(d.cost[p])
        pid, votes = proj.id, d.points_total[p]
        if p in paid:
            pay = paid[p]
            payers = len(pay)  # payers only
            most = _money(max(_distinct(pay.values()), default=0))
            text = (f"Funded: {payers:,} of its {n:,} supporters paid its cost of {cost} from "
                    f"their equal shares of the budget, at most {most} each." if payers else
                    "Funded: it costs nothing.")
            price = _key(d, p, run.price[p]) if run else None
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


@dataclass(frozen=True)
class _Kept:
    """The MES run whose choices are kept: its share, its rounds (projects, in order) and, if
    a close call made it be followed exactly already, that exact run."""

    share: Fraction
    rounds: list[int]
    exact: _Exact | None = None

    def run(self, d: _Data) -> _Run:
        """The run with its exact prices and who ran short where (for the explanations)."""
        return (self.exact or _Exact(d, self.share)).outcome(self.rounds)


def _budget_increase(d: _Data, total: Fraction, share: Fraction) -> tuple[int, _Kept]:
    """MES with shares raised by 1 at a time: the last run that fits the budget (stopping at
    one that fills it so that no wanted project fits any more), and how many raises it took.

    Runs are independent; they go in batches (32, 64, then 96 shares at once, fewer when there
    are very many distinct ballots; see `_Batch`), so at most one batch is worked out beyond
    the share that is kept. Batches cost far less per run than single runs: each round of a
    batch has a fixed cost in Python and NumPy calls (about 1 ms on Mokotów), whatever the
    number of runs in it."""
    # Costs are whole numbers of units, so they fit in what is left when they fit in its floor.
    cap = math.floor(total * d.unit)
    kept: tuple[int, list[int], _Exact | None] | None = None
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
    return raises, _Kept(share + raises, rounds, exact)


def _raised_runs(d: _Data, share: Fraction) -> Iterator[tuple[int, list[int], _Exact | None]]:
    """MES runs at the share raised by 0, 1, 2... units: each with its rounds and, if a close
    call was settled exactly in it, its exact run. They are worked out in batches."""
    # Runs at once: balances are distinct ballots x runs (at most 4 million floats).
    most = max(1, min(_BATCH[1], 4_000_000 // max(d.ballots().n, 1)))
    size = min(_BATCH[0], most)
    k = 0
    while k <= _MAX_INCREMENTS:
        batch = _Batch(d, [share + k + j for j in range(size)])
        for j, rounds in enumerate(batch.outcomes()):
            yield k + j, rounds, batch.exact.get(j)
        k += size
        size = min(2 * size, most)


@dataclass(frozen=True)
class Count:
    """What a count decided, before it is explained (`explain`): the selection alone, which is
    what pabutools' rules compute. Explaining adds the exact prices and payments of the MES
    run that was kept and a sentence per project."""

    rule: str
    completion: str
    budget: Money
    selected: list[str]  # project ids in the order they were chosen
    increments: int
    _data: _Data
    _chosen: list[int]  # the same, as project indices
    _kept: _Kept | None  # the MES run kept (None: greedy, or nobody voted)
    _too_big: set[int]  # projects that did not fit when filling greedily


def count_mes(budget: Money, projects: Sequence[Project],
              ballots: Sequence[Mapping[str, Money]], *,
              completion: Completion = "budget-increase",
              utilities: Utilities = "cost", unit_points: bool = False) -> Count:
    """The selection of `equal_shares`, not yet explained (`unit_points`: the caller knows
    that every point given is 1, as for approval ballots read without points; not checked)."""
    if completion not in COMPLETIONS:
        raise ValueError(f"unknown completion {completion!r}; use one of {COMPLETIONS}")
    total = Fraction(budget)
    d = _Data(projects, ballots, utilities, unit_points=unit_points)
    if d.n == 0:
        return Count("mes", completion, budget, [], 0, d, [], None, set())
    share = total / d.n
    increments = 0
    if completion == "none":
        run = _Single(d, share)
        kept = _Kept(share, run.outcome(), run.exact)
    else:
        increments, kept = _budget_increase(d, total, share)
    chosen = list(d.free) + list(kept.rounds)  # free projects first, as the run funds them
    too_big: set[int] = set()
    if completion == "budget-increase":
        added, too_big = _greedy_fill(d, total, chosen)
        chosen += added
    return Count("mes", completion, budget, [d.projects[p].id for p in chosen], increments, d,
                 chosen, kept, too_big)


def count_greedy(budget: Money, projects: Sequence[Project],
                 ballots: Sequence[Mapping[str, Money]], *, unit_points: bool = False) -> Count:
    """The selection of `greedy`, not yet explained (`unit_points` as in `count_mes`)."""
    d = _Data(projects, ballots, "points", only_totals=True, unit_points=unit_points)
    chosen, too_big = _greedy_fill(d, Fraction(budget), [])
    return Count("greedy", "none", budget, [d.projects[p].id for p in chosen], 0, d, chosen,
                 None, too_big)


def explain(c: Count) -> Outcome:
    """The outcome of a count with its explanations (and, for MES, the exact run kept)."""
    d, total = c._data, Fraction(c.budget)
    run = c._kept.run(d) if c._kept is not None else None
    cost = _cost(d, c._chosen)
    return Outcome(rule=c.rule, completion=c.completion, budget=c.budget,
                   selected=list(c.selected),
                   total_cost=cost.numerator if cost.denominator == 1 else cost,
                   explanations=_explain(d, c.rule, run, total, c._chosen,
                                         c.completion == "budget-increase", c._too_big),
                   voter_share=run.share if run else None, increments=c.increments)


def equal_shares(budget: Money, projects: Sequence[Project],
                 ballots: Sequence[Mapping[str, Money]], *,
                 completion: Completion = "budget-increase",
                 utilities: Utilities = "cost") -> Outcome:
    """The Method of Equal Shares; with `budget-increase`, as cities run it (see module doc).

    `ballots` map project ids to points (1 for approval); a project gets support from every
    ballot giving it positive points. Every voter counts for the shares, even with an empty
    ballot.
    """
    return explain(count_mes(budget, projects, ballots, completion=completion,
                             utilities=utilities))


def greedy(budget: Money, projects: Sequence[Project],
           ballots: Sequence[Mapping[str, Money]]) -> Outcome:
    """Greedy by votes: most points (approvals) first, ties by id as text; skip what does not fit."""
    return explain(count_greedy(budget, projects, ballots))


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
    @property
    def unit_points(self) -> bool: ...  # every point given is 1 (known from reading)


POINTS_VOTE_TYPES = ("cumulative", "scoring")
RULES = ("mes", "greedy")


def utilities_for(vote_type: str) -> Utilities:
    """Points as utilities for cumulative and scoring ballots; the cost for approval types
    (approval, choose-1, and ordinal, whose ranked projects count as approved)."""
    return "points" if vote_type in POINTS_VOTE_TYPES else "cost"


def count(election: ElectionLike, rule: str = "mes",
          completion: Completion = "budget-increase") -> Count:
    """The selection of `tally`, not yet explained (`explain` finishes it)."""
    projects = [Project(p.id, p.cost, p.name) for p in election.projects]
    if rule == "greedy":
        return count_greedy(election.budget, projects, election.ballots,
                            unit_points=election.unit_points)
    if rule != "mes":
        raise ValueError(f"unknown rule {rule!r}; use one of {RULES}")
    return count_mes(election.budget, projects, election.ballots, completion=completion,
                     utilities=utilities_for(election.vote_type),
                     unit_points=election.unit_points)


def tally(election: ElectionLike, rule: str = "mes",
          completion: Completion = "budget-increase") -> Outcome:
    """Count an election: `mes` (with or without completion) or `greedy` by votes."""
    return explain(count(election, rule, completion))

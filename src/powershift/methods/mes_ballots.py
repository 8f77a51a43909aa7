"""Ballots as arrays, for counting participatory budgets (`equal_shares`): per project its
supporters and their points, and the distinct ballots (voters who cast the same one)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import chain
from operator import methodcaller
from typing import Literal

import numpy as np
import numpy.typing as npt

Money = int | Fraction
Utilities = Literal["cost", "points"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Project:
    id: str
    cost: Money
    name: str = ""


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


class Data:
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
        # Lexicographic tie-break rank of each project (by id as text, as pabutools does).
        by_rank = sorted(range(len(projects)), key=lambda k: projects[k].id)
        self.by_rank: IntArray = np.asarray(by_rank, dtype=np.int64)
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
        self.w_total = (list(self.supporters_count) if self.per_cost or ones else
                        [int(x) for x in self.per_project(self.w_exact_arr)])
        # What MES works on: wanted projects; the free ones are funded first, nobody paying.
        costs = [p.cost for p in projects]
        self.free = [p for p, c in enumerate(costs) if self.w_total[p] > 0 and c == 0]
        self.mes = [p for p, c in enumerate(costs) if self.w_total[p] > 0 and c > 0]
        wanted = np.zeros(len(projects), dtype=bool)
        wanted[self.mes] = True
        self.mes_mask = wanted[self.by_rank]
        self.cost_rank = np.asarray([float(c) for c in costs])[self.by_rank]
        self.count_rank = np.asarray(self.supporters_count, dtype=np.float64)[self.by_rank]
        self.scale_rank = (np.divide(1.0, self.cost_rank, out=np.ones(len(projects)),
                                     where=self.cost_rank > 0) if self.per_cost else
                           np.ones(len(projects)))
        # rho with every supporter paying alike: a lower bound for the whole run (for cost
        # utilities 1 / supporters, which a float division rounds as exactly as a Fraction).
        with np.errstate(divide="ignore"):
            start = (1 / np.asarray(self.w_total, dtype=np.float64) if self.per_cost else
                     np.asarray([float(self.cost[p] / self.w_total[p]) if self.w_total[p] else
                                 np.inf for p in range(len(projects))]))
        self.rho_start = np.where(wanted, start, np.inf)[self.by_rank]
        self._ballots: Ballots | None = None

    @cached_property
    def cost(self) -> list[Fraction]:
        return [c if type(c) is Fraction else Fraction(c) for c in (p.cost for p in self.projects)]

    @cached_property
    def rank(self) -> dict[int, int]:
        """Each project's place in the tie-break order."""
        return {k: r for r, k in enumerate(self.by_rank.tolist())}

    @cached_property
    def unit(self) -> int:
        """A common denominator of the costs (1 when they are whole)."""
        return math.lcm(*(c.denominator for c in self.cost))

    @cached_property
    def cost_units(self) -> list[int]:
        """Costs in `unit`s, to add them up quickly and exactly."""
        return [c.numerator * (self.unit // c.denominator) for c in self.cost]

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

    def ballots(self) -> Ballots:
        """The distinct ballots (built once)."""
        if self._ballots is None:
            self._ballots = Ballots(self)
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


def _same_rows(d: Data, lengths: IntArray) -> tuple[IntArray, IntArray]:
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


class Ballots:
    """Voters grouped by ballot (the same projects with the same points): in MES they always
    have the same balance, so MES keeps one balance per distinct ballot, counted `mult` times
    (Wroclaw 2015: 131,778 voters, 197 distinct ballots). Arrays as in `Data`, by ballot."""

    def __init__(self, d: Data) -> None:
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


def rho_of(d: Data, p: int, price: Fraction) -> Fraction:
    """MES's price per unit of utility (rho) from the payment per point."""
    return price / d.cost[p] if d.per_cost and d.cost[p] else price

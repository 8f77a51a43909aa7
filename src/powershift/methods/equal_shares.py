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

How runs are worked out fast and exactly (floats that only take decisions rounding cannot
change, every close call settled in exact arithmetic) is in `mes_runs`; ballots become arrays
in `mes_ballots`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, Protocol

import numpy as np

from powershift.methods.mes_ballots import Data, IntArray, Money, Project, Utilities, rho_of
from powershift.methods.mes_exact import Run
from powershift.methods.mes_runs import Kept, Single, budget_increase

__all__ = ["COMPLETIONS", "RULES", "Count", "ElectionLike", "Explanation", "Money", "Outcome",
           "Project", "Utilities", "count", "count_greedy", "count_mes", "equal_shares",
           "explain", "greedy", "tally", "utilities_for"]

Completion = Literal["budget-increase", "none"]
COMPLETIONS: tuple[str, ...] = ("budget-increase", "none")


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


def _cost(d: Data, chosen: Sequence[int]) -> Fraction:
    return sum((d.cost[p] for p in chosen), Fraction(0))


def _greedy_fill(d: Data, budget: Fraction, chosen: list[int]) -> tuple[list[int], set[int]]:
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


def _votes(d: Data, p: int) -> str:
    n = d.supporters_count[p]
    return f"{n:,} voter{'s' if n != 1 else ''}"


def _payments(d: Data, run: Run) -> dict[int, dict[int, Fraction]]:
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


def _left_over(d: Data, run: Run, ran_out: IntArray, scaled: dict[int, int],
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


def _explain(d: Data, rule: str, run: Run | None, budget: Fraction, selected: list[int],
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
            price = rho_of(d, p, run.price[p]) if run else None
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
class Count:
    """What a count decided, before it is explained (`explain`): the selection alone, which is
    what pabutools' rules compute. Explaining adds the exact prices and payments of the MES
    run that was kept and a sentence per project."""

    rule: str
    completion: str
    budget: Money
    selected: list[str]  # project ids in the order they were chosen
    increments: int
    _data: Data
    _chosen: list[int]  # the same, as project indices
    _kept: Kept | None  # the MES run kept (None: greedy, or nobody voted)
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
    d = Data(projects, ballots, utilities, unit_points=unit_points)
    if d.n == 0:
        return Count("mes", completion, budget, [], 0, d, [], None, set())
    share = total / d.n
    increments = 0
    if completion == "none":
        run = Single(d, share)
        kept = Kept(share, run.outcome(), run.exact)
    else:
        increments, kept = budget_increase(d, total, share)
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
    d = Data(projects, ballots, "points", only_totals=True, unit_points=unit_points)
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

"""Citizens' panel selection: the plain data (pool, quotas, selection), the bad-input errors,
the checks made before anything is computed, and the committee integer program shared by
LEXIMIN, maximin, the infeasibility explanation and replacements.

People with identical features (and no housemate in the pool when the household rule applies)
are interchangeable, so the integer program counts people per *type*: a committee is a vector
of how many of each type sit on it. Large pools then stay small programs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from numpy.typing import NDArray

Progress = Callable[[float, str], None]


class SortitionInputError(ValueError):
    """Bad input, worded for whoever prepared it: one line, `FILE:LINE: what; how to fix it`."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(" ".join(f"{where}: {problem}".split()))


@dataclass(frozen=True)
class Quota:
    feature: str
    value: str
    min: int
    max: int
    line: int | None = None  # where it was read from, for messages

    @property
    def label(self) -> str:
        return f"'{self.feature} {self.value}'"


@dataclass(frozen=True)
class Quotas:
    quotas: tuple[Quota, ...]
    source: str = "quotas"

    def features(self) -> dict[str, list[str]]:
        """Feature -> its values, in file order."""
        out: dict[str, list[str]] = {}
        for q in self.quotas:
            out.setdefault(q.feature, []).append(q.value)
        return out

    def find(self, feature: str, value: str) -> Quota:
        return next(q for q in self.quotas if (q.feature, q.value) == (feature, value))


@dataclass(frozen=True)
class Person:
    id: str
    features: Mapping[str, str]
    household: str | None = None  # address key; None means nobody shares it
    line: int | None = None


@dataclass(frozen=True)
class Pool:
    people: tuple[Person, ...]
    source: str = "pool"


@dataclass(frozen=True)
class Committee:
    members: tuple[str, ...]  # person ids, sorted
    weight: float


@dataclass(frozen=True)
class Selection:
    algorithm: str
    panel: tuple[str, ...]  # person ids, sorted
    probabilities: dict[str, float]  # every person in the pool
    committees: tuple[Committee, ...]  # canonical order (see sortition_draw)
    seed: str
    seed_commitment: str
    households: bool = False
    stages: int = 0  # LEXIMIN stages (how many distinct probability levels were fixed)
    extras: dict[str, float] = field(default_factory=dict)

    @property
    def min_probability(self) -> float:
        return min(self.probabilities.values())


def check(pool: Pool, quotas: Quotas, size: int) -> None:
    """Every problem that can be seen without solving anything, first one raised."""
    src = quotas.source
    if size < 1:
        raise SortitionInputError(src, None, f"a panel of {size} people cannot be drawn; "
                                  "give a panel size of at least 1")
    if not quotas.quotas:
        raise SortitionInputError(src, 1, "there are no quotas; give at least one "
                                  "feature, value, min and max")
    for q in quotas.quotas:
        if q.min < 0 or q.max < 0:
            raise SortitionInputError(src, q.line, f"{q.label} has a negative min or max; give "
                                      "whole numbers of 0 or more")
        if q.min > q.max:
            raise SortitionInputError(src, q.line, f"{q.label} has min {q.min} above max "
                                      f"{q.max}; lower the min or raise the max")
    for feature, values in quotas.features().items():
        rows = [quotas.find(feature, v) for v in values]
        lo, hi = sum(q.min for q in rows), sum(q.max for q in rows)
        if lo > size:
            raise SortitionInputError(src, rows[0].line, f"the mins of '{feature}' add up to "
                                      f"{lo}, more than the panel of {size}; lower them to a "
                                      f"total of at most {size}")
        if hi < size:
            raise SortitionInputError(src, rows[0].line, f"the maxes of '{feature}' add up to "
                                      f"{hi}, fewer than the panel of {size}; raise them to a "
                                      f"total of at least {size}")
    if len(pool.people) < size:
        raise SortitionInputError(pool.source, 1, f"the pool has {len(pool.people)} people, "
                                  f"fewer than the panel of {size}; recruit more volunteers "
                                  "or choose a smaller panel")
    known = {(q.feature, q.value) for q in quotas.quotas}
    seen: set[str] = set()
    for p in pool.people:
        if p.id in seen:
            raise SortitionInputError(pool.source, p.line, f"person '{p.id}' appears twice; "
                                      "give every person a unique id")
        seen.add(p.id)
        for feature in quotas.features():
            value = p.features.get(feature)
            if value is None:
                raise SortitionInputError(pool.source, p.line, f"person '{p.id}' has no "
                                          f"'{feature}'; give every person a value for it")
            if (feature, value) not in known:
                allowed = ", ".join(quotas.features()[feature])
                raise SortitionInputError(pool.source, p.line, f"person '{p.id}' has "
                                          f"'{feature}' = '{value}', which is not in the "
                                          f"categories ({allowed}); correct the value or add "
                                          "it to the categories")


@dataclass(frozen=True)
class Types:
    """People grouped into interchangeable types, in a deterministic order."""

    members: tuple[tuple[int, ...], ...]  # person indexes of each type
    counts: NDArray[np.float64]  # people per type
    values: NDArray[np.float64]  # quota rows x types: 1 where the type has the value
    households: tuple[tuple[int, ...], ...]  # type indexes sharing an address (each type size 1)


def group_types(pool: Pool, quotas: Quotas, *, households: bool, by_person: bool = False) -> Types:
    """Types of interchangeable people (every person its own type if `by_person`)."""
    names = list(quotas.features())
    homes: dict[str, list[int]] = {}
    if households:
        for i, p in enumerate(pool.people):
            if p.household is not None:
                homes.setdefault(p.household, []).append(i)
    shared = {i for group in homes.values() if len(group) > 1 for i in group}
    keys: dict[tuple[str, ...], list[int]] = {}
    for i, p in enumerate(pool.people):
        key = tuple(p.features[n] for n in names)
        key = (*key, f"#{i}") if by_person or i in shared else key
        keys.setdefault(key, []).append(i)
    members = tuple(tuple(v) for v in keys.values())
    type_of = {i: t for t, group in enumerate(members) for i in group}
    values = np.zeros((len(quotas.quotas), len(members)))
    row = {(q.feature, q.value): r for r, q in enumerate(quotas.quotas)}
    for t, group in enumerate(members):
        p = pool.people[group[0]]
        for n in names:
            values[row[(n, p.features[n])], t] = 1
    houses = tuple(tuple(type_of[i] for i in g) for g in homes.values() if len(g) > 1)
    return Types(members, np.array([len(m) for m in members], dtype=float), values, houses)


def new_highs() -> highspy.Highs:
    """A silent single-threaded HiGHS (the machine is shared; our models are small)."""
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.silent()
    h.setOptionValue("threads", 1)
    return h


class CommitteeProgram:
    """The integer program whose solutions are the panels meeting every quota: x_t people of
    type t, 0 <= x_t <= n_t, sum x = size, min_q <= sum of x over value q <= max_q, at most
    one person per shared address. One HiGHS model, re-solved with new objectives or bounds."""

    def __init__(self, types: Types, quotas: Quotas, size: int,
                 relax: Sequence[tuple[float, float]] | None = None) -> None:
        self.types, self.size = types, size
        n = len(types.counts)
        self.h = new_highs()
        self.h.setOptionValue("mip_rel_gap", 1e-9)
        self.h.setOptionValue("mip_abs_gap", 1e-8)
        inf = highspy.kHighsInf
        for t in range(n):
            self.h.addCol(0.0, 0.0, float(types.counts[t]), 0, np.array([], dtype=np.int32),
                          np.array([], dtype=np.float64))
        self.h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                     np.full(n, highspy.HighsVarType.kInteger))
        idx = np.arange(n, dtype=np.int32)
        self.h.addRow(size, size, n, idx, np.ones(n))
        self.quota_rows: list[int] = []
        self.lo, self.hi = np.zeros(len(quotas.quotas)), np.zeros(len(quotas.quotas))
        for r, q in enumerate(quotas.quotas):
            cols = np.flatnonzero(types.values[r]).astype(np.int32)
            lo, hi = (float(q.min), float(q.max)) if relax is None else relax[r]
            self.lo[r], self.hi[r] = lo, hi
            self.h.addRow(lo, hi, len(cols), cols, np.ones(len(cols)))
            self.quota_rows.append(1 + r)
        for house in types.households:
            cols = np.array(house, dtype=np.int32)
            self.h.addRow(-inf, 1.0, len(cols), cols, np.ones(len(cols)))
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self._relaxed: highspy.Highs | None = None

    def _relaxation(self, weights: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
        """The linear relaxation's optimum (warm-started from the last one) and its value, an
        upper bound on every committee's."""
        n = len(weights)
        if self._relaxed is None:
            self._relaxed = new_highs()
            self._relaxed.passModel(self.h.getModel())
            self._relaxed.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                                np.full(n, highspy.HighsVarType.kContinuous))
            self._relaxed.setOptionValue("presolve", "off")
            self._relaxed.setOptionValue("simplex_strategy", 4)  # primal: only costs change
        self._relaxed.changeColsCost(n, np.arange(n, dtype=np.int32), weights)
        self._relaxed.run()
        x = np.asarray(self._relaxed.getSolution().col_value[:n])
        return x, float(self._relaxed.getObjectiveValue())

    def price(self, weights: NDArray[np.float64], beat: float, *, quick_gap: float = 0.02,
              ) -> tuple[NDArray[np.float64] | None, float]:
        """A committee worth more than `beat` at these weights if there is one, else None; and
        an upper bound on what any committee is worth. The linear relaxation answers first
        (it often certifies there is none, or is itself whole); then a quick, then an exact
        integer solve."""
        x, upper = self._relaxation(weights)
        if upper <= beat:
            return None, upper
        if np.abs(x - np.round(x)).max() < 1e-9:
            return np.round(x), upper
        # First stop at any committee worth more than `beat`, then search exhaustively.
        self.h.setOptionValue("objective_target", beat + 1e-9)
        found = self.best(weights, gap=quick_gap)
        self.h.setOptionValue("objective_target", -highspy.kHighsInf)
        assert found is not None  # the relaxation was feasible, and so are panels
        if float(weights @ found[0]) > beat:
            return found[0], upper
        found = self.best(weights, gap=1e-7)  # proves no committee beats `beat` by 1e-7
        assert found is not None
        upper = min(upper, found[1])
        return (found[0] if float(weights @ found[0]) > beat else None), upper

    def best(self, weights: NDArray[np.float64], *, gap: float = 1e-9,
             ) -> tuple[NDArray[np.float64], float] | None:
        """The committee maximising sum(weights * x) (within relative `gap`) and an upper
        bound on that maximum, or None if no committee meets the quotas."""
        n = len(weights)
        self.h.setOptionValue("mip_rel_gap", gap)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(weights, dtype=float))
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kObjectiveTarget:  # stopped early, no bound
            return np.round(np.asarray(self.h.getSolution().col_value[:n])), np.inf
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.round(np.asarray(self.h.getSolution().col_value[:n]))
        bound = self.h.getInfo().mip_dual_bound
        value = float(weights @ x)
        return x, max(value, float(bound) if np.isfinite(bound) else value)

    def feasible(self) -> bool:
        return self.best(np.zeros(len(self.types.counts))) is not None

    def set_quota_bounds(self, r: int, lo: float, hi: float) -> None:
        self.lo[r], self.hi[r] = lo, hi
        self.h.changeRowBounds(self.quota_rows[r], lo, hi)

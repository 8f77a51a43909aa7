"""A fast heuristic for the committee pricing problem: local search by swaps.

Column generation needs, again and again, a committee worth more than the current dual at
given per-person prices. Most of the time one is found next to a committee already known:
swap one person of type a for one of type b, keeping every quota (and the household rule).
This module does that search with NumPy in milliseconds; the exact integer program
(CommitteeProgram) is only needed when it finds nothing, to prove that nothing exists.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from powershift.methods.sortition_model import Types


class SwapSearch:
    """Best-improvement local search over single swaps between types.

    A swap of one person of type a for one of type b changes, for each feature where their
    values differ, one count down and another up; it keeps the quotas unless one of those
    counts sits at its bound. So with a bit per feature, "where a and b differ" (cached per
    type) and "where a's value cannot lose one or b's cannot gain one" (per step), a whole
    block of candidate swaps is checked with one AND."""

    def __init__(self, types: Types, lo: NDArray[np.float64], hi: NDArray[np.float64]) -> None:
        self.counts = types.counts
        self.values = types.values  # quota rows x types
        self.lo, self.hi = lo, hi
        # Row of each type's value, feature by feature (features x types): each type has
        # exactly one value per feature.
        rows = [np.flatnonzero(types.values[:, t]) for t in range(len(types.counts))]
        self.rows = np.array(rows, dtype=np.intp).T
        self.bits = (np.uint64(1) << np.arange(self.rows.shape[0], dtype=np.uint64))[:, None]
        self._differ: dict[int, NDArray[np.uint64]] = {}
        self.house = np.full(len(types.counts), -1, dtype=np.intp)
        for h, members in enumerate(types.households):
            self.house[list(members)] = h
        self.houses = len(types.households)

    def differ(self, a: int) -> NDArray[np.uint64]:
        """Bit f set where type a's value of feature f differs from each type's."""
        if a not in self._differ:
            unequal = self.rows != self.rows[:, a:a + 1]
            self._differ[a] = self._pack(unequal)
        return self._differ[a]

    def _pack(self, flags: NDArray[np.bool_]) -> NDArray[np.uint64]:
        """Features x types flags as one bit mask per type."""
        packed: NDArray[np.uint64] = np.bitwise_or.reduce(np.where(flags, self.bits, 0), axis=0)
        return packed

    def _mask(self, ok: NDArray[np.bool_], types: NDArray[np.intp]) -> NDArray[np.uint64]:
        """Bit f set where the type's value of feature f is not `ok` to change."""
        return self._pack(~ok[self.rows[:, types]])

    def improve(self, x: NDArray[np.float64], weights: NDArray[np.float64],
                *, steps: int = 200) -> NDArray[np.float64]:
        """A committee at least as valuable as `x` (a panel meeting every quota), reached by
        improving swaps until none is left (or `steps` were made)."""
        x = x.copy()
        filled = self.values @ x
        for _ in range(steps):
            out = np.flatnonzero(x > 0)
            into = np.flatnonzero((x < self.counts) & (weights > weights[out].min() + 1e-12))
            if len(into) == 0:
                break
            gain = weights[into][None, :] - weights[out][:, None]
            stuck = (self._mask(filled - 1 >= self.lo - 1e-9, out)[:, None]
                     | self._mask(filled + 1 <= self.hi + 1e-9, into)[None, :])
            differ = np.array([self.differ(int(a)) for a in out])[:, into]
            ok = (gain > 1e-12) & ((differ & stuck) == 0)
            if self.houses:
                held = (x > 0) & (self.house >= 0)
                home = np.bincount(self.house[held], weights=x[held], minlength=self.houses)
                hb = self.house[into]
                busy = np.where(hb >= 0, home[np.maximum(hb, 0)], 0.0)
                same = (self.house[out][:, None] == hb[None, :]) & (hb[None, :] >= 0)
                ok &= (busy[None, :] - same) < 0.5
            if not ok.any():
                break
            k = int(np.argmax(np.where(ok, gain, -np.inf)))
            a, b = out[k // len(into)], into[k % len(into)]
            x[a] -= 1
            x[b] += 1
            filled += self.values[:, b] - self.values[:, a]
        return x

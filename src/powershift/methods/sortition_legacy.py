"""The legacy greedy draw, fast and unfair: seat one person at a time from the quota furthest
from its minimum (relative to the volunteers left who could fill it), dropping whoever would
break a maximum or share a seated person's address; start again if it gets stuck.

Its selection probabilities have no formula, so they are estimated: `samples` independent
draws (seeds derived from the draw seed) make an empirical distribution over panels, and the
published panel is drawn from it by the same verifiable rule as LEXIMIN's.
"""

from __future__ import annotations

import hashlib

import numpy as np

from powershift.methods.sortition_model import Pool, Progress, Quotas

SAMPLES = 400
ATTEMPTS = 100


def _rng(seed: str, k: int) -> np.random.Generator:
    digest = hashlib.sha256(f"powershift-legacy:{k}:{seed}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def _one(has: np.ndarray, lo: np.ndarray, hi: np.ndarray, homes: np.ndarray, size: int,
         rng: np.random.Generator) -> list[int] | None:
    """One greedy attempt; `has` is people x quotas (bool)."""
    alive = np.ones(len(has), dtype=bool)
    seated = np.zeros(len(lo), dtype=int)
    chosen: list[int] = []
    for _ in range(size):
        if not alive.any():
            return None
        available = has[alive].sum(axis=0)
        need = np.where(seated < lo, (lo - seated) / np.maximum(available, 1e-9), -1.0)
        if need.max() > 0:
            candidates = np.flatnonzero(alive & has[:, int(np.argmax(need))])
        else:
            candidates = np.flatnonzero(alive)
        if len(candidates) == 0:
            return None
        person = int(rng.choice(candidates))
        chosen.append(person)
        seated += has[person]
        alive[person] = False
        full = seated >= hi
        if full.any():
            alive &= ~has[:, full].any(axis=1)
        if homes[person] >= 0:
            alive &= homes != homes[person]
    return chosen if ((seated >= lo) & (seated <= hi)).all() else None


def legacy_distribution(pool: Pool, quotas: Quotas, size: int, *, households: bool, seed: str,
                        progress: Progress, samples: int = SAMPLES) -> list[tuple[list[str], float]]:
    """`samples` greedy panels, each weighted 1/samples."""
    from powershift.methods.sortition_infeasible import explain_infeasible

    has = np.array([[p.features.get(q.feature) == q.value for q in quotas.quotas]
                    for p in pool.people], dtype=bool)
    lo = np.array([q.min for q in quotas.quotas])
    hi = np.array([q.max for q in quotas.quotas])
    keys: dict[str, int] = {}
    homes = np.array([keys.setdefault(p.household, len(keys)) if households and p.household
                      else -1 for p in pool.people])
    ids = [p.id for p in pool.people]
    panels: list[tuple[list[str], float]] = []
    for k in range(samples):
        rng = _rng(seed, k)
        for _ in range(ATTEMPTS):
            panel = _one(has, lo, hi, homes, size, rng)
            if panel is not None:
                panels.append(([ids[i] for i in panel], 1.0 / samples))
                break
        else:
            problem = explain_infeasible(pool, quotas, size, households=households)
            if problem is not None:
                raise problem
            raise RuntimeError(f"the legacy draw failed {ATTEMPTS} times in a row; "
                               "use --algorithm leximin, which always finds a panel")
        if k % 50 == 0:
            progress(k / samples, f"legacy draw {k} of {samples}")
    return panels

"""Deterministic synthetic volunteer pools in the Sortition Foundation's CSV layout.

A population is drawn with correlated features (one latent "life stage" and one "advantage"
factor drive age, education, tenure, work and more), volunteers self-select with a skew (older,
more educated and home-owning people answer more often), and some volunteers share an address
with another (households). Quotas are the population's shares of the panel, +-1 seat.

    python tests/data/sortition/make_pools.py OUT_DIR NAME POOL PANEL FEATURES SEED

writes OUT_DIR/NAME/categories.csv, people.csv and panel_size.txt. `instances()` lists what the
tests and the benchmark use.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import numpy as np

# feature: (values, population shares); the order of FEATURES is the order features are added.
FEATURES: list[tuple[str, list[str], list[float]]] = [
    ("gender", ["Female", "Male", "Non-binary or other"], [0.505, 0.48, 0.015]),
    ("age", ["16-24", "25-34", "35-49", "50-64", "65+"], [0.14, 0.18, 0.25, 0.23, 0.20]),
    ("education", ["None", "Level 1-2", "Level 3", "Level 4+"], [0.18, 0.30, 0.20, 0.32]),
    ("area", ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport",
              "Tameside", "Trafford", "Wigan"],
     [0.104, 0.068, 0.194, 0.085, 0.080, 0.095, 0.105, 0.082, 0.084, 0.118]),
    ("ethnicity", ["White", "Asian", "Black", "Mixed or other"], [0.74, 0.15, 0.06, 0.05]),
    ("tenure", ["Owner", "Social rent", "Private rent"], [0.58, 0.20, 0.22]),
    ("disability", ["Yes", "No"], [0.22, 0.78]),
]
# How strongly (life stage, advantage) tilt each feature's values, value by value.
_TILT: dict[str, list[tuple[float, float]]] = {
    "age": [(-1.5, 0), (-0.7, 0), (0, 0), (0.7, 0), (1.5, 0)],
    "education": [(0.6, -1.2), (0.2, -0.4), (-0.2, 0.3), (-0.3, 1.0)],
    "tenure": [(0.8, 0.8), (0, -0.9), (-0.8, -0.1)],
    "disability": [(0.6, -0.3), (-0.2, 0.1)],
    "ethnicity": [(0.3, 0), (-0.3, 0), (-0.4, 0), (-0.5, 0)],
}
# Self-selection: log-odds of volunteering by value (older, educated, owners answer more).
_SKEW: dict[str, list[float]] = {
    "age": [-0.7, -0.4, 0, 0.3, 0.5],
    "education": [-0.8, -0.3, 0, 0.6],
    "tenure": [0.3, -0.4, -0.2],
    "ethnicity": [0, -0.3, -0.4, -0.2],
}


def _draw(rng: np.random.Generator, name: str, shares: list[float], latent: np.ndarray) -> np.ndarray:
    """Value indexes for each person: shares tilted by the latent factors (softmax)."""
    base = np.log(np.asarray(shares))
    tilt = np.asarray(_TILT.get(name, [(0.0, 0.0)] * len(shares)))
    logits = base[None, :] + latent @ tilt.T
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random(len(latent))[:, None]
    return (p.cumsum(axis=1) < u).sum(axis=1).clip(0, len(shares) - 1)


def make(out: Path, pool: int, panel: int, n_features: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    features = FEATURES[:n_features]
    population = pool * 15
    latent = rng.standard_normal((population, 2))
    values = {name: _draw(rng, name, shares, latent) for name, _, shares in features}
    logit = np.full(population, -2.5)
    for name, skew in _SKEW.items():
        if name in values:
            logit += np.asarray(skew)[values[name]]
    weight = 1 / (1 + np.exp(-logit))
    chosen = np.sort(rng.choice(population, size=pool, replace=False, p=weight / weight.sum()))
    # Households: about 12% of volunteers live with another volunteer of the same area.
    address = np.arange(pool)
    sharers = rng.choice(pool, size=int(pool * 0.12) // 2 * 2, replace=False)
    for a, b in sharers.reshape(-1, 2):
        address[b] = address[a]
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "categories.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["feature", "value", "min", "max"])
        for name, names, shares in features:
            counts = np.bincount(values[name][chosen], minlength=len(names))
            for i, value in enumerate(names):
                target = shares[i] * panel
                lo = max(0, min(math.floor(target) - 1, int(counts[i]) // 2))
                w.writerow([name, value, lo, math.ceil(target) + 1])
    with open(out / "people.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "address", "postcode", *[name for name, _, _ in features]])
        for row, person in enumerate(chosen):
            home = int(address[row])
            w.writerow([f"v{row + 1:05d}", f"{home + 1} Example Street", f"M{home % 60 + 1} 1AA",
                        *[names[values[name][person]] for name, names, _ in features]])
    (out / "panel_size.txt").write_text(f"{panel}\n")


# name: (pool, panel, features, seed); the first ones are committed for the tests, the big
# ones are made outside the repository for the benchmark.
INSTANCES: dict[str, tuple[int, int, int, int]] = {
    "synth_200_20_4": (200, 20, 4, 1),
    "synth_300_30_5": (300, 30, 5, 2),
    "synth_200_60_6": (200, 60, 6, 3),
    "synth_1000_60_5": (1000, 60, 5, 4),
    "synth_2000_110_7": (2000, 110, 7, 5),
}


if __name__ == "__main__":
    if len(sys.argv) == 3:
        for name, spec in INSTANCES.items():
            if name == sys.argv[2] or sys.argv[2] == "all":
                make(Path(sys.argv[1]) / name, *spec)
    else:
        out, name, *numbers = sys.argv[1:]
        make(Path(out) / name, *(int(n) for n in numbers))

"""The wellbeing chart as data for a server-rendered SVG (the page has the same figures as a
table). One line per ONS4 question over time, 0 to 10."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from powershift.methods.wellbeing import ONS4_KEYS

if TYPE_CHECKING:
    from powershift.support.queries import Ons4Row

WIDTH, HEIGHT, PAD = 600, 220, 30
LABELS = {"life_satisfaction": "Life satisfaction", "worthwhile": "Worthwhile",
          "happiness": "Happiness", "anxiety": "Anxiety"}


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: str  # SVG polyline points
    dots: list[tuple[float, float, int]]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: list[Line]
    grid: list[tuple[float, int]]  # (y, rating)
    first: str
    last: str


def ons4_chart(rows: list[Ons4Row]) -> Chart | None:
    if len(rows) < 2:
        return None
    start, end = rows[0].taken_on, rows[-1].taken_on
    span = max(1, (end - start).days)

    def x(i: int) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * (rows[i].taken_on - start).days / span, 1)

    def y(v: int) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / 10, 1)

    lines = []
    for key in ONS4_KEYS:
        dots = [(x(i), y(r.answers[key]), r.answers[key]) for i, r in enumerate(rows)]
        lines.append(Line(key, LABELS[key], " ".join(f"{a},{b}" for a, b, _ in dots), dots))
    grid = [(y(v), v) for v in (0, 5, 10)]
    return Chart(WIDTH, HEIGHT, lines, grid, f"{start:%b %Y}", f"{end:%b %Y}")

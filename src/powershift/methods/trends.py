"""Plain computations for measures and practice: a measure's trend in words, the geometry of a
server-rendered line chart, and a team's self-assessment scores over quarters.

Floats are safe here: these figures are only shown, never counted into a decision.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

HIGHER, LOWER = "higher", "lower"

# The chart's viewBox (SVG units); the SVG is drawn at 100% width, so it scales to a phone.
WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 36, 16, 36  # room for the last x label


@dataclass(frozen=True)
class Trend:
    count: int
    first: float | None
    first_on: dt.date | None
    latest: float | None
    latest_on: dt.date | None
    change: float | None  # latest minus first
    verdict: str  # "better", "worse", "no change" or "" (fewer than two values)


def trend(points: Sequence[tuple[dt.date, float]], better: str) -> Trend:
    """From the first to the latest value, and whether that is better given which way is better."""
    ordered = sorted(points)
    if not ordered:
        return Trend(0, None, None, None, None, None, "")
    (first_on, first), (latest_on, latest) = ordered[0], ordered[-1]
    if len(ordered) < 2:
        return Trend(1, first, first_on, latest, latest_on, None, "")
    change = latest - first
    if math.isclose(change, 0.0, abs_tol=1e-9):
        verdict = "no change"
    elif (change > 0) == (better == HIGHER):
        verdict = "better"
    else:
        verdict = "worse"
    return Trend(len(ordered), first, first_on, latest, latest_on, change, verdict)


@dataclass(frozen=True)
class Tick:
    at: float  # position in SVG units along the axis
    label: str


@dataclass(frozen=True)
class Line:
    label: str
    css: str
    path: str  # an SVG path "M x y L x y ..."
    dots: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Note:
    x: float
    label: str
    number: int  # the note's number, printed on the chart and in the list under it


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the plot's bottom edge
    lines: tuple[Line, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    notes: tuple[Note, ...]


def nice_step(span: float, steps: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `steps` gridlines over `span`."""
    raw = span / steps if span > 1e-9 else 1.0  # a flat or near-flat line: steps of 1
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return float(m * power)
    return float(10 * power)  # pragma: no cover (the loop always returns)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def line_chart(series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
               x_labels: Sequence[tuple[float, str]],
               notes: Sequence[tuple[float, str]] = (),
               y_range: tuple[float, float] | None = None,
               size: tuple[int, int] = (WIDTH, HEIGHT)) -> LineChart | None:
    """Lines through (x, y) points, scaled into the viewBox. `x_labels` are where to put labels
    on the x axis; `notes` are annotations at an x position. None when there is nothing to draw."""
    xs = [x for _, pts in series for x, _ in pts] + [x for x, _ in notes]
    ys = [y for _, pts in series for _, y in pts]
    if not ys:
        return None
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    if y_range is not None:
        y0, y1 = y_range
        step = 1.0
    else:
        low, high = min(0.0, min(ys)), max(ys)
        step = nice_step(high - low)
        y0, y1 = math.floor(low / step) * step, math.ceil(high / step) * step
        if y1 == y0:
            y1 = y0 + step
    width, height = size
    right, bottom = width - RIGHT, height - BOTTOM

    def sx(x: float) -> float:
        return round(LEFT + (x - x0) / (x1 - x0) * (right - LEFT), 1)

    def sy(y: float) -> float:
        return round(bottom - (y - y0) / (y1 - y0) * (bottom - TOP), 1)

    lines = []
    for n, (label, pts) in enumerate(series):
        ordered = sorted(pts)
        dots = tuple((sx(x), sy(y)) for x, y in ordered)
        path = " ".join(f"{'M' if i == 0 else 'L'} {x} {y}" for i, (x, y) in enumerate(dots))
        lines.append(Line(label, f"ps-line--{n % 6}", path, dots))
    y_ticks = []
    value = y0
    while value <= y1 + step / 1000:
        y_ticks.append(Tick(sy(value), _fmt(value)))
        value += step
    return LineChart(
        width, height, LEFT, right, TOP, bottom, tuple(lines),
        tuple(Tick(sx(x), label) for x, label in x_labels if x0 <= x <= x1),
        tuple(y_ticks),
        tuple(Note(sx(x), label, i + 1) for i, (x, label) in enumerate(sorted(notes))))


def month_labels(first: dt.date, last: dt.date, most: int = 6) -> list[tuple[dt.date, str]]:
    """First days of months from `first` to `last`, thinned to at most `most`, as axis labels."""
    months = []
    day = first.replace(day=1)
    if day < first:
        day = (day + dt.timedelta(days=32)).replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    every = max(1, math.ceil(len(months) / most))
    return [(m, m.strftime("%b %Y")) for m in months[::every]]


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"


@dataclass(frozen=True)
class CapabilitySeries:
    capability: int
    scores: tuple[tuple[str, int], ...]  # (quarter label, score), oldest first
    change: int | None  # latest minus the one before, when there are two


def assessment_series(scores: Sequence[tuple[tuple[int, int], int, int]]) -> list[CapabilitySeries]:
    """From (quarter, capability number, score 1 to 5) to one series per capability, quarters
    in order. A capability scored twice in a quarter keeps the later entry in the input."""
    by_capability: dict[int, dict[tuple[int, int], int]] = {}
    for quarter, capability, score in scores:
        if not 1 <= score <= 5:
            raise ValueError(f"score {score} for capability {capability} is not 1 to 5")
        by_capability.setdefault(capability, {})[quarter] = score
    out = []
    for capability in sorted(by_capability):
        quarters = sorted(by_capability[capability].items())
        change = quarters[-1][1] - quarters[-2][1] if len(quarters) > 1 else None
        out.append(CapabilitySeries(capability, tuple((quarter_label(*q), s) for q, s in quarters),
                                    change))
    return out

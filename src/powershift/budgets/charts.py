"""The results chart as data for a server-rendered SVG (the page has the same figures as a table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from powershift.budgets.queries import ResultRow

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 0  # labels sit above the bars so the chart works at 320 px


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width_pct: float  # of the chart's width: supporters relative to the most-supported project
    funded: bool
    supporters: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int


def results_chart(rows: list[ResultRow], budget: int) -> Chart:
    most = max((r.figures["supporters"] for r in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        y = i * (BAR_HEIGHT * 2 + GAP)
        bars.append(Bar(label=f"{row.project.title} ({row.figures['supporters']:,} supporters)",
                        y=y, width_pct=100 * row.figures["supporters"] / most,
                        funded=row.funded, supporters=row.figures["supporters"]))
    return Chart(bars=bars, height=max(1, len(rows)) * (BAR_HEIGHT * 2 + GAP))

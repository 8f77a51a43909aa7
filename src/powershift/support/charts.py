"""The wellbeing chart: one line per ONS4 question over time, 0 to 10, drawn by the shared
line chart (methods.trends.line_chart, rendered by includes/line_chart.html); the page has the same
figures as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from powershift.methods.trends import LineChart, line_chart
from powershift.methods.wellbeing import ONS4_KEYS

if TYPE_CHECKING:
    from powershift.support.queries import Ons4Row

LABELS = {"life_satisfaction": "Life satisfaction", "worthwhile": "Worthwhile",
          "happiness": "Happiness", "anxiety": "Anxiety (lower is better)"}


def ons4_chart(rows: list[Ons4Row]) -> LineChart | None:
    if len(rows) < 2:
        return None
    first, last = rows[0].taken_on, rows[-1].taken_on
    series = [(LABELS[key], [(float(r.taken_on.toordinal()), float(r.answers[key])) for r in rows])
              for key in ONS4_KEYS]
    labels = [(float(first.toordinal()), f"{first:%b %Y}"), (float(last.toordinal()), f"{last:%b %Y}")]
    return line_chart(series, labels, y_range=(0, 10))

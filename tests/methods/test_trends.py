"""Trend summaries, line-chart geometry and self-assessment series (methods/trends.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powershift.methods import trends

D = dt.date


def test_trend_says_better_or_worse_by_which_way_is_better():
    pts = [(D(2026, 3, 1), 20.0), (D(2026, 1, 1), 10.0), (D(2026, 2, 1), 30.0)]
    up = trends.trend(pts, "higher")
    assert (up.first, up.latest, up.change, up.verdict) == (10.0, 20.0, 10.0, "better")
    assert trends.trend(pts, "lower").verdict == "worse"
    assert trends.trend([(D(2026, 1, 1), 5.0), (D(2026, 2, 1), 5.0)], "lower").verdict == "no change"
    assert trends.trend([(D(2026, 1, 1), 5.0)], "higher").verdict == ""
    assert trends.trend([], "higher").count == 0


def test_line_chart_scales_into_the_view_box_with_notes_and_ticks():
    chart = trends.line_chart([("a", [(0.0, 0.0), (10.0, 40.0)])], [(0.0, "Jan"), (10.0, "Feb"), (99.0, "off")],
                              notes=[(5.0, "club opened")])
    assert chart is not None
    line = chart.lines[0]
    assert line.dots[0] == (trends.LEFT, chart.bottom)
    assert line.dots[1][0] == chart.right and line.dots[1][1] == chart.top
    assert line.path.startswith("M ") and " L " in line.path
    assert [t.label for t in chart.x_ticks] == ["Jan", "Feb"]  # labels outside the data are dropped
    assert chart.notes[0].number == 1 and trends.LEFT < chart.notes[0].x < chart.right
    assert chart.y_ticks[0].label == "0" and chart.y_ticks[-1].label == "40"
    assert trends.line_chart([], []) is None


@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=1, max_size=30))
def test_every_point_lands_inside_the_plot(points):
    chart = trends.line_chart([("s", points)], [])
    assert chart is not None
    for x, y in chart.lines[0].dots:
        assert chart.left - 0.1 <= x <= chart.right + 0.1
        assert chart.top - 0.1 <= y <= chart.bottom + 0.1


def test_nice_steps_are_round():
    assert trends.nice_step(100) == 50.0
    assert trends.nice_step(7) == 2.0
    assert trends.nice_step(0) == 1.0


def test_month_labels_are_thinned():
    labels = trends.month_labels(D(2025, 12, 15), D(2026, 11, 15))
    assert labels[0][1] == "Jan 2026" and len(labels) <= 6


def test_assessment_series_orders_quarters_and_gives_the_change():
    rows = [((2026, 2), 6, 3), ((2026, 1), 6, 2), ((2026, 1), 9, 1), ((2026, 2), 9, 3)]
    series = trends.assessment_series(rows)
    assert [s.capability for s in series] == [6, 9]
    assert series[0].scores == (("2026 Q1", 2), ("2026 Q2", 3)) and series[0].change == 1
    assert series[1].change == 2
    with pytest.raises(ValueError, match="not 1 to 5"):
        trends.assessment_series([((2026, 1), 6, 7)])

"""ONS4 bands at every threshold (ONS's published groupings) and the SWEMWBS conversion."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powershift.methods import wellbeing as w


@pytest.mark.parametrize(("rating", "band"), [(0, "low"), (4, "low"), (5, "medium"), (6, "medium"),
                                              (7, "high"), (8, "high"), (9, "very high"), (10, "very high")])
def test_positive_questions_use_ons_thresholds(rating: int, band: str) -> None:
    for key in ("life_satisfaction", "worthwhile", "happiness"):
        assert w.ons4_band(key, rating) == band


@pytest.mark.parametrize(("rating", "band"), [(0, "very low"), (1, "very low"), (2, "low"), (3, "low"),
                                              (4, "medium"), (5, "medium"), (6, "high"), (10, "high")])
def test_anxiety_uses_its_own_thresholds(rating: int, band: str) -> None:
    assert w.ons4_band("anxiety", rating) == band


@pytest.mark.parametrize("bad", [-1, 11, 3.5, "7", None, True])
def test_ratings_outside_0_to_10_are_refused_with_the_field_named(bad: object) -> None:
    answers = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 5, "anxiety": bad}
    with pytest.raises(w.ScoreError) as e:
        w.ons4_answers(answers)
    assert e.value.field == "anxiety"
    assert "0 to 10" in str(e.value)


def test_swemwbs_converts_by_the_published_table() -> None:
    assert w.swemwbs_metric([1] * 7) == 7.00
    assert w.swemwbs_metric([5] * 7) == 35.00
    assert w.swemwbs_metric([3] * 7) == 19.25  # raw 21
    assert w.swemwbs_metric([2] * 7) == 15.32  # raw 14
    assert w.swemwbs_metric([1, 1, 1, 1, 1, 1, 4]) == 12.40  # raw 10
    assert len(w.SWEMWBS_METRIC) == 29 and min(w.SWEMWBS_METRIC) == 7 and max(w.SWEMWBS_METRIC) == 35


@settings(deadline=None)  # the machine is shared; timing is not what is tested
@given(st.lists(st.integers(1, 5), min_size=7, max_size=7))
def test_swemwbs_metric_rises_with_the_raw_score(items: list[int]) -> None:
    raw, metric = w.score(w.SCORINGS["swemwbs"], items)
    assert raw == sum(items)
    assert 7 <= metric <= 35
    if raw < 35:
        assert w.SWEMWBS_METRIC[raw + 1] > metric


def test_swemwbs_needs_seven_items_from_1_to_5() -> None:
    with pytest.raises(w.ScoreError, match="expected 7 answers"):
        w.swemwbs_metric([3] * 6)
    with pytest.raises(w.ScoreError, match="item 3"):
        w.swemwbs_metric([3, 3, 0, 3, 3, 3, 3])

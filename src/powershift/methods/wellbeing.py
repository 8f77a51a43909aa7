"""Scoring outcome measures: ONS4 personal wellbeing and scales scored by a sum of items
(SWEMWBS converted to its metric score). Plain Python, no Django.

ONS4: the Office for National Statistics' four personal wellbeing questions (Open Government
Licence), each answered 0 to 10, grouped by ONS's published thresholds.

SWEMWBS: seven items scored 1 to 5; the raw total (7 to 35) is converted to the metric score by
the published Rasch conversion table (a fact, so it is here). The item wording is licensed and is
never in this code: a licensed organisation enters it itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ONS4_MIN, ONS4_MAX = 0, 10


@dataclass(frozen=True)
class Ons4Question:
    key: str
    text: str
    negative: bool  # anxiety: a higher rating is worse


ONS4_QUESTIONS: tuple[Ons4Question, ...] = (
    Ons4Question("life_satisfaction", "Overall, how satisfied are you with your life nowadays?", False),
    Ons4Question("worthwhile", "Overall, to what extent do you feel that the things you do in your "
                               "life are worthwhile?", False),
    Ons4Question("happiness", "Overall, how happy did you feel yesterday?", False),
    Ons4Question("anxiety", "Overall, how anxious did you feel yesterday?", True),
)
ONS4_KEYS = tuple(q.key for q in ONS4_QUESTIONS)

# ONS thresholds: (lowest rating in the band, band), highest band last.
POSITIVE_BANDS: tuple[tuple[int, str], ...] = ((0, "low"), (5, "medium"), (7, "high"), (9, "very high"))
ANXIETY_BANDS: tuple[tuple[int, str], ...] = ((0, "very low"), (2, "low"), (4, "medium"), (6, "high"))


class ScoreError(ValueError):
    """An answer outside its scale; `field` names the item."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def ons4_band(key: str, rating: int) -> str:
    """ONS's band for one rating: 'low', 'medium', 'high', 'very high' (anxiety: 'very low'..'high')."""
    if key not in ONS4_KEYS:
        raise ScoreError(key, f"{key} is not an ONS4 question")
    check_rating(key, rating, ONS4_MIN, ONS4_MAX)
    bands = ANXIETY_BANDS if key == "anxiety" else POSITIVE_BANDS
    label = bands[0][1]
    for lowest, name in bands:
        if rating >= lowest:
            label = name
    return label


def check_rating(field: str, rating: object, low: int, high: int) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise ScoreError(field, f"{field}: give a whole number from {low} to {high}")
    if not low <= rating <= high:
        raise ScoreError(field, f"{field}: {rating} is outside {low} to {high}; give a whole number "
                                f"from {low} to {high}")
    return rating


def ons4_answers(answers: Mapping[str, object]) -> dict[str, int]:
    """All four ratings checked (0 to 10, whole numbers); raises ScoreError on the first bad one."""
    return {key: check_rating(key, answers.get(key), ONS4_MIN, ONS4_MAX) for key in ONS4_KEYS}


def ons4_bands(answers: Mapping[str, int]) -> dict[str, str]:
    return {key: ons4_band(key, answers[key]) for key in ONS4_KEYS}


# SWEMWBS raw total (7-35) to metric score, as published by Warwick Medical School.
SWEMWBS_METRIC: dict[int, float] = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}


@dataclass(frozen=True)
class Scoring:
    """How a scale is scored: `items` answers from `low` to `high`, summed, then converted."""

    key: str
    items: int
    low: int
    high: int
    conversion: Mapping[int, float] | None = None


SCORINGS: dict[str, Scoring] = {
    "sum": Scoring("sum", 0, 0, 0),  # a template: items and range come from the instrument
    "swemwbs": Scoring("swemwbs", 7, 1, 5, SWEMWBS_METRIC),
}


def score(scoring: Scoring, answers: Sequence[object]) -> tuple[int, float]:
    """(raw total, score): the total of the items, converted when the scale has a table."""
    if len(answers) != scoring.items:
        raise ScoreError("answers", f"answers: expected {scoring.items} answers, got {len(answers)}")
    ratings = [check_rating(f"item {i}", a, scoring.low, scoring.high) for i, a in enumerate(answers, 1)]
    raw = sum(ratings)
    if scoring.conversion is None:
        return raw, float(raw)
    return raw, scoring.conversion[raw]


def swemwbs_metric(answers: Sequence[object]) -> float:
    return score(SCORINGS["swemwbs"], answers)[1]

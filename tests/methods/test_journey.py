"""The 'passed around' summary: agencies, hand-offs, repeated assessments, cost."""

from __future__ import annotations

import datetime as dt

from powershift.methods.journey import Contact, passed_around, unit_cost

TODAY = dt.date(2026, 6, 1)


def _c(days: int, agency: str, kind: str = "appointment", assessment: str = "") -> Contact:
    return Contact(TODAY - dt.timedelta(days=days), agency, kind, assessment)


def test_hand_offs_repeats_and_cost() -> None:
    contacts = [_c(400, "GP", "assessment", "Mental health"), _c(300, "Housing", "assessment", "housing"),
                _c(200, "Housing", "assessment", "Housing "), _c(100, "Mental health team", "assessment",
                                                                 "mental health"),
                _c(50, "GP"), _c(10, "GP", "phone")]
    costs = {("", "appointment"): 4200, ("", "assessment"): 25000, ("GP", "phone"): 1500}
    s = passed_around(contacts, costs, TODAY)
    assert s.agencies == [("GP", 3), ("Housing", 2), ("Mental health team", 1)]
    assert [(h.from_agency, h.to_agency) for h in s.hand_offs] == [
        ("GP", "Housing"), ("Housing", "Mental health team"), ("Mental health team", "GP")]
    # The GP's mental health assessment was over a year ago: only housing repeats in the year.
    assert s.repeated_assessments == [("housing", 2, ["Housing"])]
    assert s.assessments_repeated == 1
    assert s.contacts_last_year == 5
    assert s.cost_pence == 3 * 25000 + 4200 + 1500
    assert s.cost_pounds == "807.00"
    assert s.uncosted == []


def test_missing_unit_costs_are_named_not_guessed() -> None:
    s = passed_around([_c(1, "A", "visit")], {}, TODAY)
    assert s.cost_pence == 0 and s.uncosted == ["visit"]


def test_an_agencys_own_cost_comes_before_the_default() -> None:
    costs = {("", "visit"): 9000, ("Council", "visit"): 12000}
    assert unit_cost(costs, "Council", "visit") == 12000
    assert unit_cost(costs, "GP", "visit") == 9000
    assert unit_cost(costs, "GP", "phone") is None

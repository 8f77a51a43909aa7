"""Official-indicator CSV, measure values and the practice framework data (plain Python)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from powershift.formats import indicators_csv, practice_data
from powershift.formats.measure_values import ValueProblem, parse_value

TODAY = dt.date(2026, 6, 30)
HEADER = "indicator,name,unit,place,date,value\n"


def test_good_rows_are_read_with_months_as_first_days():
    rows, problems = indicators_csv.read(HEADER + "ae-per-1000,A&E per 1000,per 1000,RV-W-MILL,2026-01,31.4\n"
                                         "ae-per-1000,A&E per 1000,per 1000,RV-W-MILL,2026-02-01,\"1,030\"\n",
                                         today=TODAY)
    assert not problems
    assert rows[0].date == dt.date(2026, 1, 1) and rows[0].value == Decimal("31.4") and rows[0].line == 2
    assert rows[1].value == Decimal("1030")


@pytest.mark.parametrize(("row", "field", "words"), [
    ("ae,A&E,,RV-W-MILL,2026-13,3", "date", "is not a date"),
    ("ae,A&E,,RV-W-MILL,2027-01-01,3", "date", "in the future"),
    ("ae,A&E,,RV-W-MILL,2026-02,lots", "value", "is not a number"),
    ("ae,A&E,,RV-W-MILL,2026-02,-4", "value", "out of range"),
    ("ae,A&E,,RV-W-MILL,2026-02,NaN", "value", "is not a number"),
    ("A E!,A&E,,RV-W-MILL,2026-02,3", "indicator", "is not a code"),
    ("ae,,,RV-W-MILL,2026-02,3", "name", "empty"),
    ("ae,A&E,,,2026-02,3", "place", "empty"),
])
def test_each_bad_row_is_named_by_line_and_field(row, field, words):
    rows, problems = indicators_csv.read(HEADER + "ae,A&E,,RV-W-MILL,2026-01,3\n" + row + "\n", today=TODAY)
    assert len(problems) == 1, problems
    assert problems[0].line == 3 and problems[0].field == field and words in problems[0].message
    assert str(problems[0]).startswith(f"indicators.csv:3: {field}: ")


def test_missing_columns_duplicates_and_empty_files():
    assert "missing column value" in str(indicators_csv.read("indicator,name,place,date\n")[1][0])
    _, problems = indicators_csv.read(HEADER + "ae,A,,P,2026-01,1\nae,A,,P,2026-01-01,2\n", today=TODAY)
    assert "already on line 2" in problems[0].message
    assert indicators_csv.read(HEADER, today=TODAY)[1][0].field == "rows"


@pytest.mark.parametrize(("text", "kind", "low", "high", "words"), [
    ("12.5", "whole", 0, 100, "not a whole number"),
    ("abc", "decimal", 0, 100, "not a number"),
    ("101", "percent", 0, 100, "out of range"),
    ("-1", "whole", 0, 100, "out of range"),
    ("", "whole", 0, 100, "Enter a value"),
    ("inf", "decimal", 0, 100, "not a number"),
    ("1.123456", "decimal", 0, 100, "too many decimal places"),
])
def test_values_of_the_wrong_type_or_out_of_range_are_refused(text, kind, low, high, words):
    with pytest.raises(ValueProblem, match=words):
        parse_value(text, kind, Decimal(low), Decimal(high))


def test_good_values():
    assert parse_value("45%", "percent", Decimal(0), Decimal(100)) == Decimal(45)
    assert parse_value("1,200", "whole", Decimal(0), Decimal(3000)) == Decimal(1200)


def test_the_shipped_framework_has_empty_slots_one_to_five_and_the_quoted_checklist():
    data = practice_data.read_framework(
        Path(__file__).resolve().parents[2] / "src/powershift/measures/data/shifting_power.toml")
    assert [c.number for c in data.capabilities] == list(range(1, 11))
    assert all(c.title == "" and c.description == "" for c in data.capabilities[:5])
    assert all(c.title and c.description for c in data.capabilities[5:])
    assert data.capabilities[5].title == "We seek examples of what works"
    groups = {g.group: g for g in data.checklist}
    assert list(groups) == ["people", "communities", "voluntary", "staff", "leaders", "senior_leaders",
                            "commissioners"]
    assert "will never be put in the 'too difficult' box" in groups["people"].items
    assert len(data.cards) == 20 and {c.capability for c in data.cards} == {6, 7, 8, 9, 10}


def test_a_deck_from_csv_is_checked_row_by_row():
    cards = practice_data.read_deck_csv("capability,title,task\n6,Listen,Ask one person\n")
    assert cards == [practice_data.CardText(6, "Listen", "Ask one person")]
    with pytest.raises(practice_data.PracticeDataError, match=r"deck.csv:3: capability 11 is out of range"):
        practice_data.read_deck_csv("capability,title,task\n6,A,B\n11,C,D\n")
    with pytest.raises(practice_data.PracticeDataError, match=r"deck.csv:2: capability 'six' is not a number"):
        practice_data.read_deck_csv("capability,title,task\nsix,A,B\n")
    with pytest.raises(practice_data.PracticeDataError, match="missing column task"):
        practice_data.read_deck_csv("capability,title\n6,A\n")
    with pytest.raises(practice_data.PracticeDataError, match="needs a title and a task"):
        practice_data.read_deck_csv("capability,title,task\n6,,B\n")

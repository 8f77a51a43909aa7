"""Official indicators (A&E attendances per 1,000, GP visits per 1,000...) from CSV, to sit
beside the measures communities keep.

Columns (header row first, any order): `indicator` (a short code, e.g. `ae-per-1000`), `name`
(the indicator's name in words), `unit` (optional, e.g. "per 1,000 people"), `place` (a place
code), `date` (YYYY-MM-DD, or YYYY-MM for a month, taken as its first day) and `value` (a number,
0 or more: official indicators here are counts and rates). Every row is checked; problems are
collected as `FILE:LINE: field: what is wrong; how to fix it`, so nothing is imported from a file
with any bad row. Place codes are checked by the caller, which knows the places.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

COLUMNS = ("indicator", "name", "place", "date", "value")
OPTIONAL = ("unit",)
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
MONTH = re.compile(r"^\d{4}-\d{2}$")
MAX_VALUE = Decimal("1e12")


@dataclass(frozen=True)
class IndicatorRow:
    line: int
    indicator: str
    name: str
    unit: str
    place: str
    date: dt.date
    value: Decimal


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.message}"


def parse_date(text: str) -> dt.date:
    text = text.strip()
    if MONTH.match(text):
        text += "-01"
    return dt.date.fromisoformat(text)


def read(text: str, *, source: str = "indicators.csv",
         today: dt.date | None = None) -> tuple[list[IndicatorRow], list[Problem]]:
    """The rows, and every problem found (an empty list when all rows are good)."""
    today = today or dt.date.today()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [Problem(source, 1, "header", f"missing column {', '.join(missing)}; the header "
                            f"needs {','.join(COLUMNS)} (and optionally unit)")]
    rows: list[IndicatorRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for raw in reader:
        line = reader.line_num
        r = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}

        def bad(field: str, message: str, line: int = line) -> None:
            problems.append(Problem(source, line, field, message))

        code = r.get("indicator", "").lower()
        if not CODE.match(code):
            bad("indicator", f"'{r.get('indicator', '')}' is not a code; use lower-case letters, "
                "digits and dashes, e.g. ae-per-1000")
        if not r.get("name"):
            bad("name", "empty; give the indicator's name in words")
        if not r.get("place"):
            bad("place", "empty; give the place's code, e.g. RV-W-MILL")
        try:
            day = parse_date(r.get("date", ""))
            if day > today:
                bad("date", f"{day.isoformat()} is in the future; check the year")
        except ValueError:
            day = None
            bad("date", f"'{r.get('date', '')}' is not a date; write YYYY-MM-DD or YYYY-MM")
        try:
            value = Decimal(r.get("value", "").replace(",", ""))
            if not value.is_finite() or math.isnan(float(value)):
                raise InvalidOperation
            if value < 0 or value > MAX_VALUE:
                bad("value", f"{value} is out of range; official indicators here are 0 or more")
        except InvalidOperation:
            value = None
            bad("value", f"'{r.get('value', '')}' is not a number; write digits, e.g. 31.4")
        if day is not None and value is not None and CODE.match(code) and r.get("place"):
            key = (code, r["place"], day)
            if key in seen:
                bad("date", f"{code} for {r['place']} on {day.isoformat()} is already on line "
                    f"{seen[key]}; keep one value per indicator, place and date")
            seen[key] = line
            rows.append(IndicatorRow(line, code, r.get("name", ""), r.get("unit", ""), r["place"],
                                     day, value))
    if not rows and not problems:
        problems.append(Problem(source, 1, "rows", "no rows under the header; add one row per value"))
    return rows, problems

"""Reading one value typed for a measure: the type and range checks, with a message that says
what to write instead. Plain Python, shared by the forms and the importers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

WHOLE, DECIMAL, PERCENT = "whole", "decimal", "percent"


class ValueProblem(ValueError):
    pass


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


def parse_value(text: str | Decimal | int | float, value_type: str, low: Decimal, high: Decimal) -> Decimal:
    """The value as a Decimal, or ValueProblem saying why it is not one this measure takes."""
    raw = str(text).strip().replace(",", "")
    if value_type == PERCENT:
        raw = raw.removesuffix("%").strip()
    if not raw:
        raise ValueProblem("Enter a value")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueProblem(f"'{text}' is not a number; write digits, for example 12") from None
    if not value.is_finite():
        raise ValueProblem(f"'{text}' is not a number; write digits, for example 12")
    if value_type == WHOLE and value != value.to_integral_value():
        raise ValueProblem(f"{_plain(value)} is not a whole number; this measure counts whole "
                           "things, for example 12")
    if not low <= value <= high:
        raise ValueProblem(f"{_plain(value)} is out of range; this measure takes values from "
                           f"{_plain(low)} to {_plain(high)}")
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueProblem(f"{_plain(value)} has too many decimal places; use 4 at most")
    return value

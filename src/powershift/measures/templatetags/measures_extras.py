"""Numbers as people write them: 71.9, not 71.90; 462, not 462.0000."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def plain(value: object) -> str:
    """Up to two decimal places, trailing zeros dropped (exports keep every digit)."""
    if value is None or value == "":
        return ""
    try:
        number = round(Decimal(str(value)), 2).normalize()
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number:,f}"


@register.filter
def get(mapping: object, key: object) -> object:
    """mapping[key], or None: for dicts keyed by number (capabilities by their number)."""
    return mapping.get(key) if isinstance(mapping, dict) else None

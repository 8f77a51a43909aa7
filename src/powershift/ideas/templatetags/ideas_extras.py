"""Small filters for the Ideas Shop report."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * float(value))}%"


@register.filter
def subtract(value: int, other: int) -> int:
    return int(value) - int(other)


@register.filter
def group_label(group_id: str, analysis: dict[str, Any]) -> str:
    labels = {str(g["id"]): g["label"] for g in analysis.get("groups", [])}
    return labels.get(str(group_id), str(group_id))

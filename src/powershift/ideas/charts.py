"""The opinion map as data for a server-rendered SVG (the report has a table equivalent)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SIZE = 300  # the map's square viewBox, in SVG units
MARGIN = 12


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    group: str  # the group's letter, or "" for people not yet in a group


@dataclass(frozen=True)
class OpinionMap:
    dots: list[Dot]
    size: int


def opinion_map(analysis: dict[str, Any]) -> OpinionMap | None:
    points = analysis.get("map") or []
    if not points:
        return None
    labels = {g["id"]: g["label"] for g in analysis.get("groups", [])}
    xs, ys = [p["x"] for p in points], [p["y"] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (SIZE - 2 * MARGIN) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    dots = [Dot(round(SIZE / 2 + (p["x"] - cx) * scale, 1), round(SIZE / 2 - (p["y"] - cy) * scale, 1),
                labels.get(p["group"], "")) for p in points]
    return OpinionMap(dots=dots, size=SIZE)

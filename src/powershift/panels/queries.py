"""Reads for panel pages: the pool against the quotas, and each group's chance in the draw."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from powershift.panels.models import Panel, Volunteer, VolunteerStatus


def panels() -> QuerySet[Panel]:
    return Panel.objects.select_related("place").order_by("-created_at", "id")


@dataclass(frozen=True)
class GroupRow:
    feature: str
    value: str
    min: int
    max: int
    census_pct: float | None
    census_seats: float | None  # the census share of the panel's seats
    in_pool: int
    on_panel: int
    chance_pct: float | None  # mean selection probability of the group's volunteers


def groups(panel: Panel) -> list[GroupRow]:
    people = list(panel.volunteers.values_list("features", "status", "probability"))
    on = {VolunteerStatus.SELECTED, VolunteerStatus.ACCEPTED}
    rows = []
    for q in panel.quotas.all():
        members = [(s, p) for f, s, p in people if f.get(q.feature) == q.value]
        chances = [p for _s, p in members if p is not None]
        rows.append(GroupRow(
            q.feature, q.value, q.min, q.max,
            None if q.census_share is None else round(100 * q.census_share, 1),
            None if q.census_share is None else round(q.census_share * panel.size, 1),
            len(members), sum(1 for s, _p in members if s in on),
            round(100 * sum(chances) / len(chances), 1) if chances and panel.seed_revealed else None))
    return rows


def panel_members(panel: Panel) -> QuerySet[Volunteer]:
    return panel.volunteers.filter(status__in=[VolunteerStatus.SELECTED, VolunteerStatus.ACCEPTED,
                                               VolunteerStatus.DECLINED]).order_by("id")

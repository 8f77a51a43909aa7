"""Reads for measures, stories and practice, with permission filters applied.

Nothing here ranks places or people by a measure: lists of places are in name order and a
place's measures are in title order, whatever their values (a test holds us to it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from powershift.core.models import Place, User
from powershift.formats import practice_data
from powershift.measures.models import (
    Deck,
    Framework,
    Indicator,
    IndicatorValue,
    LogEntry,
    Measure,
    Observation,
    Pin,
    Score,
    Story,
    StoryStatus,
    Team,
)
from powershift.methods import trends

DATA = Path(__file__).resolve().parent / "data" / "shifting_power.toml"


@lru_cache(maxsize=1)
def shipped() -> practice_data.Framework:
    return practice_data.read_framework(DATA)


def checklist_sizes() -> dict[str, int]:
    return {g.group: len(g.items) for g in shipped().checklist}


def current_framework() -> Framework:
    """The latest version of the framework; the shipped one is installed on first use."""
    fw = Framework.objects.order_by("-version", "-id").first()
    if fw is None:
        from powershift.measures.actions import install_starter

        fw, _deck = install_starter(shipped())
    return fw


def decks_for(team: Team) -> QuerySet[Deck]:
    current_framework()  # makes sure the starter deck exists
    return Deck.objects.filter(Q(team=None) | Q(team=team)).annotate(size=Count("cards")).order_by("team", "name")


# Measures ------------------------------------------------------------------------------------

def points(measure: Measure) -> list[tuple[dt.date, float]]:
    return [(d, float(v)) for d, v in measure.observations.order_by("observed_on", "id")
            .values_list("observed_on", "value")]


def indicator_points(indicator: Indicator, place: Place) -> list[tuple[dt.date, float]]:
    return [(d, float(v)) for d, v in IndicatorValue.objects.filter(indicator=indicator, place=place)
            .order_by("on").values_list("on", "value")]


def chart(series: list[tuple[str, list[tuple[dt.date, float]]]],
          notes: list[tuple[dt.date, str]] = ()) -> trends.LineChart | None:  # type: ignore[assignment]
    days = [d for _, pts in series for d, _ in pts] + [d for d, _ in notes]
    if not days:
        return None
    labels = trends.month_labels(min(days), max(days))
    return trends.line_chart(
        [(label, [(d.toordinal(), v) for d, v in pts]) for label, pts in series],
        [(d.toordinal(), text) for d, text in labels],
        [(d.toordinal(), text) for d, text in notes])


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    trend: trends.Trend


def measures_by_place(status: str | None = None) -> list[tuple[Place, list[MeasureRow]]]:
    """Every place with measures, in name order; its measures in title order."""
    qs = Measure.objects.select_related("place").prefetch_related(
        Prefetch("observations", queryset=Observation.objects.order_by("observed_on", "id")))
    if status:
        qs = qs.filter(status=status)
    grouped: dict[int, tuple[Place, list[MeasureRow]]] = {}
    for m in qs.order_by("place__name", "title", "id"):
        pts = [(o.observed_on, float(o.value)) for o in m.observations.all()]
        grouped.setdefault(m.place_id, (m.place, []))[1].append(MeasureRow(m, trends.trend(pts, m.better)))
    return sorted(grouped.values(), key=lambda pair: (pair[0].name, pair[0].code))


def place_measures(place: Place) -> list[MeasureRow]:
    return next((rows for p, rows in measures_by_place() if p.pk == place.pk), [])


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    trend: trends.Trend


def place_indicators(place: Place) -> list[IndicatorRow]:
    out = []
    for ind in Indicator.objects.filter(values__place=place).distinct().order_by("name", "code"):
        # Official figures: lower is not always better, so no verdict is drawn for them.
        t = trends.trend(indicator_points(ind, place), better="")
        out.append(IndicatorRow(ind, trends.Trend(t.count, t.first, t.first_on, t.latest, t.latest_on,
                                                  t.change, "")))
    return out


def places_with_figures() -> list[Place]:
    ids = set(Measure.objects.values_list("place_id", flat=True)) | set(
        IndicatorValue.objects.values_list("place_id", flat=True))
    return list(Place.objects.filter(pk__in=ids).order_by("name", "code"))


# Stories -------------------------------------------------------------------------------------

def published_stories(*, q: str = "", place: str = "", theme: str = "", capability: int | None = None,
                      round: str = "", plan: int | None = None) -> QuerySet[Story]:
    qs = Story.objects.filter(status=StoryStatus.PUBLISHED)
    for word in q.split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(what_happened__icontains=word)
                       | Q(difference__icontains=word) | Q(who_helped__icontains=word))
    if place:
        qs = qs.filter(places__code=place)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if capability:
        qs = qs.filter(capabilities__number=capability)
    if round:
        qs = qs.filter(Q(rounds__slug=round) | Q(pins__round__slug=round))
    if plan:
        qs = qs.filter(pins__plan_id=plan)
    return qs.distinct().prefetch_related("places", "themes").order_by("-created_at", "-id")


def rounds_with_pins() -> list[Any]:
    """Budget rounds that have stories pinned to them, by title."""
    from powershift.budgets.models import Round

    return list(Round.objects.filter(pk__in=Pin.objects.filter(round__isnull=False).values("round_id"))
                .order_by("title"))


def may_see_story(user: User, story: Story, *, moderator: bool) -> bool:
    return story.status == StoryStatus.PUBLISHED or moderator or (
        user.is_authenticated and story.teller_id == user.pk)


# Practice ------------------------------------------------------------------------------------

def teams_of(user: User) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).order_by("name")


def shared_entries() -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(shared=True).select_related("team", "card").order_by("-on", "-id")


SMALL = (320, 170)  # one small chart per capability, side by side on wide screens


@dataclass(frozen=True)
class CapabilityChart:
    series: trends.CapabilitySeries
    chart: trends.LineChart | None


def assessment_charts(team: Team) -> tuple[list[CapabilityChart], list[str]]:
    """One small chart per capability (scores 1 to 5 by quarter), and the quarters' labels.
    Small multiples rather than one chart: equal scores would hide each other's lines."""
    rows = [((s.assessment.year, s.assessment.quarter), s.capability.number, s.score)
            for s in Score.objects.filter(assessment__team=team).select_related("assessment", "capability")
            .order_by("assessment__year", "assessment__quarter", "capability__number")]
    quarters = sorted({q for q, _, _ in rows})
    index = {q: float(i) for i, q in enumerate(quarters)}
    labels = [trends.quarter_label(*q) for q in quarters]
    x_labels = [(float(i), label) for i, label in enumerate(labels)]
    charts = []
    for s in trends.assessment_series(rows):
        points = [(index[q], float(score)) for q, cap, score in rows if cap == s.capability]
        drawn = trends.line_chart([(f"Capability {s.capability}", points)], x_labels, y_range=(1.0, 5.0),
                                  size=SMALL)
        charts.append(CapabilityChart(s, drawn))
    return charts, labels

"""Reads for core, with permission filters applied."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Q, QuerySet

from powershift.core.models import AuditEvent, Place, PlaceKind, PlaceStatus, User
from powershift.core.models.places import SERVICE_KINDS
from powershift.methods.geo import PlaceIndex


def visible_places(user: User | AnonymousUser | None = None) -> QuerySet[Place]:
    """Approved places, plus the proposals this person made."""
    visible = Q(status=PlaceStatus.APPROVED)
    if user is not None and user.is_authenticated:
        visible |= Q(proposed_by=user)
    return Place.objects.filter(visible)


def without_shapes(places: QuerySet[Place]) -> QuerySet[Place]:
    """Places with their parents, leaving the (large) geometry columns unread."""
    return places.select_related("parent").defer(
        "geometry", "landmarks", "parent__geometry", "parent__landmarks")

def places_by_kind() -> list[tuple[str, int]]:
    counts = dict(
        visible_places().values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return [(kind, counts[kind]) for kind in PlaceKind.values if counts.get(kind)]

def proposals_to_review(user: User) -> list[Place]:
    proposed = Place.objects.filter(status=PlaceStatus.PROPOSED).select_related("parent", "proposed_by")
    return [p for p in proposed if rules.has_perm("core.review_place", user, p)]

# An in-memory STRtree per set of kinds. A process rebuilds it when its own actions change
# places, and otherwise checks the database for changes at most every FRESHNESS_SECONDS.
FRESHNESS_SECONDS = 2.0
_index_lock = threading.Lock()
_indexes: dict[tuple[str, ...], tuple[tuple[Any, ...], float, PlaceIndex[int]]] = {}


def forget_place_indexes() -> None:
    with _index_lock:
        _indexes.clear()


def place_index(kinds: tuple[str, ...]) -> PlaceIndex[int]:
    """Spatial index of approved places of these kinds, keyed by primary key."""
    now = time.monotonic()
    with _index_lock:
        cached = _indexes.get(kinds)
    if cached is not None and now - cached[1] < FRESHNESS_SECONDS:
        return cached[2]
    places = Place.objects.filter(kind__in=kinds, status=PlaceStatus.APPROVED)
    version = tuple(places.aggregate(n=Count("kind"), at=Max("updated_at")).values())
    if cached is not None and cached[0] == version:
        index = cached[2]
    else:
        with_geometry = places.filter(geometry__isnull=False).order_by("kind", "code")
        index = PlaceIndex(with_geometry.values_list("pk", "geometry"))
    with _index_lock:
        _indexes[kinds] = (version, now, index)
    return index


def places_at(lon: float, lat: float, kinds: tuple[str, ...] | None = None) -> list[Place]:
    """Every approved place containing the point, largest first."""
    kinds = kinds or tuple(PlaceKind.values)
    keys = place_index(kinds).lookup(lon, lat)
    found = without_shapes(Place.objects.all()).in_bulk(keys)
    return sorted((found[k] for k in keys if k in found), key=lambda p: -(p.area_m2 or 0))

@dataclass(frozen=True)
class Overlap:
    place: Place
    share: float

    @property
    def percent(self) -> int:
        return round(100 * self.share)

def overlaps_with_service_places(place: Place) -> dict[str, list[Overlap]]:
    """For a natural neighbourhood: how its area splits across wards and service neighbourhoods."""
    if not place.geometry:
        return {}
    result: dict[str, list[Overlap]] = {}
    for kind in SERVICE_KINDS:
        shares = place_index((kind,)).overlaps(place.geometry)
        found = Place.objects.in_bulk([k for k, _ in shares])
        rows = [Overlap(found[k], s) for k, s in shares if k in found]
        if rows:
            result[str(PlaceKind(kind).label)] = rows
    return result


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None

def audit_events(user: User, f: AuditFilter) -> QuerySet[AuditEvent]:
    if not rules.has_perm("core.view_audit", user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor", "place")
    if f.action:
        events = events.filter(action__startswith=f.action)
    if f.actor:
        events = events.filter(actor__email__icontains=f.actor)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.since:
        events = events.filter(created_at__date__gte=f.since)
    if f.until:
        events = events.filter(created_at__date__lte=f.until)
    return events

def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())

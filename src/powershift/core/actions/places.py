from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from powershift.core.audit import record
from powershift.core.errors import BadInput
from powershift.core.models import Place, PlaceKind, PlaceStatus, User, Visibility
from powershift.core.queries import forget_place_indexes
from powershift.formats.geojson import PlaceFeature
from powershift.methods.geo import bounds, geodesic_area_m2

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


def _forget_indexes() -> None:
    """Drop this process's spatial indexes now and again once the change is committed
    (a lookup in between would otherwise cache the old places)."""
    forget_place_indexes()
    transaction.on_commit(forget_place_indexes)


def _geometry_fields(geometry: dict[str, Any]) -> dict[str, Any]:
    min_lon, min_lat, max_lon, max_lat = bounds(geometry)
    return {
        "geometry": geometry,
        "area_m2": geodesic_area_m2(geometry),
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
    }


def import_places(
    actor: User | None,
    features: Sequence[PlaceFeature],
    *,
    kind: str,
    source: str,
    code_field: str,
    parent_code: str | None = None,
    parent_field: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Create or refresh places of one kind from validated features, all or nothing.

    Re-importing a file updates the places whose codes it already holds. Parents must exist
    before their children are imported. `actor` None is the operator at the command line.
    """
    if actor is not None and not rules.has_perm("core.import_places", actor):
        raise PermissionDenied("only administrators import places")
    if kind not in PlaceKind.values:
        raise BadInput(f"{source}: kind {kind!r} is not a place kind; use one of {', '.join(PlaceKind.values)}")

    parents: dict[str, Place] = {}
    if parent_code is not None:
        parent = Place.objects.filter(code=parent_code).first()
        if parent is None:
            raise BadInput(f"{source}: --parent {parent_code} is not a known place; import it first or check the code")
        parents[parent_code] = parent
    wanted = {f.parent_code for f in features if f.parent_code}
    parents.update({p.code: p for p in Place.objects.filter(code__in=wanted)})
    existing = {p.code: p for p in Place.objects.filter(code__in=[f.code for f in features])}
    for f in features:
        if f.parent_code and f.parent_code not in parents:
            raise BadInput(
                f"{source}: feature {f.number}, field '{parent_field}': no place has code "
                f"{f.parent_code}; import the parent places first"
            )
        old = existing.get(f.code)
        if old is not None and old.kind != kind:
            raise BadInput(
                f"{source}: feature {f.number}, field '{code_field}': code {f.code} is already "
                f"used by the {old.get_kind_display().lower()} {old.name}; codes must be unique across kinds"
            )

    total = len(features)
    to_create: list[Place] = []
    to_update: list[Place] = []
    now = timezone.now()
    for i, f in enumerate(features, start=1):
        parent = parents.get(f.parent_code or parent_code or "")
        fields = {"kind": kind, "name": f.name, "parent": parent, **_geometry_fields(f.geometry)}
        place = existing.get(f.code)
        if place is None:
            to_create.append(Place(code=f.code, status=PlaceStatus.APPROVED, **fields))
        else:
            for key, value in fields.items():
                setattr(place, key, value)
            place.updated_at = now
            to_update.append(place)
        if progress and (i % 100 == 0 or i == total):
            progress(i, total)

    with transaction.atomic():
        Place.objects.bulk_create(to_create, batch_size=500)
        Place.objects.bulk_update(
            to_update,
            ["kind", "name", "parent", "geometry", "area_m2", "min_lon", "min_lat", "max_lon",
             "max_lat", "updated_at"],
            batch_size=500,
        )
        _forget_indexes()
        summary = ImportSummary(created=len(to_create), updated=len(to_update))
        record(
            actor, "places.import", None,
            f"imported {total} {kind} places from {source} "
            f"({summary.created} new, {summary.updated} updated)",
            visibility=Visibility.STAFF,
        )
    return summary


@transaction.atomic
def propose_natural_neighbourhood(
    actor: User, *, parent: Place, name: str, description: str, geometry: dict[str, Any]
) -> Place:
    """A resident draws or uploads a neighbourhood as people there see it; staff then review it."""
    if not rules.has_perm("core.propose_place", actor):
        raise PermissionDenied("sign in to propose a neighbourhood")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the neighbourhood"})
    code = f"N-{slugify(name)[:24] or 'area'}-{secrets.token_hex(3)}"
    place = Place.objects.create(
        kind=PlaceKind.NATURAL, code=code, name=name, description=description.strip(),
        parent=parent, status=PlaceStatus.PROPOSED, proposed_by=actor,
        **_geometry_fields(geometry),
    )
    record(actor, "places.propose", place, f"proposed the natural neighbourhood {name}",
           visibility=Visibility.STAFF, place=parent)
    return place


@transaction.atomic
def review_place(actor: User, place: Place, *, approve: bool, reason: str) -> Place:
    if not rules.has_perm("core.review_place", actor, place):
        raise PermissionDenied("you cannot review neighbourhoods here")
    if place.status != PlaceStatus.PROPOSED:
        raise ValidationError({"decision": "This neighbourhood has already been reviewed"})
    if not approve and not reason.strip():
        raise ValidationError({"reason": "Say why the neighbourhood is not approved"})
    place.status = PlaceStatus.APPROVED if approve else PlaceStatus.REJECTED
    place.review_reason = reason.strip()
    place.save(update_fields=["status", "review_reason", "updated_at"])
    _forget_indexes()
    verdict = "approved" if approve else "did not approve"
    record(actor, "places.review", place, f"{verdict} the natural neighbourhood {place.name}",
           visibility=Visibility.PUBLIC, place=place.parent)
    return place

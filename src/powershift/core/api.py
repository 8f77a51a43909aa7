"""Places API (django-ninja), mounted under /api/."""


from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from powershift.core import queries
from powershift.core.models import Place, PlaceKind

router = Router(tags=["places"])


class PlaceOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    area_m2: float | None
    bbox: list[float] | None

    @staticmethod
    def resolve_parent(obj: Place) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_bbox(obj: Place) -> list[float] | None:
        if obj.min_lon is None:
            return None
        return [obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat]  # type: ignore[list-item]


class PlaceFilter(Schema):
    kind: PlaceKind | None = None
    parent: str | None = None


class LookupIn(Schema):
    lat: float
    lon: float
    kind: PlaceKind | None = None


def _get(code: str) -> Place:
    place = queries.visible_places().select_related("parent").filter(code=code).first()
    if place is None:
        raise Http404(f"no place has code {code}")
    return place


@router.get("/places", response=list[PlaceOut], summary="List places")
@paginate(LimitOffsetPagination)
def list_places(request: HttpRequest, filters: Query[PlaceFilter]) -> Any:
    places = queries.without_shapes(queries.visible_places()).order_by("kind", "code")
    if filters.kind:
        places = places.filter(kind=filters.kind)
    if filters.parent:
        places = places.filter(parent__code=filters.parent)
    return places


@router.get("/places/lookup", response=list[PlaceOut], summary="Places containing a point")
def lookup(request: HttpRequest, q: Query[LookupIn]) -> Any:
    """Every approved place containing the point (WGS84 latitude and longitude), largest first."""
    kinds = (q.kind.value,) if q.kind else None
    return queries.places_at(q.lon, q.lat, kinds)


@router.get("/places/{code}", response=PlaceOut, summary="One place")
def place_detail(request: HttpRequest, code: str) -> Any:
    return _get(code)


@router.get("/places/{code}/geojson", summary="One place as a GeoJSON Feature")
def place_geojson(request: HttpRequest, code: str) -> dict[str, Any]:
    place = _get(code)
    return {
        "type": "Feature",
        "id": place.code,
        "geometry": place.geometry,
        "properties": {"code": place.code, "name": place.name, "kind": place.kind,
                       "parent": place.parent.code if place.parent else None,
                       "area_m2": place.area_m2},
    }

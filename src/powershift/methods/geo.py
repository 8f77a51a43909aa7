"""Geometry of places: geodesic area, bounds, and an in-memory spatial index (shapely STRtree)
for point lookup and overlap shares."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Generic, TypeAlias, TypeVar

import shapely
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

K = TypeVar("K", bound=Hashable)
_GEOD = Geod(ellps="WGS84")

GeometryLike: TypeAlias = Mapping[str, Any] | BaseGeometry


def as_shape(geometry: GeometryLike) -> BaseGeometry:
    return geometry if isinstance(geometry, BaseGeometry) else shape(geometry)


def geodesic_area_m2(geometry: GeometryLike) -> float:
    """Area on the WGS84 ellipsoid in square metres."""
    area, _ = _GEOD.geometry_area_perimeter(as_shape(geometry))
    return abs(float(area))


def bounds(geometry: GeometryLike) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat)."""
    b = as_shape(geometry).bounds
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))


class PlaceIndex(Generic[K]):
    """Geometries keyed by K, indexed for 'which places contain this point' and
    'how is this area shared between them'. Results follow insertion order (deterministic)."""

    def __init__(self, items: Iterable[tuple[K, GeometryLike]]) -> None:
        pairs = [(key, as_shape(geom)) for key, geom in items]
        self._keys: list[K] = [k for k, _ in pairs]
        self._geoms = [g for _, g in pairs]
        for g in self._geoms:
            shapely.prepare(g)
        self._tree = shapely.STRtree(self._geoms)

    def __len__(self) -> int:
        return len(self._keys)

    def lookup(self, lon: float, lat: float) -> list[K]:
        hits = self._tree.query(Point(lon, lat), predicate="intersects")
        return [self._keys[i] for i in sorted(int(i) for i in hits)]

    def overlaps(self, geometry: GeometryLike, *, min_share: float = 0.005) -> list[tuple[K, float]]:
        """The share of `geometry`'s area inside each indexed geometry, largest first."""
        area = as_shape(geometry)
        total = geodesic_area_m2(area)
        if total == 0:
            return []
        shares = []
        for i in sorted(int(i) for i in self._tree.query(area, predicate="intersects")):
            share = geodesic_area_m2(area.intersection(self._geoms[i])) / total
            if share >= min_share:
                shares.append((i, share))
        shares.sort(key=lambda pair: (-pair[1], pair[0]))
        return [(self._keys[i], s) for i, s in shares]

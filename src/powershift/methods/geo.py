"""Geometry of places: geodesic area, bounds, and an in-memory spatial index (shapely STRtree)
for point lookup and for how an area is shared between places."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Generic, TypeAlias, TypeVar

import numpy as np
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
    # pyproj signs each ring's area by its winding and adds them up, so rings must be wound
    # consistently (files often wind clockwise, and holes the same way as their shells).
    oriented = shapely.orient_polygons(as_shape(geometry))
    area, _ = _GEOD.geometry_area_perimeter(oriented)
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
        self._keys: list[K] = [key for key, _ in pairs]
        self._geoms = np.asarray([geom for _, geom in pairs], dtype=object)
        shapely.prepare(self._geoms)  # prepared polygons answer point-in-polygon fast
        self._tree = shapely.STRtree(self._geoms)

    def __len__(self) -> int:
        return len(self._keys)

    def _hits(self, geometry: BaseGeometry) -> list[int]:
        """Indexes of the geometries intersecting `geometry`, in insertion order."""
        return sorted(int(i) for i in self._tree.query(geometry, predicate="intersects"))

    def lookup(self, lon: float, lat: float) -> list[K]:
        """Keys of every geometry containing the point or touching it."""
        return [self._keys[i] for i in self._hits(Point(lon, lat))]

    def overlaps(self, geometry: GeometryLike, *, min_share: float = 0.005) -> list[tuple[K, float]]:
        """The share of `geometry`'s (geodesic) area inside each indexed geometry, largest
        first, ties in insertion order; shares under `min_share` are left out."""
        area = as_shape(geometry)
        if not area.is_valid:  # hand-drawn areas may cross themselves
            area = shapely.make_valid(area)
        total = geodesic_area_m2(area)
        if total == 0:
            return []
        hits = self._hits(area)
        parts = shapely.intersection(self._geoms[hits], area) if hits else []
        shares = [(i, geodesic_area_m2(part) / total) for i, part in zip(hits, parts, strict=True)]
        shares = [(i, share) for i, share in shares if share >= min_share and share > 0]
        # Equal areas differ in the last bits of a float; round so that ties keep insertion order.
        shares.sort(key=lambda pair: (-round(pair[1], 9), pair[0]))
        return [(self._keys[i], share) for i, share in shares]

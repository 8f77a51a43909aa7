"""Reading place boundaries from GeoJSON, validating everything before anything is used.

Errors are one line: `FILE: feature N, field 'F': what is wrong; how to fix it`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")
WGS84_NAMES = ("CRS84", "4326", "WGS 84", "WGS84")


class GeoJSONError(ValueError):
    def __init__(self, path: str, problem: str, *, feature: int | None = None,
                 field: str | None = None, line: int | None = None) -> None:
        self.path, self.feature, self.field = path, feature, field
        where = f"{path}:{line}" if line is not None else path
        if feature is not None:
            where += f": feature {feature}"
            if field is not None:
                where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class PlaceFeature:
    number: int
    code: str
    name: str
    parent_code: str | None
    geometry: dict[str, Any]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry (make_valid can return lines and points too)."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polys: list[Polygon] = []
    for part in parts:
        polys.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    return MultiPolygon(polys) if len(polys) > 1 else (polys[0] if polys else Polygon())


def clean_geometry(obj: Any, *, source: str, feature: int | None = None,
                   field: str = "geometry") -> dict[str, Any]:
    """A valid Polygon or MultiPolygon mapping in WGS84 from a GeoJSON geometry, Feature or
    single-feature FeatureCollection; repaired where it can be, an error where it cannot."""
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
        features = obj.get("features") or []
        if len(features) != 1:
            raise GeoJSONError(source, f"holds {len(features)} features; give exactly one boundary")
        obj = features[0]
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        obj = obj.get("geometry")
    if not isinstance(obj, dict) or not obj.get("type"):
        raise GeoJSONError(source, "there is no geometry; give a Polygon or MultiPolygon",
                           feature=feature, field=field)
    kind = obj["type"]
    if kind not in POLYGONAL:
        raise GeoJSONError(source, f"a {kind} cannot be a place; give a Polygon or MultiPolygon",
                           feature=feature, field=field)
    try:
        geom = shape(obj)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException) as e:
        raise GeoJSONError(source, f"the coordinates cannot be read ({e}); give each ring as a "
                           "list of [longitude, latitude] pairs", feature=feature, field=field) from None
    min_lon, min_lat, max_lon, max_lat = geom.bounds if not geom.is_empty else (0, 0, 0, 0)
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise GeoJSONError(source, "coordinates are not longitude and latitude; reproject the file "
                           "to WGS84 (EPSG:4326)", feature=feature, field=field)
    if not geom.is_valid:
        geom = _polygonal(shapely.make_valid(geom))
    if geom.is_empty or geom.area == 0:
        raise GeoJSONError(source, "the polygon has no area and cannot be repaired; redraw it with "
                           "at least three distinct corners", feature=feature, field=field)
    return dict(json.loads(json.dumps(mapping(geom))))


def _text(props: dict[str, Any], field: str, source: str, number: int, what: str) -> str:
    value = props.get(field)
    text = "" if value is None else str(value).strip()
    if not text:
        raise GeoJSONError(source, f"the {what} is missing; give every feature a {what} in the "
                           f"'{field}' property, or name another property", feature=number, field=field)
    return text


def read_places(path: str | Path, *, name_field: str, code_field: str,
                parent_field: str | None = None) -> list[PlaceFeature]:
    """Every feature of a FeatureCollection as a place, or a GeoJSONError for the first problem."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise GeoJSONError(source, f"cannot be read ({e.strerror}); check the path") from None
    except UnicodeDecodeError:
        raise GeoJSONError(source, "is not UTF-8 text; save it as GeoJSON in UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise GeoJSONError(source, f"not valid JSON ({e.msg}, column {e.colno}); save the file as "
                           "GeoJSON", line=e.lineno) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GeoJSONError(source, "is not a GeoJSON FeatureCollection; export the layer as GeoJSON")
    crs = json.dumps(data.get("crs") or "")
    if data.get("crs") and not any(name in crs for name in WGS84_NAMES):
        raise GeoJSONError(source, f"uses the coordinate system {crs}; reproject it to WGS84 (EPSG:4326)")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise GeoJSONError(source, "has no features; check you exported the right layer")

    places: list[PlaceFeature] = []
    first_use: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise GeoJSONError(source, "is not a GeoJSON Feature", feature=number)
        props = feature.get("properties") or {}
        name = _text(props, name_field, source, number, "name")
        code = _text(props, code_field, source, number, "code")
        if code in first_use:
            raise GeoJSONError(source, f"code {code} is already used by feature {first_use[code]}; "
                               "codes must be unique", feature=number, field=code_field)
        first_use[code] = number
        parent = _text(props, parent_field, source, number, "parent code") if parent_field else None
        geometry = clean_geometry(feature.get("geometry"), source=source, feature=number)
        places.append(PlaceFeature(number, code, name, parent, geometry))
    return places

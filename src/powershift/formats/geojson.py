"""Reading place boundaries from GeoJSON, validating everything before anything is used.

Every problem is one line: `FILE: feature N, field 'F': what is wrong; how to fix it`
(feature numbers count from 1; whole-file problems leave out the feature and field).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")
# Names of WGS84 longitude/latitude in `crs` members: OGC URNs and URLs, "EPSG:4326", "WGS 84".
_WGS84 = re.compile(r"(CRS:?:?84|EPSG(:+|/0/)4326|^WGS ?84)$")


class GeoJSONError(ValueError):
    """A problem with a boundary file, worded so whoever prepared the file can fix it."""

    def __init__(self, path: str, problem: str, *, feature: int | None = None,
                 field: str | None = None, line: int | None = None) -> None:
        self.path, self.feature, self.field, self.line = path, feature, field, line
        where = f"{path}:{line}" if line is not None else path
        if feature is not None:
            where += f": feature {feature}"
            if field is not None:
                where += f", field '{field}'"
        super().__init__(" ".join(f"{where}: {problem}".split()))  # always one line


@dataclass(frozen=True)
class PlaceFeature:
    number: int  # position in the file, from 1
    code: str
    name: str
    parent_code: str | None
    geometry: dict[str, Any]  # a valid GeoJSON Polygon or MultiPolygon, WGS84, lists


def _is_wgs84(crs: Any) -> bool:
    """Whether a (2008-style) GeoJSON `crs` member names WGS84 longitude/latitude."""
    if not isinstance(crs, dict) or not isinstance(crs.get("properties"), dict):
        return False
    props = crs["properties"]
    if str(crs.get("type", "")).upper() == "EPSG":
        return str(props.get("code")) == "4326"
    return bool(_WGS84.search(str(props.get("name", "")).strip().upper()))


def _shape(obj: Any, source: str, feature: int | None, field: str) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry, not yet checked for validity."""
    def error(problem: str) -> GeoJSONError:
        return GeoJSONError(source, problem, feature=feature, field=field)

    if not isinstance(obj, dict) or not obj.get("type"):
        raise error("there is no geometry; give a Polygon or MultiPolygon")
    kind = obj["type"]
    if kind not in POLYGONAL:
        raise error(f"a {kind} cannot be a place; give a Polygon or MultiPolygon")
    try:
        return shapely.force_2d(shape(obj))
    except (ValueError, TypeError, IndexError, KeyError, AttributeError,
            shapely.errors.GEOSException) as e:
        raise error(f"the coordinates cannot be read ({e}); give each ring as a closed list of "
                    "[longitude, latitude] pairs") from None


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the parts with area (make_valid can also return lines and points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _checked(geoms: Sequence[BaseGeometry], source: str, numbers: Sequence[int | None],
             field: str) -> list[dict[str, Any]]:
    """Valid Polygon/MultiPolygon mappings, repairing what can be repaired.

    Range and validity checks are vectorised: most geometries in real files are valid.
    """
    if not geoms:
        return []
    array = np.asarray(geoms, dtype=object)
    box = shapely.bounds(array)
    finite = np.isfinite(box).all(axis=1)
    in_range = finite & (box[:, 0] >= -180) & (box[:, 2] <= 180) & (box[:, 1] >= -90) & (box[:, 3] <= 90)
    valid = shapely.is_valid(array)
    result = []
    for i, geom in enumerate(geoms):
        number = numbers[i]
        if geom.is_empty:
            raise GeoJSONError(source, "the geometry has no coordinates; draw the boundary",
                               feature=number, field=field)
        if not finite[i]:
            raise GeoJSONError(source, "some coordinates are not numbers; give each position as "
                               "[longitude, latitude]", feature=number, field=field)
        if not in_range[i]:
            x0, y0 = box[i, 0], box[i, 1]
            osgb = 0 <= x0 <= 700_000 and 0 <= y0 <= 1_300_000  # Great Britain's grid extent
            hint = " (they look like British National Grid eastings and northings)" if osgb else ""
            raise GeoJSONError(source, f"coordinates such as ({x0:g}, {y0:g}) are not longitude "
                               f"and latitude{hint}; reproject the file to WGS84 (EPSG:4326)",
                               feature=number, field=field)
        if not valid[i]:
            geom = _polygonal(shapely.make_valid(geom))
            if geom.is_empty or geom.area == 0:
                raise GeoJSONError(source, "the polygon has no area (its corners lie on one line "
                                   "or fewer than three are distinct) and cannot be repaired; "
                                   "redraw it", feature=number, field=field)
        result.append(geom)
    return [json.loads(text) for text in shapely.to_geojson(np.asarray(result, dtype=object))]


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
    return _checked([_shape(obj, source, feature, field)], source, [feature], field)[0]


def _text(value: Any) -> str | None:
    """A property as stripped text (numbers become text), or None if it is not text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _load(path: str | Path) -> dict[str, Any]:
    """The file as a GeoJSON FeatureCollection (a single Feature is wrapped in one)."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise GeoJSONError(source, f"cannot be read ({e.strerror}); check the path and that the "
                           "file is readable") from None
    except UnicodeDecodeError:
        raise GeoJSONError(source, "is not UTF-8 text; save it as GeoJSON in UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise GeoJSONError(source, f"not valid JSON ({e.msg}, column {e.colno}); fix the syntax "
                           "or export the layer again as GeoJSON", line=e.lineno) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise GeoJSONError(source, f"is not a GeoJSON FeatureCollection (found {kind}); export "
                           "the layer as GeoJSON features with properties")
    if data.get("crs") is not None and not _is_wgs84(data["crs"]):
        raise GeoJSONError(source, f"uses the coordinate system {json.dumps(data['crs'])}; "
                           "reproject it to WGS84 (EPSG:4326)")
    if not isinstance(data.get("features"), list) or not data["features"]:
        raise GeoJSONError(source, "has no features; check you exported the right layer")
    return data


def read_places(path: str | Path, *, name_field: str, code_field: str,
                parent_field: str | None = None) -> list[PlaceFeature]:
    """Every feature of a GeoJSON file as a place.

    Everything is checked before anything is returned; the first problem in file order is
    raised as a GeoJSONError, so callers can write nothing when anything is wrong.
    """
    source = str(path)
    features = _load(path)["features"]

    def prop(props: dict[str, Any], field: str, number: int, what: str) -> str:
        if field not in props or props[field] is None:
            raise GeoJSONError(source, f"the {what} is missing; give every feature its {what} in "
                               f"'{field}', or choose the property that holds it", feature=number, field=field)
        text = _text(props[field])
        if text is None:
            raise GeoJSONError(source, f"the {what} is {type(props[field]).__name__}, not text; "
                               "give it as text or a number", feature=number, field=field)
        if not text:
            raise GeoJSONError(source, f"the {what} is blank; give every feature its {what}",
                               feature=number, field=field)
        return text

    rows: list[tuple[int, str, str, str | None]] = []
    shapes: list[BaseGeometry] = []
    first_use: dict[str, int] = {}
    problems: list[GeoJSONError] = []
    for number, feature in enumerate(features, start=1):
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise GeoJSONError(source, "is not a GeoJSON Feature; give each feature a type, "
                                   "properties and geometry", feature=number)
            props = feature.get("properties") or {}
            if not isinstance(props, dict):
                raise GeoJSONError(source, "properties must be a JSON object; give each feature "
                                   "its name and code as properties", feature=number, field="properties")
            name = prop(props, name_field, number, "name")
            code = prop(props, code_field, number, "code")
            if code in first_use:
                raise GeoJSONError(source, f"code {code} is already used by feature "
                                   f"{first_use[code]}; codes must be unique", feature=number, field=code_field)
            first_use[code] = number
            parent = prop(props, parent_field, number, "parent code") if parent_field else None
            shapes.append(_shape(feature.get("geometry"), source, number, "geometry"))
            rows.append((number, code, name, parent))
        except GeoJSONError as problem:
            problems.append(problem)
            break  # later features could only add problems after this one
    try:
        geometries = _checked(shapes, source, [row[0] for row in rows], "geometry")
    except GeoJSONError as problem:
        problems.append(problem)
    if problems:
        raise min(problems, key=lambda p: p.feature or 0)
    return [PlaceFeature(*row, geometry) for row, geometry in zip(rows, geometries, strict=True)]

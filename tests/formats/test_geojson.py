"""The GeoJSON place reader: every bad-input case on small fixtures, then the real Greater
Manchester files (skipped where they are absent)."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import shape

from powershift.formats.geojson import GeoJSONError, PlaceFeature, clean_geometry, read_places

FIXTURES = Path(__file__).parent.parent / "data" / "geo"


def read(name: str, **fields: str) -> list[PlaceFeature]:
    return read_places(FIXTURES / name, name_field="name", code_field="code", **fields)


def test_reads_two_squares_with_parents() -> None:
    places = read("two_squares.geojson", parent_field="parent")
    assert [(p.number, p.code, p.name, p.parent_code) for p in places] == [
        (1, "SQ1", "West Square", "TOWN"), (2, "SQ2", "East Square", "TOWN")]
    for place in places:
        assert place.geometry["type"] == "Polygon"
        assert isinstance(place.geometry["coordinates"][0][0], list)
        assert shape(place.geometry).is_valid


def test_a_single_feature_is_accepted_and_codes_become_stripped_text() -> None:
    [place] = read("single_feature.geojson")
    assert (place.number, place.code, place.name, place.parent_code) == (1, "42", "Answer Square", None)


def test_bowtie_is_repaired_into_two_parts() -> None:
    [place] = read("bowtie.geojson")
    geom = shape(place.geometry)
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert geom.area == pytest.approx(0.02 * 0.02 / 2)  # two triangles, each a quarter


# file: (feature, field, words the message must hold)
BAD = {
    "not_json.geojson": (None, None, ":4: not valid JSON"),
    "not_a_collection.geojson": (None, None, "not a GeoJSON FeatureCollection"),
    "crs_british_grid.geojson": (None, None, "reproject it to WGS84 (EPSG:4326)"),
    "osgb.geojson": (1, "geometry", "reproject the file to WGS84 (EPSG:4326)"),
    "point_geometry.geojson": (2, "geometry", "a Point cannot be a place"),
    "missing_geometry.geojson": (2, "geometry", "there is no geometry"),
    "unrepairable.geojson": (1, "geometry", "cannot be repaired"),
    "missing_name.geojson": (2, "name", "the name is missing"),
    "missing_code.geojson": (2, "code", "the code is blank"),
    "duplicate_code.geojson": (3, "code", "already used by feature 1"),
}


@pytest.mark.parametrize("filename", sorted(BAD))
def test_bad_file_gives_one_line_naming_file_feature_and_field(filename: str) -> None:
    feature, field, words = BAD[filename]
    path = FIXTURES / filename
    with pytest.raises(GeoJSONError) as caught:
        read_places(path, name_field="name", code_field="code")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    assert words in message
    assert (caught.value.path, caught.value.feature, caught.value.field) == (str(path), feature, field)
    if feature is not None:
        assert message.startswith(f"{path}: feature {feature}, field '{field}': ")
    assert "; " in message  # what is wrong; how to fix it


def test_missing_or_unreadable_file(tmp_path: Path) -> None:
    absent = tmp_path / "absent.geojson"
    with pytest.raises(GeoJSONError, match="cannot be read .*; check the path") as caught:
        read_places(absent, name_field="name", code_field="code")
    assert str(caught.value).startswith(f"{absent}: ")
    with pytest.raises(GeoJSONError, match="cannot be read"):
        read_places(tmp_path, name_field="name", code_field="code")  # a folder


def test_missing_parent_field() -> None:
    with pytest.raises(GeoJSONError) as caught:
        read("two_squares.geojson", parent_field="county")
    assert "feature 1, field 'county': the parent code is missing" in str(caught.value)


def write(tmp_path: Path, obj: object) -> Path:
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps(obj))
    return path


SQUARE = json.loads((FIXTURES / "two_squares.geojson").read_text())["features"][0]


@pytest.mark.parametrize("crs", [
    {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    {"type": "name", "properties": {"name": "EPSG:4326"}},
    {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}},
    {"type": "EPSG", "properties": {"code": 4326}},
])
def test_wgs84_crs_names_are_accepted(tmp_path: Path, crs: dict[str, object]) -> None:
    path = write(tmp_path, {"type": "FeatureCollection", "crs": crs, "features": [SQUARE]})
    assert len(read_places(path, name_field="name", code_field="code")) == 1


@pytest.mark.parametrize("name", ["EPSG:27700", "EPSG:43260", "WGS 84 / UTM zone 30N"])
def test_other_crs_names_are_refused(tmp_path: Path, name: str) -> None:
    crs = {"type": "name", "properties": {"name": name}}
    path = write(tmp_path, {"type": "FeatureCollection", "crs": crs, "features": [SQUARE]})
    with pytest.raises(GeoJSONError, match="reproject"):
        read_places(path, name_field="name", code_field="code")


def test_an_earlier_geometry_problem_is_reported_before_a_later_property_problem(tmp_path: Path) -> None:
    flat = {**SQUARE, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]}}
    nameless = {**SQUARE, "properties": {"code": "X"}}
    path = write(tmp_path, {"type": "FeatureCollection", "features": [flat, nameless]})
    with pytest.raises(GeoJSONError) as caught:
        read_places(path, name_field="name", code_field="code")
    assert (caught.value.feature, caught.value.field) == (1, "geometry")


def test_clean_geometry_accepts_geometry_feature_and_single_collection() -> None:
    assert clean_geometry(SQUARE["geometry"], source="x")["type"] == "Polygon"
    assert clean_geometry(SQUARE, source="x")["type"] == "Polygon"
    assert clean_geometry({"type": "FeatureCollection", "features": [SQUARE]}, source="x")["type"] == "Polygon"
    with pytest.raises(GeoJSONError, match="holds 2 features"):
        clean_geometry({"type": "FeatureCollection", "features": [SQUARE, SQUARE]}, source="x")


def test_greater_manchester_wards_per_locality(gm_geo: Path) -> None:
    wards = read_places(gm_geo / "gm_ward_generalised.geojson", name_field="area_name",
                        code_field="area_code", parent_field="local_authority_area_name")
    assert len(wards) == 215
    per_locality = Counter(w.parent_code for w in wards)
    assert len(per_locality) == 10
    assert (per_locality["Stockport"], per_locality["Manchester"], per_locality["Wigan"]) == (21, 32, 25)
    localities = read_places(gm_geo / "gm_local_authority_generalised.geojson",
                             name_field="area_name", code_field="area_code")
    assert {p.name for p in localities} == set(per_locality)


def test_greater_manchester_lsoas_read_quickly_with_unique_codes(gm_geo: Path) -> None:
    started = time.perf_counter()
    lsoas = read_places(gm_geo / "gm_lsoa_generalised.geojson", name_field="area_name",
                        code_field="area_code")
    assert time.perf_counter() - started < 5  # typically about 0.4 s
    assert len(lsoas) == 1702
    assert len({p.code for p in lsoas}) == 1702
    assert all(p.code.startswith("E01") and shape(p.geometry).is_valid for p in lsoas)

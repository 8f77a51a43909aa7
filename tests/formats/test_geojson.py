"""The GeoJSON place reader: real Greater Manchester files and every bad-input case."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import shape

from powershift.formats.geojson import GeoJSONError, clean_geometry, read_places
from tests.geodata import gm_geo_dir

FIXTURES = Path(__file__).parent.parent / "data" / "geo"


def test_reads_two_squares() -> None:
    places = read_places(FIXTURES / "two_squares.geojson", name_field="name", code_field="code",
                         parent_field="parent")
    assert [(p.number, p.code, p.name, p.parent_code) for p in places] == [
        (1, "SQ1", "West Square", "TOWN"), (2, "SQ2", "East Square", "TOWN")]
    assert all(shape(p.geometry).is_valid for p in places)


def test_bowtie_is_repaired_into_two_parts() -> None:
    [place] = read_places(FIXTURES / "bowtie.geojson", name_field="name", code_field="code")
    geom = shape(place.geometry)
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2


BAD = {
    "not_json.geojson": (None, None, "not valid JSON"),
    "not_a_collection.geojson": (None, None, "not a GeoJSON FeatureCollection"),
    "osgb.geojson": (1, "geometry", "reproject"),
    "point_geometry.geojson": (2, "geometry", "a Point cannot be a place"),
    "unrepairable.geojson": (1, "geometry", "cannot be repaired"),
    "missing_name.geojson": (2, "name", "name is missing"),
    "duplicate_code.geojson": (3, "code", "already used by feature 1"),
}


@pytest.mark.parametrize("filename", sorted(BAD))
def test_bad_file_gives_one_line_naming_file_feature_and_field(filename: str) -> None:
    feature, field, fragment = BAD[filename]
    path = FIXTURES / filename
    with pytest.raises(GeoJSONError) as caught:
        read_places(path, name_field="name", code_field="code")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert fragment in message
    assert caught.value.feature == feature and caught.value.field == field
    if feature is not None:
        assert f"feature {feature}, field '{field}'" in message
    assert ";" in message  # says how to fix it


def test_missing_file_and_parent_field(tmp_path: Path) -> None:
    with pytest.raises(GeoJSONError, match="cannot be read"):
        read_places(tmp_path / "absent.geojson", name_field="name", code_field="code")
    with pytest.raises(GeoJSONError, match="feature 1, field 'county'"):
        read_places(FIXTURES / "two_squares.geojson", name_field="name", code_field="code",
                    parent_field="county")


def test_clean_geometry_accepts_feature_and_single_collection() -> None:
    square = json.loads((FIXTURES / "two_squares.geojson").read_text())["features"][0]
    assert clean_geometry(square, source="x")["type"] == "Polygon"
    assert clean_geometry({"type": "FeatureCollection", "features": [square]}, source="x")["type"] == "Polygon"
    with pytest.raises(GeoJSONError, match="holds 2 features"):
        clean_geometry({"type": "FeatureCollection", "features": [square, square]}, source="x")


@pytest.fixture
def gm() -> Path:
    geo = gm_geo_dir()
    if geo is None:
        pytest.skip("Greater Manchester boundaries not found (see tests/data/README.md)")
    return geo


def test_greater_manchester_wards(gm: Path) -> None:
    wards = read_places(gm / "gm_ward_generalised.geojson", name_field="area_name",
                        code_field="area_code", parent_field="local_authority_area_code")
    assert len(wards) == 215
    per_locality = Counter(w.parent_code for w in wards)
    localities = {p.code: p.name for p in read_places(
        gm / "gm_local_authority_generalised.geojson", name_field="area_name", code_field="area_code")}
    counts = {localities[code]: n for code, n in per_locality.items()}
    assert len(counts) == 10
    assert (counts["Stockport"], counts["Manchester"], counts["Wigan"]) == (21, 32, 25)


def test_greater_manchester_lsoas(gm: Path) -> None:
    lsoas = read_places(gm / "gm_lsoa_generalised.geojson", name_field="area_name", code_field="area_code")
    assert len(lsoas) == 1702
    assert len({p.code for p in lsoas}) == 1702
    assert all(p.code.startswith("E01") for p in lsoas)

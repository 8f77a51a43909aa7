"""Spatial index and areas: properties on tilings, and real Greater Manchester lookups."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from powershift.formats.geojson import read_places
from powershift.methods.geo import PlaceIndex, bounds, geodesic_area_m2
from tests.geodata import gm_geo_dir


def tiling(n: int, size: float = 0.01, x0: float = -2.3, y0: float = 53.4) -> PlaceIndex[str]:
    return PlaceIndex((f"{i},{j}", box(x0 + i * size, y0 + j * size, x0 + (i + 1) * size, y0 + (j + 1) * size))
                      for i in range(n) for j in range(n))


def test_geodesic_area_of_a_known_square() -> None:
    # 0.01 degrees square at 53.5N: 1.113 km north-south by 0.663 km east-west.
    assert geodesic_area_m2(box(-2.3, 53.5, -2.29, 53.51)) == pytest.approx(738_500, rel=0.005)
    assert bounds(box(-2.3, 53.5, -2.29, 53.51)) == pytest.approx((-2.3, 53.5, -2.29, 53.51))


@settings(max_examples=200, deadline=None)
@given(x=st.floats(0.0005, 0.0495), y=st.floats(0.0005, 0.0495))
def test_lookup_returns_exactly_the_tile_containing_the_point(x: float, y: float) -> None:
    index = tiling(5)
    i, j = int(x / 0.01), int(y / 0.01)
    if abs(x / 0.01 - round(x / 0.01)) < 1e-6 or abs(y / 0.01 - round(y / 0.01)) < 1e-6:
        return  # on a tile edge both neighbours touch it
    assert index.lookup(-2.3 + x, 53.4 + y) == [f"{i},{j}"]


@settings(max_examples=100, deadline=None)
@given(cx=st.floats(0.01, 0.04), cy=st.floats(0.01, 0.04), r=st.floats(0.001, 0.009))
def test_overlap_shares_of_a_covered_area_sum_to_one(cx: float, cy: float, r: float) -> None:
    area = Point(-2.3 + cx, 53.4 + cy).buffer(r)
    shares = tiling(5).overlaps(area, min_share=0)
    assert sum(s for _, s in shares) == pytest.approx(1, abs=1e-6)
    assert [s for _, s in shares] == sorted((s for _, s in shares), reverse=True)


def test_overlap_reports_the_split_and_outside_points_find_nothing() -> None:
    index = tiling(2)
    half_and_half = box(-2.295, 53.40, -2.285, 53.41)
    assert [(k, round(s, 3)) for k, s in index.overlaps(half_and_half)] == [("0,0", 0.5), ("1,0", 0.5)]
    assert index.lookup(0.0, 0.0) == []
    assert len(index) == 4


@pytest.fixture(scope="module")
def gm_index() -> tuple[PlaceIndex[str], dict[str, str]]:
    geo = gm_geo_dir()
    if geo is None:
        pytest.skip("Greater Manchester boundaries not found (see tests/data/README.md)")
    wards = read_places(Path(geo) / "gm_ward_generalised.geojson", name_field="area_name",
                        code_field="area_code", parent_field="local_authority_area_code")
    return PlaceIndex((w.code, w.geometry) for w in wards), {w.code: w.name for w in wards}


@pytest.mark.parametrize("lon,lat,ward", [
    (-2.2445, 53.4794, "Deansgate"),        # Manchester Town Hall
    (-2.1580, 53.4093, "Brinnington & Stockport Central"),  # Stockport town centre
    (-2.6318, 53.5450, "Wigan Central"),    # Wigan town centre
])
def test_known_points_land_in_their_wards(gm_index, lon: float, lat: float, ward: str) -> None:
    index, names = gm_index
    assert [names[code] for code in index.lookup(lon, lat)] == [ward]

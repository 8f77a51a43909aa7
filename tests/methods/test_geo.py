"""Areas and the spatial index: properties on square tilings, then real Greater Manchester
lookups (skipped where the boundaries are absent)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from powershift.formats.geojson import PlaceFeature, read_places
from powershift.methods.geo import PlaceIndex, bounds, geodesic_area_m2

X0, Y0, SIZE = -2.3, 53.4, 0.01


def tiles(n: int) -> list[tuple[str, BaseGeometry]]:
    """An n×n tiling of 0.01° squares keyed "i,j", column by column."""
    return [(f"{i},{j}", box(X0 + i * SIZE, Y0 + j * SIZE, X0 + (i + 1) * SIZE, Y0 + (j + 1) * SIZE))
            for i in range(n) for j in range(n)]


def test_geodesic_area_of_a_known_square() -> None:
    # 0.01° square at 53.5°N: 1.113 km north-south by 0.663 km east-west.
    square = box(-2.3, 53.5, -2.29, 53.51)
    assert geodesic_area_m2(square) == pytest.approx(738_500, rel=0.005)
    assert geodesic_area_m2(mapping(square)) == geodesic_area_m2(square)
    assert bounds(mapping(square)) == pytest.approx((-2.3, 53.5, -2.29, 53.51))


def test_geodesic_area_ignores_winding_and_subtracts_holes() -> None:
    outer, inner = box(-2.3, 53.5, -2.29, 53.51), box(-2.298, 53.502, -2.292, 53.508)
    expected = geodesic_area_m2(outer) - geodesic_area_m2(inner)
    clockwise = Polygon(outer.exterior.coords[::-1], [inner.exterior.coords[::-1]])
    same_way = Polygon(outer.exterior.coords, [inner.exterior.coords])
    assert geodesic_area_m2(clockwise) == pytest.approx(expected)
    assert geodesic_area_m2(same_way) == pytest.approx(expected)


# Coordinates in tile units; integers put the point on tile edges and corners.
tile_units = st.one_of(st.floats(-0.5, 5.5), st.integers(0, 5).map(float))


@settings(max_examples=300, deadline=None)
@given(u=tile_units, v=tile_units)
def test_lookup_returns_exactly_the_tiles_touching_the_point(u: float, v: float) -> None:
    squares = tiles(5)
    point = Point(X0 + u * SIZE, Y0 + v * SIZE)
    expected = [key for key, square in squares if square.intersects(point)]
    assert PlaceIndex(squares).lookup(point.x, point.y) == expected
    if 0 < u < 5 and 0 < v < 5 and not (u.is_integer() or v.is_integer()):
        assert len(expected) == 1


@settings(max_examples=100, deadline=None)
@given(cx=st.floats(1, 4), cy=st.floats(1, 4), r=st.floats(0.05, 0.95))
def test_overlap_shares_of_a_covered_area_sum_to_one(cx: float, cy: float, r: float) -> None:
    area = Point(X0 + cx * SIZE, Y0 + cy * SIZE).buffer(r * SIZE)
    shares = PlaceIndex(tiles(5)).overlaps(area, min_share=0)
    assert sum(s for _, s in shares) == pytest.approx(1, abs=1e-6)
    values = [s for _, s in shares]
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(values))  # largest first, up to float noise
    assert all(0 < s <= 1 for s in values)


def test_overlaps_split_ties_and_small_shares() -> None:
    index = PlaceIndex(tiles(2))
    half_and_half = box(X0 + 0.005, Y0, X0 + 0.015, Y0 + 0.01)
    assert [(k, round(s, 3)) for k, s in index.overlaps(half_and_half)] == [("0,0", 0.5), ("1,0", 0.5)]
    sliver = box(X0 + 0.0001, Y0, X0 + 0.0101, Y0 + 0.01)  # 1% in the next tile
    assert [k for k, _ in index.overlaps(sliver)] == ["0,0", "1,0"]
    assert [k for k, _ in index.overlaps(sliver, min_share=0.02)] == ["0,0"]
    assert index.overlaps(box(0, 0, 1, 1)) == []


def test_overlaps_repairs_a_self_crossing_area() -> None:
    bowtie = Polygon([(X0, Y0), (X0 + 0.02, Y0 + 0.02), (X0 + 0.02, Y0), (X0, Y0 + 0.02)])
    assert not bowtie.is_valid
    shares = PlaceIndex(tiles(2)).overlaps(bowtie, min_share=0)
    assert sum(s for _, s in shares) == pytest.approx(1)


def test_index_size_misses_and_mappings() -> None:
    index = PlaceIndex((key, mapping(square)) for key, square in tiles(2))
    assert len(index) == 4
    assert index.lookup(0.0, 0.0) == []
    empty: PlaceIndex[str] = PlaceIndex([])
    assert len(empty) == 0 and empty.lookup(X0, Y0) == [] and empty.overlaps(box(0, 0, 1, 1)) == []


# Real Greater Manchester boundaries.

def read(path: Path, **fields: str) -> list[PlaceFeature]:
    return read_places(path, name_field="area_name", code_field="area_code", **fields)


@pytest.fixture(scope="module")
def wards(gm_geo: Path) -> list[PlaceFeature]:
    return read(gm_geo / "gm_ward_generalised.geojson", parent_field="local_authority_area_name")


@pytest.mark.parametrize("lon,lat,ward,locality", [
    (-2.2445, 53.4794, "Deansgate", "Manchester"),  # Manchester Town Hall
    (-2.1580, 53.4080, "Brinnington & Stockport Central", "Stockport"),  # Stockport town centre
    (-2.6318, 53.5450, "Wigan Central", "Wigan"),  # Wigan town centre
    (-2.4285, 53.5780, "Queens Park & Central", "Bolton"),  # Bolton town hall
])
def test_known_places_land_in_their_wards(wards: list[PlaceFeature], lon: float, lat: float,
                                          ward: str, locality: str) -> None:
    index = PlaceIndex((w.code, w.geometry) for w in wards)
    by_code = {w.code: w for w in wards}
    assert [(by_code[c].name, by_code[c].parent_code) for c in index.lookup(lon, lat)] == [(ward, locality)]


def test_each_locality_is_shared_out_among_its_own_wards(gm_geo: Path, wards: list[PlaceFeature]) -> None:
    index = PlaceIndex((w.code, w.geometry) for w in wards)
    locality_of = {w.code: w.parent_code for w in wards}
    for locality in read(gm_geo / "gm_local_authority_generalised.geojson"):
        shares = index.overlaps(locality.geometry, min_share=0)
        assert sum(s for _, s in shares) == pytest.approx(1, abs=1e-3)
        above = [code for code, share in shares if share >= 0.005]
        assert {locality_of[code] for code in above} == {locality.name}
        assert len(above) == sum(1 for w in wards if w.parent_code == locality.name)


def test_lsoa_lookups(gm_geo: Path) -> None:
    lsoas = read(gm_geo / "gm_lsoa_generalised.geojson")
    index = PlaceIndex((p.code, p.geometry) for p in lsoas)
    names = {p.code: p.name for p in lsoas}
    assert len(index) == 1702
    assert [names[c] for c in index.lookup(-2.2445, 53.4794)] == ["Manchester 060A"]
    assert [names[c] for c in index.lookup(-2.1580, 53.4080)] == ["Stockport 014F"]
    assert index.lookup(-3.0, 53.4) == []  # the Wirral, outside Greater Manchester

"""`powershift import places`: real Greater Manchester boundaries, and every bad-input case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powershift.cli import main
from powershift.core.models import AuditEvent, Place

FIXTURES = Path(__file__).parent.parent / "data" / "geo"


def _write(tmp_path: Path, features: list[dict], name: str = "places.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _square(x: float, y: float, d: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def _feature(code: str, name: str, geometry: dict, **props: str) -> dict:
    return {"type": "Feature", "properties": {"code": code, "name": name, **props}, "geometry": geometry}


def _import(path: Path, *extra: str) -> int:
    return main(["import", "places", str(path), "--kind", "ward", "--name-field", "name",
                 "--code-field", "code", *extra])


def test_import_and_reimport(tmp_path, db, capsys) -> None:
    path = _write(tmp_path, [_feature("W1", "North", _square(-2.3, 53.5)),
                             _feature("W2", "South", _square(-2.3, 53.49))])
    assert _import(path) == 0
    assert "2 new, 0 updated" in capsys.readouterr().out
    assert Place.objects.get(code="W1").area_m2 == pytest.approx(739_000, rel=0.01)
    assert _import(path) == 0
    assert "0 new, 2 updated" in capsys.readouterr().out
    assert Place.objects.count() == 2
    assert AuditEvent.objects.filter(action="places.import").count() == 2


BAD_CASES = {
    # name: (file builder, expected fragments of the one-line message)
    "not_json": (lambda p: p.write_text("{ this is not json"), ["not valid JSON"]),
    "wrong_geometry": (lambda p: _write(p.parent, [_feature("W1", "A", _square(-2.3, 53.5)),
                                                    _feature("W2", "B", {"type": "Point", "coordinates": [-2.3, 53.5]})],
                                         p.name), ["feature 2", "geometry"]),
    "unrepairable": (lambda p: _write(p.parent, [_feature("W1", "Line", {"type": "Polygon", "coordinates": [
        [[-2.3, 53.5], [-2.2, 53.5], [-2.1, 53.5], [-2.3, 53.5]]]})], p.name), ["feature 1", "geometry"]),
    "missing_name": (lambda p: _write(p.parent, [{"type": "Feature", "properties": {"code": "W1"},
                                                  "geometry": _square(-2.3, 53.5)}], p.name), ["feature 1", "name"]),
    "duplicate_code": (lambda p: _write(p.parent, [_feature("W1", "A", _square(-2.3, 53.5)),
                                                   _feature("W1", "B", _square(-2.2, 53.5))], p.name),
                       ["feature 2", "code", "W1"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_one_line_exit_2_nothing_saved(tmp_path, db, capsys, case: str) -> None:
    build, fragments = BAD_CASES[case]
    path = tmp_path / f"{case}.geojson"
    build(path)
    assert _import(path) == 2
    err = capsys.readouterr().err.strip().splitlines()
    message = [line for line in err if str(path) in line]
    assert len(message) == 1, err
    for fragment in fragments:
        assert fragment in message[0]
    assert Place.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_unknown_parent_code_is_bad_input(tmp_path, db, capsys) -> None:
    path = _write(tmp_path, [_feature("W1", "A", _square(-2.3, 53.5), la="E99")])
    assert _import(path, "--parent-field", "la") == 2
    assert "feature 1, field 'la'" in capsys.readouterr().err
    assert _import(path, "--parent", "NOPE") == 2
    assert Place.objects.count() == 0


def test_code_used_by_another_kind_is_bad_input(tmp_path, db, capsys) -> None:
    path = _write(tmp_path, [_feature("X1", "A", _square(-2.3, 53.5))])
    assert _import(path) == 0
    assert main(["import", "places", str(path), "--kind", "locality", "--name-field", "name",
                 "--code-field", "code"]) == 2
    assert "already used by the ward A" in capsys.readouterr().err


def test_greater_manchester_localities_wards_and_lsoas(gm_geo: Path, db, capsys) -> None:
    gm = gm_geo
    def run(file: str, kind: str, *extra: str) -> None:
        assert main(["import", "places", str(gm / file), "--kind", kind, "--name-field", "area_name",
                     "--code-field", "area_code", *extra]) == 0

    run("gm_combined_authority_generalised.geojson", "combined_authority")
    ca = Place.objects.get(kind="combined_authority")
    run("gm_local_authority_generalised.geojson", "locality", "--parent", ca.code)
    run("gm_ward_generalised.geojson", "ward", "--parent-field", "local_authority_area_code")
    run("gm_lsoa_generalised.geojson", "lsoa", "--parent", ca.code)
    assert Place.objects.filter(kind="locality").count() == 10
    assert Place.objects.filter(kind="ward").count() == 215
    assert Place.objects.filter(kind="lsoa").count() == 1702
    for locality, wards in {"Stockport": 21, "Manchester": 32, "Wigan": 25}.items():
        assert Place.objects.filter(kind="ward", parent__name=locality).count() == wards
    from powershift.core.queries import places_at

    found = {p.kind: p.name for p in places_at(-2.2445, 53.4794)}  # Manchester Town Hall
    assert found["locality"] == "Manchester"
    assert found["combined_authority"] == ca.name
    assert "ward" in found and "lsoa" in found

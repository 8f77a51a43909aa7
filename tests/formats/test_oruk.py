"""Directory feeds: ORUK v1, HSDS 3 and CSV with a mapping; every bad-input case named with its
file, line and fix; the real Greater Manchester lists (and ../shared/data/directory when present)."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from powershift.formats import oruk

DATA = Path(__file__).parents[1] / "data" / "directory"
SHARED = Path(__file__).parents[2].parent / "shared" / "data" / "directory"


def v1_service(sid: str = "s1", **extra: Any) -> dict[str, Any]:
    service: dict[str, Any] = {
        "id": sid, "name": "Knit and natter", "description": "A warm room and a chat",
        "status": "active", "fees": "Free",
        "organization": {"id": "o1", "name": "Riverside Crafters"},
        "eligibilitys": [{"eligibility": "adult", "minimum_age": 18, "maximum_age": None}],
        "regular_schedules": [{"weekday": "Tuesday", "opens_at": "13:00", "closes_at": "15:00",
                               "freq": "WEEKLY", "interval": 1}],
        "service_taxonomys": [{"taxonomy": {"id": "company"}}],
        "service_at_locations": [{"id": "sal1", "location": {
            "id": "l1", "name": "Library", "latitude": 53.48, "longitude": -2.24,
            "physical_addresses": [{"address_1": "1 High St", "city": "Riverside",
                                    "postal_code": "M1 1AA"}]}}],
    }
    service.update(extra)
    return service


def write(tmp_path: Path, services: list[Any], name: str = "feed.json", v1: bool = True) -> Path:
    key = "content" if v1 else "contents"
    path = tmp_path / name
    # One service per line after the opening line, so line N+1 holds service N.
    body = ",\n".join(json.dumps(s) for s in services)
    path.write_text(f'{{"totalElements": {len(services)}, "{key}": [\n{body}\n]}}\n')
    return path


def test_reads_an_oruk_v1_feed_mapping_v1_names(tmp_path: Path) -> None:
    feed = oruk.read(write(tmp_path, [v1_service()]), fmt="oruk1")
    [s] = feed.services
    assert (s.id, s.line, s.name, s.organisation.name) == ("s1", 2, "Knit and natter", "Riverside Crafters")
    assert (s.minimum_age, s.maximum_age, s.free) == (18, None, True)
    assert [t.id for t in s.terms] == ["company"]
    [sched] = s.schedules
    assert (sched.byday, sched.opens_at, sched.closes_at) == (("TU",), time(13), time(15))
    [loc] = s.locations
    assert (loc.latitude, loc.longitude, loc.postcode) == (53.48, -2.24, "M1 1AA")
    assert feed.rejected == []


def test_reads_hsds3_and_round_trips_through_the_writer(tmp_path: Path) -> None:
    feed = oruk.read(write(tmp_path, [v1_service()]), fmt="oruk1")
    out = tmp_path / "out.json"
    oruk.write_hsds3(feed.services, out)
    again = oruk.read(out, fmt="hsds3")
    [a], [b] = feed.services, again.services
    assert (a.id, a.name, a.terms, a.schedules, a.minimum_age, a.free) == (
        b.id, b.name, b.terms, b.schedules, b.minimum_age, b.free)
    assert a.locations[0].latitude == b.locations[0].latitude


def rejection(tmp_path: Path, service: Any) -> oruk.Rejection:
    good = v1_service("good")
    feed = oruk.read(write(tmp_path, [good, service]), fmt="oruk1")
    assert [s.id for s in feed.services] == ["good"]  # the good row is still taken
    [r] = feed.rejected
    assert r.line == 3 and str(r).startswith(f"{tmp_path / 'feed.json'}:3: ")
    assert "\n" not in str(r)
    return r


def test_missing_id_is_rejected_with_its_line(tmp_path: Path) -> None:
    r = rejection(tmp_path, v1_service(""))
    assert "has no id; give every service a unique id" in str(r)


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    r = rejection(tmp_path, v1_service("good"))
    assert "used again (first on line 2); give every service a unique id" in str(r)


def test_unknown_taxonomy_term_is_rejected(tmp_path: Path) -> None:
    r = rejection(tmp_path, v1_service("x", service_taxonomys=[{"taxonomy": {"id": "zumba-gold"}}]))
    assert "taxonomy term 'zumba-gold' is unknown; use a what-matters term (" in str(r)


def test_a_fully_described_external_term_is_taken(tmp_path: Path) -> None:
    term = {"taxonomy": {"id": "esd-123", "name": "Befriending", "vocabulary": "esdServiceTypes"}}
    feed = oruk.read(write(tmp_path, [v1_service(service_taxonomys=[term])]), fmt="oruk1")
    assert feed.services[0].terms == (oruk.Term("esd-123", "Befriending", "esdServiceTypes"),)


@pytest.mark.parametrize(("schedule", "message"), [
    ({"weekday": "Tewsday", "opens_at": "13:00", "closes_at": "15:00"},
     "schedule day 'Tewsday' is not a day; use MO, TU"),
    ({"weekday": "TU", "opens_at": "1pm", "closes_at": "15:00"},
     "opens_at '1pm' is not a time; write it as HH:MM"),
    ({"weekday": "TU", "opens_at": "15:00", "closes_at": "13:00"},
     "schedule closes at 13:00, not after it opens at 15:00; check the times"),
    ({"weekday": "TU", "freq": "FORTNIGHTLY"}, "freq 'FORTNIGHTLY' is not known; use WEEKLY"),
    ({"weekday": "TU", "interval": 0}, "interval '0' is not a whole number from 1; give 1"),
    ({"opens_at": "10:00"}, "a WEEKLY schedule has no day; give byday"),
    ({"weekday": "TU", "valid_from": "2026-05-01", "valid_to": "2026-01-01"},
     "valid_to 2026-01-01 is before valid_from 2026-05-01; swap them"),
])
def test_broken_schedules_are_rejected(tmp_path: Path, schedule: dict[str, Any], message: str) -> None:
    r = rejection(tmp_path, v1_service("x", regular_schedules=[schedule]))
    assert message in str(r)


@pytest.mark.parametrize(("lat", "lon", "message"), [
    (40.7, -74.0, "coordinates 40.7, -74.0 are outside the UK; give latitude and longitude"),
    (-2.24, 53.48, "are outside the UK (latitude and longitude look swapped); give"),
    (0, 0, "coordinates 0.0, 0.0 are outside the UK"),
])
def test_coordinates_outside_the_uk_are_rejected(tmp_path: Path, lat: float, lon: float, message: str) -> None:
    service = v1_service("x")
    service["service_at_locations"][0]["location"].update(latitude=lat, longitude=lon)
    assert message in str(rejection(tmp_path, service))


def test_html_and_script_are_cleaned_to_plain_text(tmp_path: Path) -> None:
    service = v1_service(name="<b>Knit</b> &amp; natter", description=(
        "<p>Come along!</p><script>alert('x')</script><p>Tea <em>and</em> cake</p>"
        "<img src=x onerror=alert(1)>"))
    [s] = oruk.read(write(tmp_path, [service]), fmt="oruk1").services
    assert s.name == "Knit & natter"
    assert s.description == "Come along!\nTea and cake"
    assert set(s.cleaned) == {"name", "description"}


def test_bad_ages_and_capacity_are_rejected(tmp_path: Path) -> None:
    r = rejection(tmp_path, v1_service("x", eligibilitys=[{"minimum_age": 30, "maximum_age": 12}]))
    assert "maximum_age 12 is below minimum_age 30; swap them" in str(r)
    r = rejection(tmp_path, v1_service("y", capacity=-3))
    assert "capacity '-3' is not a whole number of places; give 0 or more" in str(r)


def test_not_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text('{"content": [\n{"id": 1,}\n]}')
    with pytest.raises(oruk.OrukError) as e:
        oruk.read(path, fmt="oruk1")
    assert str(e.value).startswith(f"{path}:2: this is not JSON")
    assert "check the file is a JSON feed" in str(e.value)


def test_no_list_of_services(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text('{"services": {}}')
    with pytest.raises(oruk.OrukError, match=r"feed.json:1: there is no list of services; give a JSON array"):
        oruk.read(path)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(oruk.OrukError, match="there is no such file; check the path"):
        oruk.read(tmp_path / "nope.json")
    with pytest.raises(oruk.OrukError, match="format 'xml' is not known; use oruk1, hsds3 or csv"):
        oruk.read(tmp_path / "nope.json", fmt="xml")


def test_csv_needs_a_mapping_and_the_mapped_columns(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("Group,Where\nKnit and natter,M1 1AA\n")
    with pytest.raises(oruk.OrukError, match="a CSV needs a column mapping; give --mapping"):
        oruk.read(path)
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\nname = "Name"\n')
    with pytest.raises(oruk.OrukError) as e:
        oruk.read(path, mapping=oruk.read_mapping(mapping))
    assert str(e.value).startswith(f"{path}:1: there is no column 'Name' (mapped to name)")
    assert "fix the mapping" in str(e.value)


def test_bad_mapping_files(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\nname = "Name"\ncolour = "Colour"\n')
    with pytest.raises(oruk.OrukError, match=r"map.toml: \[columns\] has 'colour', which is not a field; use"):
        oruk.read_mapping(mapping)
    mapping.write_text('[columns\nname = "Name"\n')
    with pytest.raises(oruk.OrukError, match=r"map.toml:1: this is not TOML .*; fix the mapping's syntax"):
        oruk.read_mapping(mapping)
    mapping.write_text('terms = ["food"]\n')
    with pytest.raises(oruk.OrukError, match=r"there is no \[columns\] table with a name column; add"):
        oruk.read_mapping(mapping)


def test_csv_rows_rejected_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text('Name,Lat,Lon,Terms\nKnit and natter,53.4,-2.2,company\n,53.4,-2.2,\n'
                    '"Walk, talk",53.4,-2.2,hiking\nFar away,40.0,-74.0,\n')
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\nname = "Name"\nlatitude = "Lat"\nlongitude = "Lon"\nterms = "Terms"\n')
    feed = oruk.read(path, mapping=oruk.read_mapping(mapping))
    assert [s.name for s in feed.services] == ["Knit and natter"]
    assert [(r.line, r.reason.split(";")[0]) for r in feed.rejected] == [
        (3, "the row has no name"),
        (4, "taxonomy term 'hiking' is unknown"),
        (5, "coordinates 40.0, -74.0 are outside the UK"),
    ]
    assert str(feed.rejected[0]) == f"{path}:3: the row has no name; fill in the name column"


def test_human_opening_times() -> None:
    [s] = oruk.human_schedules("Wednesday 9:30am - 12noon")
    assert (s.byday, s.opens_at, s.closes_at) == (("WE",), time(9, 30), time(12))
    assert oruk.human_schedules("Contact for details") == ()
    assert len(oruk.human_schedules("Monday 10am - 12pm, Thursday 1pm - 3pm")) == 2


@pytest.mark.parametrize(("name", "rows", "with_times"), [
    ("gm_libraries", 141, 0),
    ("gm_food_banks", 171, 108),
])
def test_real_greater_manchester_lists(name: str, rows: int, with_times: int) -> None:
    feed = oruk.read(DATA / f"{name}.csv", mapping=oruk.read_mapping(DATA / f"{name}.toml"))
    assert (len(feed.services), len(feed.rejected)) == (rows, 0)
    assert sum(1 for s in feed.services if any(x.opens_at for x in s.schedules)) == with_times
    assert len({s.id for s in feed.services}) == rows
    located = [loc for s in feed.services for loc in s.locations if loc.latitude is not None]
    assert all(53.3 < loc.latitude < 53.7 for loc in located if loc.latitude is not None)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is not on this machine (the shared "
                    "directory data; see tests/data/directory/README.md)")
def test_shared_directory_data_reads_without_whole_file_errors() -> None:
    for path in sorted(SHARED.iterdir()):
        if path.suffix == ".csv" and path.with_suffix(".toml").exists():
            feed = oruk.read(path, mapping=oruk.read_mapping(path.with_suffix(".toml")))
        elif path.suffix == ".json":
            feed = oruk.read(path)
        else:
            continue
        assert feed.services, f"{path}: nothing taken"
        assert all(str(r).startswith(f"{path}:") for r in feed.rejected)

"""`powershift directory check` (files only) and `powershift import directory` (database): the
real Greater Manchester lists, dry runs, dedupe on import, rejected rows, bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powershift.cli import main
from powershift.directory.models import Service

DATA = Path(__file__).parents[1] / "data" / "directory"
SHARED = Path(__file__).parents[2].parent / "shared" / "data" / "directory"
LIBRARIES = [str(DATA / "gm_libraries.csv"), "--mapping", str(DATA / "gm_libraries.toml")]
FOOD = [str(DATA / "gm_food_banks.csv"), "--mapping", str(DATA / "gm_food_banks.toml")]


def feed(tmp_path: Path, services: list[dict[str, object]]) -> Path:
    path = tmp_path / "feed.json"
    path.write_text('{"content": [\n' + ",\n".join(json.dumps(s) for s in services) + "\n]}\n")
    return path


GOOD = {"id": "a1", "name": "Knit and natter", "organization": {"id": "o1", "name": "Crafters"},
        "service_taxonomys": [{"taxonomy": {"id": "company"}}],
        "regular_schedules": [{"weekday": "TU", "opens_at": "13:00", "closes_at": "15:00"}]}


def test_check_reports_the_real_lists_as_json(capsys):
    assert main(["directory", "check", *FOOD, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"file", "format", "services", "rejected", "cleaned", "duplicates", "seconds"}
    assert (out["format"], out["services"], out["rejected"]) == ("csv", 171, [])


def test_check_names_rejected_rows_on_stderr(tmp_path, capsys):
    path = feed(tmp_path, [GOOD, {**GOOD, "id": ""}])
    assert main(["directory", "check", str(path), "--format", "oruk1"]) == 0
    captured = capsys.readouterr()
    assert f"rejected: {path}:3: the service has no id; give every service a unique id" in captured.err
    assert "1 services can be taken, 1 rejected" in captured.out


def test_strict_refuses_a_file_with_rejected_rows(tmp_path, capsys):
    path = feed(tmp_path, [GOOD, {**GOOD, "id": "b", "service_taxonomys": [{"taxonomy": {"id": "zumba"}}]}])
    assert main(["directory", "check", str(path), "--strict"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{path}:3: taxonomy term 'zumba' is unknown; use a what-matters term")
    assert "--strict takes nothing" in err and "\n" not in err


def test_whole_file_problems_exit_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("<html>\n<body>not a feed</body>")
    assert main(["directory", "check", str(bad)]) == 2
    assert capsys.readouterr().err.strip().startswith(f"{bad}:1: this is not JSON")
    assert main(["directory", "check", str(DATA / "gm_libraries.csv")]) == 2
    assert "a CSV needs a column mapping; give --mapping" in capsys.readouterr().err


@pytest.mark.django_db
def test_import_the_real_lists_then_again_updates_and_dedupes(riverside, capsys, tmp_path):
    assert main(["import", "directory", *LIBRARIES, "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert (dry["dry_run"], dry["taken"], dry["rejected"]) == (True, 141, 0)
    assert not Service.objects.exists()

    assert main(["import", "directory", *LIBRARIES]) == 0
    assert "Imported" in capsys.readouterr().out and Service.objects.count() == 141
    assert main(["import", "directory", *FOOD, "--json"]) == 0
    food = json.loads(capsys.readouterr().out)
    assert food["taken"] + food["merged"] == 171 and food["rejected"] == 0
    # The same libraries again: known feed ids are updated, nothing new.
    assert main(["import", "directory", *LIBRARIES, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["taken"], again["updated"]) == (0, 141)
    assert Service.objects.count() == 141 + food["taken"]
    # A library listed again under another id, same name and postcode: merged, not duplicated.
    copy = tmp_path / "copy.csv"
    copy.write_text("name,postcode,lat,lon\nBlackrod Library,BL6 5EQ,53.594458,-2.58651\n")
    mapping = tmp_path / "copy.toml"
    mapping.write_text('id_prefix = "other-"\n[columns]\nname = "name"\npostcode = "postcode"\n'
                       'latitude = "lat"\nlongitude = "lon"\n')
    assert main(["import", "directory", str(copy), "--mapping", str(mapping), "--json"]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert merged["merged"] == 1 and merged["merges"][0]["reason"].startswith("similar name")
    # The libraries are found by search.
    from powershift.directory import queries

    found = queries.search(queries.Filters(text="library Bolton", include_stale=True))
    assert found.total >= 10


@pytest.mark.django_db
def test_import_with_rejected_rows_takes_the_rest_and_strict_takes_nothing(riverside, tmp_path, capsys):
    path = feed(tmp_path, [GOOD, {**GOOD, "id": "b2", "service_at_locations": [
        {"location": {"id": "l", "latitude": 40.7, "longitude": -74.0}}]}])
    assert main(["import", "directory", str(path), "--strict"]) == 2
    assert "coordinates 40.7, -74.0 are outside the UK" in capsys.readouterr().err
    assert not Service.objects.exists()
    assert main(["import", "directory", str(path)]) == 0
    captured = capsys.readouterr()
    assert f"rejected: {path}:3: coordinates 40.7, -74.0 are outside the UK" in captured.err
    assert "1 new" in captured.out and Service.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # outside a transaction, as the command runs
def test_an_import_leaves_statistics_for_the_search_planner(tmp_path, capsys):
    """Without them SQLite walks every listed service to check a text search's hits."""
    from django.db import connection

    assert main(["import", "directory", str(feed(tmp_path, [GOOD]))]) == 0
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'directory_service'")
        else:
            c.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'directory_service'")
        assert c.fetchone()[0] > 0


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is not on this machine (the shared "
                    "directory data; see tests/data/directory/README.md)")
@pytest.mark.django_db
def test_shared_directory_data_imports(riverside, capsys):
    for path in sorted(SHARED.iterdir()):
        mapping = path.with_suffix(".toml")
        if path.suffix == ".csv" and mapping.exists():
            args = [str(path), "--mapping", str(mapping)]
        elif path.suffix == ".json":
            args = [str(path)]
        else:
            continue
        assert main(["import", "directory", *args, "--json"]) == 0, path
        report = json.loads(capsys.readouterr().out)
        assert report["taken"] + report["updated"] + report["merged"] > 0, path

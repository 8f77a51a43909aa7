"""The Trafford lists (sports clubs, mental health services, registered charities) and the
OpenActive Activity List: real open data imported through the command line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from powershift.cli import main
from powershift.directory.models import Service, TaxonomyTerm
from powershift.formats import openactive
from powershift.formats.oruk import OrukError

DATA = Path(__file__).parents[1] / "data" / "directory"
ACTIVITIES = DATA / "openactive_activity_list.jsonld.gz"
BADMINTON = "https://openactive.io/activity-list#c0360db0-a817-4bae-9167-40f89b49fc9e"


def _csv(name: str) -> list[str]:
    return [str(DATA / f"{name}.csv"), "--mapping", str(DATA / f"{name}.toml")]


def test_the_activity_list_reads_whole() -> None:
    concepts = openactive.read_activity_list(ACTIVITIES)
    assert len(concepts) == 768
    by_label = {c.label: c for c in concepts}
    assert by_label["Bowls"].synonyms == ("Lawn Bowls",)
    assert by_label["5-a-side"].broader  # a kind of football
    assert by_label["Badminton"].id == BADMINTON


@pytest.mark.parametrize(("content", "message"), [
    (b"not json", "this is not JSON"),
    (b'{"concept": []}', "there is no 'concept' list"),
    (b'{"concept": [{"id": "x"}]}', "concept 1 has no prefLabel"),
    (b'{"concept": [{"id": "x", "prefLabel": "A"}, {"id": "x", "prefLabel": "B"}]}', "concept 2 repeats the id x"),
    (b'{"concept": [{"id": "x", "prefLabel": "A", "broader": ["y"]}]}', "broader term y is not in the list"),
])
def test_a_bad_activity_list_is_refused_in_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "list.jsonld.gz"
    path.write_bytes(gzip.compress(content))
    with pytest.raises(OrukError) as problem:
        openactive.read_activity_list(path)
    assert message in str(problem.value) and str(path) in str(problem.value)
    assert "\n" not in str(problem.value)


def test_check_sports_clubs_needs_the_activity_list(capsys):
    assert main(["directory", "check", *_csv("trafford_sports_clubs"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["services"] == 1 and len(out["rejected"]) == 139  # the one "Water Sports" club only
    assert "taxonomy term 'Badminton' is unknown" in out["rejected"][0]["reason"]
    assert main(["directory", "check", *_csv("trafford_sports_clubs"), "--taxonomy", str(ACTIVITIES),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["services"], out["rejected"]) == (140, [])


@pytest.mark.django_db
def test_import_the_trafford_lists_with_the_activity_list(riverside, capsys):
    assert main(["import", "directory", *_csv("trafford_sports_clubs"), "--taxonomy", str(ACTIVITIES),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["taken"], out["rejected"], out["merged"]) == (140, 0, 0)
    assert TaxonomyTerm.objects.filter(vocabulary=openactive.VOCABULARY).count() == 768
    football = TaxonomyTerm.objects.get(vocabulary=openactive.VOCABULARY, name="5-a-side").parent
    assert football is not None and football.name == "Small Sided Football"
    club = Service.objects.get(source_id="trafford-sport-abc-partington-badminton-m31-4fa")
    assert {t.code for t in club.terms.all()} == {"being-active", BADMINTON}
    riding = Service.objects.filter(source_id__startswith="trafford-sport-", terms__name="Equestrian")
    assert riding.exists()  # "Riding" translated by the mapping's [term_names]

    assert main(["import", "directory", *_csv("trafford_mental_health_services"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["taken"], out["rejected"]) == (60, 0)

    assert main(["import", "directory", *_csv("trafford_charities"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["taken"], out["merged"], out["rejected"]) == (727, 9, 0)
    # Services and clubs that are also registered charities are merged, not listed twice.
    into = Service.objects.filter(pk__in=[m["into"] for m in out["merges"]])
    assert sorted(s.source_id.split("-")[1] for s in into) == ["mh"] * 8 + ["sport"]

    # Importing the list again changes names and parents in place: no second copy.
    assert main(["import", "taxonomy", str(ACTIVITIES), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "vocabulary": openactive.VOCABULARY, "created": 0, "updated": 768}
    assert TaxonomyTerm.objects.filter(vocabulary=openactive.VOCABULARY).count() == 768


@pytest.mark.django_db
def test_a_bad_activity_list_on_import_saves_nothing(riverside, tmp_path, capsys):
    bad = tmp_path / "list.jsonld"
    bad.write_text('{"concept": [{"id": "x", "prefLabel": "A"}, {"id": "y"}]}')
    assert main(["import", "directory", *_csv("trafford_sports_clubs"), "--taxonomy", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == f"{bad}: concept 2 has no prefLabel; every concept needs both"
    assert main(["import", "taxonomy", str(bad)]) == 2
    assert not Service.objects.filter(source_id__startswith="trafford-").exists()
    assert not TaxonomyTerm.objects.filter(vocabulary=openactive.VOCABULARY).exists()

"""`powershift pb import` and `pb export`: a real Pabulib file becomes a counted round and goes
back out as anonymous ballots that count the same."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from powershift.budgets import actions
from powershift.budgets.models import Round, Stage
from powershift.cli import main
from powershift.core.models import Place
from powershift.formats import pabulib
from powershift.methods.equal_shares import tally

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parents[1] / "data" / "pabulib"
GDYNIA = DATA / "Poland_Gdynia_2020_Dabrowa__small.pb.gz"  # approval, at most 3 projects


def _ballots(election: pabulib.Election) -> Counter[tuple[tuple[str, int], ...]]:
    return Counter(tuple(sorted((k, int(v)) for k, v in b.items())) for b in election.ballots)


def test_import_counts_the_file_and_export_gives_the_same_ballots(riverside, tmp_path, capsys):
    assert main(["pb", "import", str(GDYNIA), "--place", "RV-LOC"]) == 0
    assert "2066 ballots" in capsys.readouterr().out
    r = Round.objects.get()
    assert r.stage == Stage.RESULTS and r.ballot_kind == "k_approval" and r.max_choices == 3
    election = pabulib.read(GDYNIA)
    # The file's rule is greedy; the round is counted the same way as `pb tally` counts it.
    expected = tally(election, "greedy", "none")
    assert r.rule == "greedy" and r.result["selected"] == [int(p) for p in expected.selected]

    out = tmp_path / "again.pb"
    assert main(["pb", "export", r.slug, "--out", str(out)]) == 0
    again = pabulib.read(out)
    assert _ballots(again) == _ballots(election)
    assert [p.id for p in again.projects] == sorted((p.id for p in election.projects), key=int)
    assert tally(again, "greedy", "none").selected == expected.selected


def test_import_refuses_what_it_cannot_hold(riverside, tmp_path, capsys):
    assert main(["pb", "import", str(GDYNIA), "--place", "NOWHERE"]) == 2
    assert capsys.readouterr().err.startswith("--place NOWHERE: no place has that code;")
    ordinal = next(p for p in sorted(DATA.glob("*.pb.gz")) if pabulib.read(p).vote_type == "ordinal")
    assert main(["pb", "import", str(ordinal), "--place", "RV-LOC"]) == 2
    err = capsys.readouterr().err
    assert "vote_type is ordinal; Powershift rounds take approval" in err and err[-1] == "\n"
    assert err.count("\n") == 1
    broken = tmp_path / "broken.pb"
    broken.write_text("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;50\n")
    assert main(["pb", "import", str(broken), "--place", "RV-LOC"]) == 2
    assert str(broken) in capsys.readouterr().err
    assert not Round.objects.exists()


def test_ballots_stay_sealed_until_results(riverside, tmp_path, capsys):
    r = actions.create_round(None, place=Place.objects.get(code="RV-LOC"), title="Open", budget=100)
    assert main(["pb", "export", r.slug, "--out", str(tmp_path / "x.pb")]) == 2
    assert "ballots stay sealed until results" in capsys.readouterr().err
    assert not (tmp_path / "x.pb").exists()
    assert main(["pb", "export", "no-such-round", "--out", str(tmp_path / "x.pb")]) == 2

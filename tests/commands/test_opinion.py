"""`powershift opinion analyze`: JSON contract, given groups, text output, bad input (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from powershift.cli import main

DATA = Path(__file__).parent.parent / "data" / "polis"


def test_json_has_the_design_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opinion", "analyze", str(DATA / "brexit-consensus"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out)[:5] == ["participants", "statements", "groups", "consensus", "seconds"]
    assert (out["participants"], out["statements"]) == (204, 50)
    assert len(out["groups"]) >= 2 and all(len(g["members"]) >= 2 for g in out["groups"])
    rep = out["groups"][0]["representative"][0]
    assert {"statement", "text", "direction", "share_in", "share_out", "p_success",
            "repness"} <= set(rep)
    assert {c["direction"] for c in out["consensus"]} == {"agree", "disagree"}


def test_groups_from_polis_file(capsys: pytest.CaptureFixture[str]) -> None:
    folder = DATA / "scoop-hivemind.taxes"
    assert main(["opinion", "analyze", str(folder), "--groups-from",
                 str(folder / "participants-votes.csv.gz"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["groups_given"] is True and [g["id"] for g in out["groups"]] == [0, 1]


def test_text_output_and_too_small(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opinion", "analyze", str(DATA / "bad" / "too_small")]) == 0
    out = capsys.readouterr().out
    assert "Too small to form groups" in out and "Tallies" in out


@pytest.mark.parametrize("folder", ["missing_column", "misnamed_column", "unknown_statement",
                                    "bad_vote", "duplicate_id", "empty_comments", "empty_votes"])
def test_bad_input_exits_2_with_one_line(folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opinion", "analyze", str(DATA / "bad" / folder), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and str(DATA / "bad" / folder) in captured.err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["opinion", "analyze", "--help"])
    assert "--groups-from" in capsys.readouterr().out


def test_too_small_in_json_still_has_tallies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opinion", "analyze", str(DATA / "bad" / "too_small"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["groups"] == [] and "at least 4 participants" in out["too_small"]
    assert out["tallies"][0] == {"statement": 0, "agree": 2, "disagree": 0, "pass": 1}


def test_the_command_does_not_set_django_up() -> None:
    code = ("import sys; from powershift.cli import main; "
            f"main(['opinion', 'analyze', {str(DATA / 'brexit-consensus')!r}, '--json']); "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": ""}, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["statements"] == 50

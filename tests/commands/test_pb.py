"""`powershift pb tally`: table, the --json contract, and bad input (exit 2, one line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powershift.cli import main

DATA = Path(__file__).parents[1] / "data" / "pabulib"
SMALL = DATA / "Netherlands_Amsterdam_643.pb.gz"
CUMULATIVE = DATA / "Poland_Katowice_2022_Dabrowka_Mala.pb.gz"


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pb", "tally", str(SMALL), "--rule", "mes", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out)[:7] == ["rule", "completion", "budget", "selected", "total_cost",
                             "explanations", "seconds"]
    assert out["rule"] == "mes" and out["completion"] == "budget-increase"
    assert out["budget"] == 5720 and out["total_cost"] <= out["budget"]
    assert set(out["explanations"]) == {"44250", "44251", "44252"}
    funded = out["explanations"][out["selected"][0]]
    assert funded["funded"] and funded["reason"] == "equal_shares" and funded["payers"] > 0
    assert sum(funded["payments"].values()) == pytest.approx(funded["paid_total"])
    lost = [e for e in out["explanations"].values() if not e["funded"]]
    assert all(e["reason"] and e["text"].startswith("Not funded") for e in lost)


def test_greedy_and_bare_mes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pb", "tally", str(CUMULATIVE), "--rule", "greedy", "--json"]) == 0
    greedy = json.loads(capsys.readouterr().out)
    assert greedy["rule"] == "greedy" and greedy["completion"] == "none"
    assert main(["pb", "tally", str(CUMULATIVE), "--rule", "mes", "--completion", "none",
                 "--json"]) == 0
    mes = json.loads(capsys.readouterr().out)
    assert mes["completion"] == "none" and mes["total_cost"] <= mes["budget"]


def test_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pb", "tally", str(SMALL), "--rule", "mes"]) == 0
    out = capsys.readouterr().out
    assert "Method of Equal Shares" in out and "44250" in out and "Why, in words:" in out


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["pb", "tally", "--help"])
    assert done.value.code == 0
    assert "--completion" in capsys.readouterr().out


def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.pb"
    path.write_text("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\n"
                    "project_id;cost\na;50\nVOTES\nvoter_id;vote\n1;a\n1;a\n")
    assert main(["pb", "tally", str(path), "--rule", "mes", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    line = captured.err.strip()
    assert "\n" not in line and line.startswith(f"{path}:11: ") and "remove the duplicate" in line

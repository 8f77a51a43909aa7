"""`powershift panel select`: the --json contract, the text output, and bad input (exit 2, one
line naming the file, the line and the fix, nothing selected)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powershift.cli import main
from powershift.methods.sortition_draw import commit_seed, redraw

DATA = Path(__file__).parent.parent / "data" / "sortition"
KEYS = ["algorithm", "panel", "probabilities", "min_probability", "committees", "seed",
        "seed_commitment", "seconds"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["panel", "select", *args])
    out, err = capsys.readouterr()
    return status, out, err


def example(*more: str) -> list[str]:
    folder = DATA / "synth_200_20_4_households"
    return ["--categories", str(folder / "categories.csv"), "--people",
            str(folder / "people.csv"), "--size", "20", *more]


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, *example("--seed", "town hall", "--households", "--json"))
    assert status == 0
    result = json.loads(out)
    assert list(result)[:len(KEYS)] == KEYS
    assert result["algorithm"] == "leximin" and result["seed"] == "town hall"
    assert result["seed_commitment"] == commit_seed("town hall")
    assert len(result["panel"]) == 20 and len(result["probabilities"]) == 200
    assert sum(result["probabilities"].values()) == pytest.approx(20)
    assert result["min_probability"] == pytest.approx(1 / 13, abs=1e-6)
    committees = [(c["members"], c["weight"]) for c in result["committees"]]
    assert list(redraw(committees, result["seed"])) == result["panel"]
    assert result["households"] is True and result["pool"] == 200


@pytest.mark.parametrize("algorithm", ["maximin", "legacy"])
def test_other_algorithms(capsys: pytest.CaptureFixture[str], algorithm: str) -> None:
    status, out, _ = run(capsys, *example("--seed", "s", "--algorithm", algorithm, "--json"))
    assert status == 0 and json.loads(out)["algorithm"] == algorithm


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, *example("--seed", "s"))
    assert status == 0
    assert "Panel of 20 drawn from 200 volunteers by leximin" in out
    assert f"SHA-256 commitment {commit_seed('s')}" in out


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["panel", "select", "--help"])
    assert e.value.code == 0
    assert "--households" in capsys.readouterr().out


CATEGORIES = "feature,value,min,max\ngender,Female,2,3\ngender,Male,2,3\nage,young,1,3\nage,old,1,4\n"
PEOPLE = "id,gender,age\n" + "".join(
    f"p{i},{'Female' if i % 2 else 'Male'},{'young' if i % 3 else 'old'}\n" for i in range(1, 11))


def bad(capsys: pytest.CaptureFixture[str], tmp_path: Path, size: int = 5,
        categories: str = CATEGORIES, people: str = PEOPLE, *more: str) -> str:
    c, p = tmp_path / "c.csv", tmp_path / "p.csv"
    c.write_text(categories)
    p.write_text(people)
    status, out, err = run(capsys, "--categories", str(c), "--people", str(p), "--size",
                           str(size), "--json", *more)
    assert status == 2 and out == ""
    assert err.count("\n") == 1
    return err.strip()


def test_bad_missing_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = bad(capsys, tmp_path, people=PEOPLE.replace("id,gender", "id,sex"))
    assert err.startswith(f"{tmp_path / 'p.csv'}:1: ") and "no column 'gender'" in err
    assert "add it to the header" in err


def test_bad_value_not_in_categories(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = bad(capsys, tmp_path, people=PEOPLE.replace("p3,Female", "p3,F"))
    assert err.startswith(f"{tmp_path / 'p.csv'}:4: ") and "'gender' is 'F'" in err
    assert "add the value to the categories file" in err


def test_bad_min_above_max(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = bad(capsys, tmp_path, categories=CATEGORIES.replace("old,1,4", "old,5,4"))
    assert err.startswith(f"{tmp_path / 'c.csv'}:5: ") and "min 5 above max 4" in err
    assert "lower the min or raise the max" in err


def test_bad_mins_above_panel(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = bad(capsys, tmp_path, 3)
    assert err.startswith(f"{tmp_path / 'c.csv'}:2: ") and "more than the panel of 3" in err
    assert "lower them to a total of at most 3" in err


def test_bad_maxes_below_panel(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = bad(capsys, tmp_path, 7)
    assert err.startswith(f"{tmp_path / 'c.csv'}:2: ") and "fewer than the panel of 7" in err
    assert "raise them to a total of at least 7" in err


def test_bad_pool_smaller_than_panel(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = bad(capsys, tmp_path, 5, CATEGORIES.replace(",3\n", ",5\n").replace(",4\n", ",5\n"),
              "id,gender,age\np1,Female,old\np2,Male,old\np3,Male,young\n")
    assert err.startswith(f"{tmp_path / 'p.csv'}:1: ") and "the pool has 3 people" in err
    assert "recruit more volunteers or choose a smaller panel" in err


def test_bad_infeasible_quotas_explained(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    # Three old volunteers (two women, one man); the quotas want four old people.
    cats = "feature,value,min,max\ngender,Female,3,3\ngender,Male,2,2\nage,young,0,2\nage,old,4,5\n"
    people = "id,gender,age\n" + "".join(
        f"p{i},{'Female' if i < 5 else 'Male'},{'old' if i in (1, 2, 5) else 'young'}\n"
        for i in range(1, 11))
    err = bad(capsys, tmp_path, 5, cats, people)
    assert err.startswith(f"{tmp_path / 'c.csv'}:5: ")
    assert "no panel of 5 from this pool meets these quotas together: 'age old' min 4" in err
    assert "the smallest change that allows a panel: lower 'age old' min from 4 to 3" in err


def test_bad_households_without_address(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    err = bad(capsys, tmp_path, 5, CATEGORIES, PEOPLE, "--households")
    assert err.startswith(f"{tmp_path / 'p.csv'}:1: ") and "no column 'address', 'postcode'" in err

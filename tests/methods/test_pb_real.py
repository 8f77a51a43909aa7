"""Our tallies select exactly the projects pabutools selects, on real Pabulib elections.

The committed instances and their expected outcomes are in tests/data/pabulib/ (made by
make_expected.py there, which records the oracle call in each file). When the shared data set
../shared/data/pabulib/ exists (elections as .pb or .pb.gz, with expected/NAME.json in the same
layout), every election in it with an expected file is compared too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powershift.formats.pabulib import read
from powershift.methods.equal_shares import tally

HERE = Path(__file__).parents[1] / "data" / "pabulib"
SHARED = Path(__file__).parents[2].parent / "shared" / "data" / "pabulib"
VARIANTS = {"mes": ("mes", "none"), "mes_completion": ("mes", "budget-increase"),
            "greedy": ("greedy", "none")}


def _cases(folder: Path) -> list[tuple[Path, Path]]:
    cases = []
    for expected in sorted((folder / "expected").glob("*.json")):
        name = expected.name.removesuffix(".json")
        for suffix in (".pb.gz", ".pb"):
            if (folder / f"{name}{suffix}").exists():
                cases.append((folder / f"{name}{suffix}", expected))
                break
    return cases


def _compare(path: Path, expected_file: Path) -> None:
    expected = json.loads(expected_file.read_text())
    election = read(path)
    checked = 0
    for key, (rule, completion) in VARIANTS.items():
        if key not in expected:
            continue
        outcome = tally(election, rule, completion)  # type: ignore[arg-type]
        assert sorted(outcome.selected) == sorted(expected[key]), \
            f"{path.name} {key}: ours {sorted(outcome.selected)} != {expected['oracle']} " \
            f"{sorted(expected[key])} ({expected['calls'][key]})"
        assert outcome.total_cost <= election.budget
        checked += 1
    assert checked, f"{expected_file} has no outcomes"


COMMITTED = _cases(HERE)


def test_enough_committed_instances() -> None:
    assert len(COMMITTED) >= 40
    assert all("mes_completion" in json.loads(e.read_text()) for _, e in COMMITTED)


@pytest.mark.parametrize(("path", "expected"), COMMITTED, ids=[p.name[:50] for p, _ in COMMITTED])
def test_same_as_pabutools(path: Path, expected: Path) -> None:
    _compare(path, expected)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent on this machine (the "
                    "shared Pabulib data set with pabutools' expected outcomes)")
def test_same_as_pabutools_on_shared_data() -> None:
    cases = _cases(SHARED)
    assert cases, f"no election in {SHARED} has an expected/NAME.json"
    for path, expected in cases:
        _compare(path, expected)


@pytest.mark.parametrize("path", [p for p, _ in COMMITTED[::4]], ids=lambda p: p.name[:50])
def test_one_run_makes_the_choices_a_batch_of_runs_makes(path: Path) -> None:
    # Bare MES runs alone (`Single`, over voters); the completion runs shares in batches
    # (`Batch`, over distinct ballots). At the same share they must fund the same projects.
    from fractions import Fraction

    from powershift.methods.equal_shares import count
    from powershift.methods.mes_ballots import Data
    from powershift.methods.mes_runs import Batch, Single

    election = read(path)
    c = count(election, "mes", "none")
    d = c._data
    share = Fraction(election.budget) / d.n
    shares = [share + k for k in (0, 1, 7, 50)]
    assert isinstance(d, Data)
    assert [Single(d, s).outcome() for s in shares] == Batch(d, shares).outcomes()

"""Polis-style opinion analysis: properties on small made-up conversations, then the twelve real
open Polis conversations in tests/data/polis compared with red-dwarf 0.4.0's expected results
(tests/data/polis/make_expected.py), and ../shared/data/polis when it exists."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powershift.formats.polis_export import PolisExport, read_export
from powershift.methods.opinion import (
    Analysis,
    VoteArrays,
    analyze,
    next_statement,
    vote_arrays,
)

DATA = Path(__file__).parent.parent / "data" / "polis"
SHARED = Path(__file__).parents[2].parent / "shared" / "data" / "polis"
CONVERSATIONS = sorted(p.stem for p in (DATA / "expected").glob("*.json"))
# Conversations where, for one group, our choice of the "best agreement" differs from red-dwarf's
# (so one statement of that group's list differs; every figure of every statement is the same).
BEST_AGREE_DIFFERS = {"brexit-consensus"}


def ari(a: list[int], b: list[int]) -> float:
    """Adjusted Rand index of two labellings, from their contingency table."""
    _, x = np.unique(a, return_inverse=True)
    _, y = np.unique(b, return_inverse=True)
    table = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(table, (x, y), 1)

    def pairs(n: Any) -> Any:
        return n * (n - 1) / 2

    index, rows, cols = pairs(table).sum(), pairs(table.sum(1)).sum(), pairs(table.sum(0)).sum()
    expected = rows * cols / pairs(len(a))
    top = (rows + cols) / 2 - expected
    return float((index - expected) / top) if top else 1.0


def planted(n: int, m: int, groups: int, density: float, seed: int) -> tuple[VoteArrays, list[int]]:
    """A conversation with planted groups: each group agrees with its own block of statements
    and disagrees with the others, with 10 % noise."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(groups, size=n)
    votes = rng.random((n, m)) < density
    p, s = np.nonzero(votes)
    agree = (s % groups) == truth[p]
    v = np.where(agree, 1, -1)
    noise = rng.random(p.size) < 0.1
    v[noise] = rng.integers(-1, 2, size=int(noise.sum()))
    return VoteArrays(list(range(n)), list(range(m)), p.astype(np.int64), s.astype(np.int64),
                      v.astype(np.int64)), truth.tolist()


def test_planted_groups_are_recovered_deterministically() -> None:
    data, truth = planted(600, 80, 3, 0.3, seed=1)
    first, second = analyze(data, data.statements), analyze(data, data.statements)
    assert [g.members for g in first.groups] == [g.members for g in second.groups]
    assert first.coordinates == second.coordinates
    label = first.group_of()
    assert ari(truth, [label[p] for p in range(600)]) >= 0.95
    assert min(len(g.members) for g in first.groups) >= 2


def test_latest_vote_wins_and_tallies_count_passes() -> None:
    votes = [("ann", "s1", 1, 1.0), ("ann", "s1", -1, 2.0), ("bo", "s1", 0, 1.0),
             ("bo", "s2", 1, 1.0)]
    result = analyze(votes, ["s1", "s2"])
    assert (result.tallies["s1"].agree, result.tallies["s1"].disagree,
            result.tallies["s1"].passed) == (0, 1, 1)
    assert result.votes == 3


def test_too_small_to_cluster_still_gives_tallies_and_consensus() -> None:
    votes = [(p, s, 1, 0) for p in range(3) for s in range(3)]
    result = analyze(votes, [0, 1, 2])
    assert result.groups == [] and result.too_small and "at least 4 participants" in result.too_small
    assert result.tallies[0].agree == 3
    assert len(result.coordinates) == 3


def test_moderated_out_statements_are_never_selected_or_routed() -> None:
    data, _ = planted(200, 30, 2, 0.5, seed=2)
    result = analyze(data, data.statements, moderated_out=[0, 1], meta=[2])
    chosen = {f.statement for g in result.groups for f in g.representative}
    chosen |= {f.statement for f in result.consensus}
    assert not chosen & {0, 1, 2}
    assert result.priorities[0] == 0 and result.priorities[2] == 49.0
    picks = {next_statement(7, result, voted=range(3, 30), seed=s) for s in range(20)}
    assert picks == {2}  # only the meta statement is left (moderated-out ones never are)


def test_routing_is_seeded_and_skips_what_was_voted() -> None:
    data, _ = planted(200, 30, 2, 0.5, seed=3)
    result = analyze(data, data.statements)
    picks = [next_statement(5, result, voted=[0, 1], seed=s) for s in range(50)]
    assert picks == [next_statement(5, result, voted=[0, 1], seed=s) for s in range(50)]
    assert not {0, 1} & set(picks) and len(set(picks)) > 3
    assert next_statement(5, result, voted=range(30), seed=0) is None


def test_never_a_one_person_group() -> None:
    data, _ = planted(40, 20, 2, 0.6, seed=4)
    outlier = VoteArrays(  # one participant far from everyone else
        [*data.participants, 999], data.statements,
        np.concatenate([data.participant_index, np.full(20, 40)]),
        np.concatenate([data.statement_index, np.arange(20)]),
        np.concatenate([data.vote, np.zeros(20, dtype=np.int64)]))
    result = analyze(outlier, outlier.statements)
    assert result.groups and min(len(g.members) for g in result.groups) >= 2


@functools.cache
def _conversation(folder: Path) -> tuple[PolisExport, VoteArrays]:
    """Read once per test session (several tests use each conversation)."""
    export = read_export(folder)
    return export, vote_arrays([(v.participant, v.statement, v.vote, v.timestamp)
                                for v in export.votes], [c.id for c in export.comments])


@functools.cache
def _clustered(folder: Path) -> Analysis:
    export, votes = _conversation(folder)
    return analyze(votes, [c.id for c in export.comments], moderated_out=export.moderated_out)


def _figures(entry: dict[str, Any]) -> tuple[Any, ...]:
    return (entry["tid"], entry.get("repful-for"), entry["n-success"], entry["n-trials"],
            round(entry["p-success"], 9), round(entry["p-test"], 9),
            round(entry.get("repness", 0.0), 9), round(entry.get("repness-test", 0.0), 9))


def _ours(f: Any) -> tuple[Any, ...]:
    return (f.statement, f.direction if f.repness is not None else None, f.n_success, f.n_trials,
            round(f.p_success, 9), round(f.p_test, 9), round(f.repness or 0.0, 9),
            round(f.repness_test or 0.0, 9))


def compare_given_groups(folder: Path, expected: dict[str, Any], *, best_agree: bool) -> None:
    export, votes = _conversation(folder)
    result = analyze(votes, [c.id for c in export.comments], moderated_out=export.moderated_out,
                     groups=export.groups)
    given = expected["given_groups"]
    for sid, (agree, disagree) in given["group_aware_consensus"].items():
        assert result.group_aware_consensus[int(sid)] == pytest.approx((agree, disagree), rel=1e-9)
    theirs = [_figures(e) for e in given["consensus"]["agree"] + given["consensus"]["disagree"]]
    ours = [_ours(f) for f in result.consensus]
    # The same figures (statements with identical figures may be tied for the last place).
    assert sorted(x[1:] for x in ours) == sorted(x[1:] for x in theirs)
    for group in result.groups:
        theirs = [_figures(e) for e in given["repness"][str(group.id)]]
        ours = [_ours(f) for f in group.representative]
        if best_agree:
            assert ours == theirs
        else:  # a different best agreement leads the list, so one statement may differ
            assert len(set(ours) ^ set(theirs)) <= 2


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_consensus_and_representativeness_equal_red_dwarf_on_polis_groups(name: str) -> None:
    expected = json.loads((DATA / "expected" / f"{name}.json").read_text())
    assert expected["oracle"] == "red-dwarf 0.4.0"
    compare_given_groups(DATA / name, expected, best_agree=name not in BEST_AGREE_DIFFERS)


def group_agreement(folder: Path, expected: dict[str, Any]) -> tuple[float, float, Analysis]:
    """(our ARI with Polis's groups, red-dwarf's, our analysis), over participants both placed."""
    export, _ = _conversation(folder)
    result = _clustered(folder)
    ours = result.group_of()
    common = [p for p in export.groups if p in ours]
    theirs = {int(p): g for p, g in expected["default"]["groups"].items()}
    common_rd = [p for p in export.groups if p in theirs]
    return (ari([export.groups[p] for p in common], [ours[p] for p in common]),
            ari([export.groups[p] for p in common_rd], [theirs[p] for p in common_rd]), result)


def test_groups_agree_with_polis_better_than_red_dwarf() -> None:
    """The issue's target: median ARI with Polis's groups >= 0.80 (we reach 0.88 on the twelve;
    red-dwarf 0.83), and at least as close to Polis as red-dwarf on most conversations (10 of
    12 today; bench/opinion_polis_ari.py prints the table)."""
    scores = {}
    for name in CONVERSATIONS:
        expected = json.loads((DATA / "expected" / f"{name}.json").read_text())
        ours, theirs, result = group_agreement(DATA / name, expected)
        assert min(len(g.members) for g in result.groups) >= 2
        scores[name] = (ours, theirs)
    median_ours = float(np.median([s[0] for s in scores.values()]))
    median_theirs = float(np.median([s[1] for s in scores.values()]))
    print("ARI with Polis's groups (ours, red-dwarf):", scores, median_ours, median_theirs)
    assert median_ours >= 0.85  # 0.88 measured; the margin allows for another BLAS
    assert median_ours > median_theirs
    at_least_as_close = sum(ours >= theirs - 0.005 for ours, theirs in scores.values())
    assert at_least_as_close >= 9, scores


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent on this machine (real Polis "
                    "conversations with red-dwarf's expected/ results; see tests/data/polis)")
def test_shared_polis_conversations() -> None:
    names = sorted(p.stem for p in (SHARED / "expected").glob("*.json"))
    assert names, f"{SHARED}/expected holds no results; run tests/data/polis/make_expected.py"
    scores = []
    for name in names:
        expected = json.loads((SHARED / "expected" / f"{name}.json").read_text())
        compare_given_groups(SHARED / name, expected, best_agree=False)
        scores.append(group_agreement(SHARED / name, expected)[:2])
    assert np.median([s[0] for s in scores]) > np.median([s[1] for s in scores])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 7), st.sampled_from([-1, 0, 1]),
                          st.integers(0, 5)), min_size=1, max_size=120),
       st.integers(0, 3))
def test_properties_on_random_conversations(votes: list[tuple[int, int, int, int]],
                                            seed: int) -> None:
    statements = list(range(8))
    result = analyze(votes, statements, seed=seed)
    again = analyze(list(reversed(votes)) if len({v[3] for v in votes}) == len(votes) else votes,
                    statements, seed=seed)
    assert [g.members for g in result.groups] == [g.members for g in again.groups]
    latest: dict[tuple[int, int], tuple[int, int, int]] = {}
    for i, (p, s, v, t) in enumerate(votes):
        if (p, s) not in latest or (t, i) >= latest[(p, s)][1:]:  # latest time, then later row
            latest[(p, s)] = (v, t, i)
    assert sum(t.seen for t in result.tallies.values()) == len(latest) == result.votes
    assert all(len(g.members) >= 2 for g in result.groups)
    assert set().union(*(g.members for g in result.groups)) <= set(result.clustered)
    for f in [*result.consensus, *(f for g in result.groups for f in g.representative)]:
        assert 0 < f.p_success < 1 and f.n_success <= f.n_trials
    if result.too_small is None:
        assert 2 <= len(result.groups) <= 5


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_routing_priorities_equal_red_dwarf(name: str) -> None:
    expected = json.loads((DATA / "expected" / f"{name}.json").read_text())
    result = _clustered(DATA / name)
    theirs = expected["default"]["priority"]
    ours = {str(s): result.priorities[s] for s in result.statements if str(s) in theirs}
    assert len(ours) == len(theirs)
    # red-dwarf's PCA (scikit-learn's, solver "auto") is a randomized approximation once the
    # matrix has more than 500 rows or columns; ours is exact there too (ARPACK to machine
    # precision), so the extremities, and with them the priorities, then differ slightly.
    randomized = max(len(result.participants), len(result.statements)) > 500
    assert ours == pytest.approx(theirs, rel=2e-2 if randomized else 1e-6, abs=1e-12)

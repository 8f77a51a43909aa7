"""The Method of Equal Shares and greedy by votes: hand-checked cases, explanations, properties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powershift.methods.equal_shares import (
    Money,
    Outcome,
    Project,
    count_greedy,
    count_mes,
    equal_shares,
    explain,
    greedy,
)

P = [Project("a", 600, "A"), Project("b", 400, "B"), Project("c", 300, "C"), Project("d", 200, "D")]


def test_mes_splits_cost_among_supporters() -> None:
    # 10 voters, 100 each. a: 6 supporters can pay 600; b: 4 supporters pay 400. c, d: the
    # same 4 voters, who have nothing left after b.
    ballots = [{"a": 1}] * 6 + [{"b": 1, "c": 1, "d": 1}] * 4
    o = equal_shares(1000, P, ballots, completion="none")
    assert o.selected == ["a", "b"] and o.total_cost == 1000
    a = o.explanations["a"]
    assert a.funded and a.reason == "equal_shares" and a.payers == 6
    assert set(a.payments.values()) == {Fraction(100)} and a.paid_total == 600
    assert o.explanations["c"].reason == "no_supporters_with_money"
    assert "spent" in o.explanations["c"].text


def test_too_expensive_for_supporters_and_no_supporters() -> None:
    ballots = [{"a": 1}] * 2 + [{"c": 1}] * 8
    o = equal_shares(1000, P, ballots, completion="none")
    assert o.selected == ["c"]
    assert o.explanations["a"].reason == "too_expensive_for_supporters"
    assert "200" in o.explanations["a"].text  # the two supporters' shares together
    assert o.explanations["b"].reason == "no_supporters"


def test_ties_go_to_the_id_that_sorts_first_as_text() -> None:
    projects = [Project("9", 500), Project("10", 500)]
    o = equal_shares(500, projects, [{"9": 1, "10": 1}] * 4, completion="none")
    assert o.selected == ["10"]  # "10" < "9" as text, as pabutools breaks ties
    g = greedy(500, projects, [{"9": 1, "10": 1}] * 4)
    assert g.selected == ["10"]


def test_exact_tie_that_floats_would_split() -> None:
    # Prices 1/3 and 1/3 computed along different paths: only exact arithmetic sees the tie.
    projects = [Project("x", Fraction(1, 10)), Project("y", Fraction(3, 10))]
    ballots = [{"x": 1, "y": 1}] * 3
    o = equal_shares(Fraction(3, 10), projects, ballots, completion="none")
    assert o.selected == ["x"]  # an exact tie at 1/3: "x" sorts first; y is then unaffordable


def test_completion_raises_shares_then_fills_greedily() -> None:
    # b's 4 supporters have 400 but b costs 450: bare MES leaves it; with raised shares it fits.
    projects = [Project("a", 500), Project("b", 450), Project("c", 40)]
    ballots = [{"a": 1}] * 6 + [{"b": 1}] * 4
    bare = equal_shares(1000, projects, ballots, completion="none")
    assert bare.selected == ["a"]
    full = equal_shares(1000, projects, ballots)
    assert full.selected == ["a", "b", "c"] and full.increments > 0
    assert full.explanations["c"].reason == "completion"
    assert full.total_cost <= 1000


def test_points_as_utilities() -> None:
    ballots = [{"a": 3, "b": 1}] * 5 + [{"b": 4}] * 5
    o = equal_shares(1000, P, ballots, completion="none", utilities="points")
    assert set(o.selected) <= {"a", "b"} and o.total_cost <= 1000


def test_greedy_counts_approvals_as_it_counts_points() -> None:
    # All-approval ballots are counted without arrays; a zero-point entry forces the general
    # path (and does not count as support): both must explain alike.
    ballots: list[dict[str, Money]] = [{"a": 1, "b": 1}] * 3 + [{"b": 1, "c": 1}] * 2
    fast = greedy(700, P, ballots)
    general = greedy(700, P, ballots + [{"d": 0}])
    assert fast.selected == general.selected == ["b", "c"]
    assert {k: e.summary() for k, e in fast.explanations.items()} == \
        {k: e.summary() for k, e in general.explanations.items()}
    assert fast.explanations["b"].supporters == 5 and fast.explanations["d"].supporters == 0


def test_a_ballot_naming_an_unknown_project_is_refused() -> None:
    for ballots in ([{"a": 1}, {"zz": 1}], [{"a": 2}, {"zz": 1}]):
        with pytest.raises(ValueError, match="names project zz"):
            greedy(1000, P, ballots)
        with pytest.raises(ValueError, match="names project zz"):
            equal_shares(1000, P, ballots)


def test_greedy_skips_what_does_not_fit() -> None:
    ballots = [{"a": 1, "b": 1}] * 3 + [{"b": 1, "c": 1}] * 2 + [{"d": 1}]
    o = greedy(1000, P, ballots)
    assert o.selected == ["b", "a"]
    assert o.explanations["c"].reason == "over_budget"
    assert o.explanations["d"].reason == "over_budget"


def test_empty_election() -> None:
    assert equal_shares(100, P, []).selected == []


# ---- properties ----

ids = st.sampled_from(["p1", "p2", "p3", "p4", "p5", "p6"])
elections = st.tuples(
    st.integers(min_value=1, max_value=5000),
    st.lists(st.integers(min_value=1, max_value=3000), min_size=6, max_size=6),
    st.lists(st.dictionaries(ids, st.integers(min_value=1, max_value=3), max_size=4),
             min_size=1, max_size=25),
)


def _projects(costs: Sequence[int]) -> list[Project]:
    return [Project(f"p{k + 1}", c) for k, c in enumerate(costs)]


def _priceable(o: Outcome, ballots: Sequence[Mapping[str, int]], costs: Mapping[str, int]) -> None:
    """Each funded project paid in full by its supporters only; nobody pays more than their
    share; and (bare MES) every unfunded project's supporters have less left than its cost."""
    share = o.voter_share
    assert share is not None
    spent: dict[int, Fraction] = {}
    for pid, e in o.explanations.items():
        if e.reason == "equal_shares":
            assert e.paid_total == costs[pid]
            assert all(pid in ballots[i] and amount >= 0 for i, amount in e.payments.items())
            for i, amount in e.payments.items():
                spent[i] = spent.get(i, Fraction(0)) + amount
    assert all(total <= share for total in spent.values())
    if o.completion == "none":
        for pid, e in o.explanations.items():
            if not e.funded:
                left = sum(share - spent.get(i, Fraction(0))
                           for i, b in enumerate(ballots) if b.get(pid, 0) > 0)
                assert left < costs[pid]


@settings(max_examples=60, deadline=None)
@given(elections, st.sampled_from(["cost", "points"]), st.sampled_from(["none", "budget-increase"]))
def test_mes_within_budget_and_priceable(election: tuple[int, list[int], list[dict[str, int]]],
                                         utilities: str, completion: str) -> None:
    budget, costs, ballots = election
    projects = _projects(costs)
    o = equal_shares(budget, projects, ballots, completion=completion,  # type: ignore[arg-type]
                     utilities=utilities)  # type: ignore[arg-type]
    cost = {p.id: p.cost for p in projects}
    assert o.total_cost == sum(cost[p] for p in o.selected) <= budget
    assert len(set(o.selected)) == len(o.selected)
    _priceable(o, ballots, cost)


@settings(max_examples=40, deadline=None)
@given(elections, st.randoms(use_true_random=False))
def test_mes_does_not_depend_on_voter_order(election: tuple[int, list[int], list[dict[str, int]]],
                                            rnd: object) -> None:
    budget, costs, ballots = election
    shuffled = list(ballots)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    reordered = [dict(reversed(list(b.items()))) for b in shuffled]
    for completion in ("none", "budget-increase"):
        one = equal_shares(budget, _projects(costs), ballots, completion=completion)  # type: ignore[arg-type]
        two = equal_shares(budget, _projects(costs), reordered, completion=completion)  # type: ignore[arg-type]
        assert one.selected == two.selected


@settings(max_examples=40, deadline=None)
@given(elections, st.sampled_from(["none", "budget-increase"]))
def test_explaining_a_count_funds_what_it_selected(
        election: tuple[int, list[int], list[dict[str, int]]], completion: str) -> None:
    # The count (what the benchmark times against pabutools) decides; explaining it replays the
    # kept MES run exactly: the projects it explains as funded are the ones selected.
    budget, costs, ballots = election
    c = count_mes(budget, _projects(costs), ballots, completion=completion)  # type: ignore[arg-type]
    o = explain(c)
    assert o.selected == c.selected and o.increments == c.increments
    assert {pid for pid, e in o.explanations.items() if e.funded} == set(c.selected)
    mes_funded = [pid for pid in c.selected if o.explanations[pid].reason == "equal_shares"]
    assert c.selected[:len(mes_funded)] == mes_funded  # MES's choices come first
    g = count_greedy(budget, _projects(costs), ballots)
    assert explain(g).selected == g.selected == greedy(budget, _projects(costs), ballots).selected


def _reference_greedy(budget: Money, projects: Sequence[Project],
                      ballots: Sequence[Mapping[str, Money]]) -> list[str]:
    votes = {p.id: sum(b.get(p.id, 0) for b in ballots) for p in projects}
    chosen, left = [], Fraction(budget)
    for p in sorted(projects, key=lambda p: (-votes[p.id], p.id)):
        if p.cost <= left:
            chosen.append(p.id)
            left -= p.cost
    return chosen


@settings(max_examples=80, deadline=None)
@given(elections)
def test_greedy_equals_a_plain_reference(election: tuple[int, list[int], list[dict[str, int]]]) -> None:
    budget, costs, ballots = election
    assert greedy(budget, _projects(costs), ballots).selected == \
        _reference_greedy(budget, _projects(costs), ballots)


@pytest.mark.parametrize("bad", [[{"zz": 1}], [{"a": -1}]])
def test_rejects_bad_ballots(bad: list[dict[str, int]]) -> None:
    with pytest.raises(ValueError):
        equal_shares(100, P, bad)


def test_tally_reads_what_the_format_returns() -> None:
    from pathlib import Path

    from powershift.formats.pabulib import read
    from powershift.methods.equal_shares import tally

    election = read(Path(__file__).parents[1] / "data" / "pabulib" / "Netherlands_Amsterdam_643.pb.gz")
    outcome = tally(election, "mes", "budget-increase")
    assert set(outcome.explanations) == {p.id for p in election.projects}
    assert outcome.voter_share is not None and outcome.voter_share > election.budget / len(election.voters)
    with pytest.raises(ValueError, match="unknown rule"):
        tally(election, "borda")


def _reference_mes(costs: Sequence[Fraction], ballots: Sequence[Mapping[int, int]],
                   share: Fraction, per_cost: bool) -> list[int]:
    """Plain exact MES (projects by index, ties to the lowest id as text), for comparison."""
    budget = [share] * len(ballots)
    ids = sorted(range(len(costs)), key=lambda p: f"p{p + 1}")
    supporters = {p: [i for i, b in enumerate(ballots) if b.get(p, 0) > 0] for p in ids}
    alive = [p for p in ids if supporters[p] and costs[p] > 0]
    chosen: list[int] = []
    while True:
        best: tuple[Fraction, int, Fraction] | None = None
        for p in list(alive):
            w = {i: 1 if per_cost else ballots[i][p] for i in supporters[p]}
            if sum(budget[i] for i in supporters[p]) < costs[p]:
                alive.remove(p)
                continue
            paid, util = Fraction(0), sum(w.values())
            for i in sorted(supporters[p], key=lambda i: budget[i] / w[i]):
                x = (costs[p] - paid) / util
                if x * w[i] <= budget[i]:
                    break
                paid += budget[i]
                util -= w[i]
            rho = x / costs[p] if per_cost else x
            if best is None or rho < best[0]:
                best = (rho, p, x)
        if best is None:
            return chosen
        _, p, x = best
        for i in supporters[p]:
            budget[i] -= min(budget[i], x * (1 if per_cost else ballots[i][p]))
        chosen.append(p)
        alive.remove(p)


@settings(max_examples=60, deadline=None)
@given(elections, st.sampled_from(["cost", "points"]))
def test_batched_runs_equal_a_plain_exact_reference(
        election: tuple[int, list[int], list[dict[str, int]]], utilities: str) -> None:
    # Several shares at once (the completion's batches), each run as plain exact MES makes it.
    from powershift.methods.mes_ballots import Data
    from powershift.methods.mes_runs import Batch

    budget, costs, ballots = election
    projects = _projects(costs)
    d = Data(projects, ballots, utilities)  # type: ignore[arg-type]
    share = Fraction(budget, len(ballots))
    shares = [share + k for k in range(6)]
    by_index = [{int(pid[1:]) - 1: x for pid, x in b.items()} for b in ballots]
    expected = [_reference_mes([Fraction(c) for c in costs], by_index, s, utilities == "cost")
                for s in shares]
    assert Batch(d, shares).outcomes() == expected


@settings(max_examples=200, deadline=None)
@given(elections, st.sampled_from(["cost", "points"]), st.integers(0, 3))
def test_a_single_run_equals_a_plain_exact_reference(
        election: tuple[int, list[int], list[dict[str, int]]], utilities: str, extra: int) -> None:
    # Bare MES (one run over voters, `Single`), as plain exact MES makes it.
    from powershift.methods.mes_ballots import Data
    from powershift.methods.mes_runs import Single

    budget, costs, ballots = election
    d = Data(_projects(costs), ballots, utilities)  # type: ignore[arg-type]
    share = Fraction(budget, len(ballots)) + extra
    by_index = [{int(pid[1:]) - 1: x for pid, x in b.items()} for b in ballots]
    expected = _reference_mes([Fraction(c) for c in costs], by_index, share, utilities == "cost")
    assert Single(d, share).outcome() == expected


def test_free_projects_are_funded_first_and_explained() -> None:
    projects = [Project("a", 0), Project("b", 100), Project("c", 50)]
    o = equal_shares(100, projects, [{"a": 1}, {"b": 1, "c": 1}], completion="none")
    assert o.selected == ["a", "c"]
    assert o.explanations["a"].text == "Funded: it costs nothing."
    assert o.explanations["a"].price == 0

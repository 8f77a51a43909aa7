"""Counting a round once at close, the published result, and the downloads anyone can re-count."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from powershift.budgets import actions
from powershift.budgets.models import BallotKind, DeliveryStatus, Stage
from powershift.formats import pabulib
from powershift.methods.equal_shares import Project, equal_shares
from tests.budgets.conftest import COSTS, person

pytestmark = pytest.mark.django_db

# 10 voters: six like projects 2 and 3, four form a group that likes 4 and 5.
BALLOTS = [{2: 1, 3: 1}] * 6 + [{4: 1, 5: 1}] * 4


def _vote(round, make_voter, ballots=BALLOTS):  # type: ignore[no-untyped-def]
    for i, ballot in enumerate(ballots):
        actions.cast_ballot(make_voter(round, f"v{i}@example.org"), round, ballot)


def test_no_result_exists_until_the_round_moves_to_results(make_round, make_voter, client):
    r = make_round()
    _vote(r, make_voter)
    assert r.result is None
    assert client.get(f"/budgets/{r.slug}/results/").status_code == 302
    assert client.get(f"/budgets/{r.slug}/results.pb").status_code == 403
    assert client.get(f"/budgets/{r.slug}/results.csv").status_code == 403
    page = client.get(f"/budgets/{r.slug}/projects/1/").content.decode()
    assert "supporters" not in page and "voted for it" not in page


def test_equal_shares_gives_the_smaller_group_its_share(make_round, make_voter):
    r = make_round()
    _vote(r, make_voter)
    r = actions.advance_stage(person("facilitator"), r, Stage.RESULTS)
    result = r.result
    # Budget 60,000: each voter has a share of 6,000. The four, a smaller group, control
    # 24,000 and so still get a project of theirs funded.
    assert {4, 5} & set(result["selected"])
    assert result["ballots"] == 10
    expected = equal_shares(60_000, [Project(str(i), c) for i, c in enumerate(COSTS, 1)],
                            [{str(k): v for k, v in b.items()} for b in BALLOTS])
    assert result["selected"] == [int(p) for p in expected.selected]
    assert result["total_cost"] == expected.total_cost
    first = result["projects"][str(result["selected"][0])]
    assert first["funded"] and first["explanation"]["payers"] == first["supporters"]
    assert not result["projects"]["1"]["funded"] and result["projects"]["1"]["explanation"]["reason"] == "no_supporters"
    # Counted once: moving on to delivery keeps the same result.
    r = actions.advance_stage(person("facilitator"), r, Stage.DELIVERY)
    assert r.result == result


def test_greedy_rounds_fund_the_most_voted_first(make_round, make_voter):
    r = make_round(rule="greedy")
    _vote(r, make_voter)
    r = actions.advance_stage(person("facilitator"), r, Stage.RESULTS)
    # 2 and 3 (six votes each) take 50,000; 4 (15,000) no longer fits, 5 (10,000) does.
    assert sorted(r.result["selected"]) == [2, 3, 5] and r.result["completion"] == "none"


def test_downloads_let_anyone_count_again(make_round, make_voter, client, tmp_path):
    r = make_round(ballot_kind=BallotKind.CUMULATIVE, points=10)
    _vote(r, make_voter, [{1: 7, 2: 3}, {4: 5, 5: 5}, {1: 10}])
    actions.advance_stage(person("facilitator"), r, Stage.RESULTS)
    response = client.get(f"/budgets/{r.slug}/results.pb")
    assert response.status_code == 200
    path = tmp_path / "round.pb"
    path.write_bytes(response.content)
    election = pabulib.read(path)
    assert election.vote_type == "cumulative" and election.meta["max_sum_points"] == "10"
    assert sorted(tuple(sorted(b.items())) for b in election.ballots) == sorted(
        [(("1", 7), ("2", 3)), (("4", 5), ("5", 5)), (("1", 10),)])
    assert [v.id for v in election.voters] == ["1", "2", "3"]
    csv_text = client.get(f"/budgets/{r.slug}/results.csv").content.decode()
    assert csv_text.splitlines()[0] == "project,title,cost,supporters,points,funded,why"
    page = client.get(f"/budgets/{r.slug}/results/").content.decode()
    assert "Every project, and why it was or was not funded" in page and "<svg" in page


def test_delivery_updates_only_for_funded_projects(make_round, make_voter):
    r = make_round()
    _vote(r, make_voter)
    r = actions.advance_stage(person("facilitator"), r, Stage.RESULTS)
    funded = r.projects.get(number=r.result["selected"][0])
    unfunded = r.projects.get(number=1)
    assert funded.delivery_status == DeliveryStatus.NOT_STARTED
    actions.post_update(person("facilitator"), funded, status=DeliveryStatus.UNDER_WAY,
                        text="Contractor appointed")
    funded.refresh_from_db()
    assert funded.delivery_status == DeliveryStatus.UNDER_WAY and funded.updates.count() == 1
    with pytest.raises(ValidationError, match="Only funded"):
        actions.post_update(person("facilitator"), unfunded, status=DeliveryStatus.UNDER_WAY, text="x")

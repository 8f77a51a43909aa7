"""Download my data and delete my account, for budgets: no ballot is ever tied to a person."""

from __future__ import annotations

import pytest
from django.db import transaction

from powershift.budgets import actions
from powershift.budgets.models import Ballot, Project, Stage, Voter
from powershift.core import privacy
from tests.budgets.conftest import person

pytestmark = pytest.mark.django_db


def test_export_says_that_you_voted_never_how(make_round, make_voter):
    r = make_round()
    jo = make_voter(r, "jo@example.org")
    actions.cast_ballot(jo, r, {3: 1})
    data = privacy.export_person(jo)["budgets"]
    assert data["voting"][0]["voted"] is True
    assert "3" not in str(data["voting"]) and "choices" not in str(data)
    resident = privacy.export_person(person("resident"))["budgets"]
    assert {p["title"] for p in resident["projects_proposed"]} >= {"Project 1", "Project 5"}


def test_erasure_keeps_projects_ballots_and_the_tally(make_round, make_voter):
    r = make_round()
    jo = make_voter(r, "jo@example.org")
    actions.cast_ballot(jo, r, {3: 1})
    r = actions.advance_stage(person("facilitator"), r, Stage.RESULTS)
    result = r.result
    resident = person("resident")
    with transaction.atomic():
        privacy.erase_person(resident)
        privacy.erase_person(jo)
    assert Project.objects.filter(round=r, proposer__isnull=True).count() == 5
    assert Ballot.objects.filter(round=r).count() == 1
    assert not Voter.objects.filter(user=jo).exists()
    assert Voter.objects.filter(round=r, has_voted=True).count() == 1
    r.refresh_from_db()
    assert r.result == result

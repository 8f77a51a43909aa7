"""Budget rounds on the Riverside places, at each stage, for the budgets tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from powershift.budgets import actions
from powershift.budgets.models import BallotKind, ProjectStatus, Round, Stage
from powershift.core.models import Place, User

DEMO = "riverside.example"


def person(role: str) -> User:
    return User.objects.get(email=f"{role}@{DEMO}")


COSTS = [40_000, 30_000, 20_000, 15_000, 10_000]


@pytest.fixture
def make_round(riverside) -> Callable[..., Round]:  # type: ignore[no-untyped-def]
    """A round in Riverside with five feasible projects, moved to the stage asked for."""

    def make(stage: str = Stage.VOTING, *, ballot_kind: str = BallotKind.APPROVAL,
             budget: int = 60_000, rule: str = "mes", **extra: object) -> Round:
        r = actions.create_round(
            person("facilitator"), place=Place.objects.get(code="RV-LOC"), title="Riverside 2026",
            budget=budget, ballot_kind=ballot_kind, rule=rule,
            max_choices=extra.pop("max_choices", 2 if ballot_kind == BallotKind.K_APPROVAL else None),
            points=extra.pop("points", 10 if ballot_kind == BallotKind.CUMULATIVE else None),
            phases=[actions.PhasePlan(Stage.VOTING, dt.date(2026, 11, 1), dt.date(2026, 11, 30))],
            **extra)  # type: ignore[arg-type]
        for i, cost in enumerate(COSTS, start=1):
            actions.propose_project(person("resident"), r, title=f"Project {i}",
                                    description=f"Does thing {i}",
                                    cost_breakdown=[{"item": "All of it", "amount": cost}])
        if stage == Stage.PROPOSALS:
            return r
        for p in r.projects.all():
            actions.review_project(person("facilitator"), p, feasible=True, reason="Checked")
        for s in (Stage.REVIEW, Stage.VOTING):
            actions.advance_stage(person("facilitator"), r, s)
            if s == stage:
                break
        r.refresh_from_db()
        return r

    return make


@pytest.fixture
def make_voter(make_user) -> Callable[[Round, str], User]:  # type: ignore[no-untyped-def]
    """A signed-up person checked at a venue by the facilitator, so they may vote."""

    def make(round: Round, email: str) -> User:
        user = make_user(email, email.split("@")[0])
        actions.check_at_venue(person("facilitator"), round, user, age_confirmed=True)
        return user

    return make


def feasible(round: Round) -> list[int]:
    return list(round.projects.filter(status=ProjectStatus.FEASIBLE).values_list("number", flat=True))

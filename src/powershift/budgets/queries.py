"""Reads for budget pages, with the secrecy rules applied: no tally before results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from powershift.budgets.models import Project, ProjectStatus, Round, Stage
from powershift.core.models import Organisation, Role, User


def rounds() -> QuerySet[Round]:
    return Round.objects.select_related("place").order_by("-created_at", "id")


def public_projects(round: Round) -> QuerySet[Project]:
    """Before voting: everything proposed (with its review status). From voting on: the ballot."""
    projects = round.projects.exclude(status=ProjectStatus.WITHDRAWN).select_related("organisation")
    if round.reached(Stage.VOTING):
        projects = projects.filter(status=ProjectStatus.FEASIBLE)
    return projects.order_by("number")


def ballot(round: Round) -> list[Project]:
    return list(round.projects.filter(status=ProjectStatus.FEASIBLE).order_by("number"))


def organisations_of(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        role_assignments__user=user,
        role_assignments__role__in=[Role.ORG_LEADER, Role.ORG_MEMBER]).distinct()


@dataclass(frozen=True)
class ResultRow:
    project: Project
    figures: dict[str, Any]

    @property
    def funded(self) -> bool:
        return bool(self.figures.get("funded"))


def result_rows(round: Round) -> list[ResultRow]:
    """Projects in the published result, funded first in the order the rule chose them."""
    result = round.result
    if result is None or not round.reached(Stage.RESULTS):
        return []
    projects = {p.number: p for p in round.projects.all()}
    order = {n: i for i, n in enumerate(result["selected"])}
    numbers = sorted((int(n) for n in result["projects"]),
                     key=lambda n: (n not in order, order.get(n, 0), -result["projects"][str(n)]["supporters"], n))
    return [ResultRow(projects[n], result["projects"][str(n)]) for n in numbers if n in projects]


def turnout(round: Round) -> tuple[int, int]:
    """(people who have voted, people who may vote): for staff; says nothing about choices."""
    voters = round.voters.all()
    return voters.filter(has_voted=True).count(), voters.count()

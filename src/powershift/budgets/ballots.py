"""What a valid ballot is, for each ballot kind. Shared by online voting and paper keying."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from powershift.budgets.models import BallotKind


@dataclass(frozen=True)
class BallotRules:
    kind: str
    budget: int
    costs: Mapping[int, int]  # project number -> cost, for the projects on the ballot
    max_choices: int | None = None
    points: int | None = None


def clean_ballot(rules: BallotRules, raw: Mapping[int, int]) -> dict[int, int]:
    """Return the ballot as {project number: points}, or raise ValidationError({"choices": ...})."""
    def fail(message: str) -> ValidationError:
        return ValidationError({"choices": message})

    unknown = sorted(set(raw) - set(rules.costs))
    if unknown:
        raise fail(_("Project %(n)s is not on this ballot; choose from the list")
                   % {"n": unknown[0]})
    ballot = {n: int(v) for n, v in sorted(raw.items()) if int(v) != 0}
    if any(v < 0 for v in ballot.values()):
        raise fail(_("Points cannot be negative"))
    if not ballot:
        raise fail(_("Choose at least one project"))
    if rules.kind == BallotKind.CUMULATIVE:
        total = sum(ballot.values())
        if rules.points is not None and total > rules.points:
            raise fail(_("You have given %(total)s points but have %(points)s; take some away")
                       % {"total": total, "points": rules.points})
        return ballot
    if any(v != 1 for v in ballot.values()):
        raise fail(_("Choose each project at most once"))
    if rules.kind == BallotKind.K_APPROVAL:
        if rules.max_choices is not None and len(ballot) > rules.max_choices:
            raise fail(_("You have chosen %(n)s projects; choose at most %(k)s")
                       % {"n": len(ballot), "k": rules.max_choices})
        return ballot
    spent = sum(rules.costs[n] for n in ballot)
    if spent > rules.budget:
        raise fail(_("Your choices cost %(spent)s, more than the budget of %(budget)s; "
                     "remove a project") % {"spent": f"{spent:,}", "budget": f"{rules.budget:,}"})
    return ballot

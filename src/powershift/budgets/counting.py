"""Counting a round: ballots from the database to the method, and the published result.

The result is a JSON document written once, when the round moves to results; pages, downloads
and the API read it and never count again, so no read path can show a running total.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from powershift.budgets.models import Round


def count_round(round: Round) -> dict[str, Any]:
    from powershift.budgets.models import BallotKind, ProjectStatus
    from powershift.methods import equal_shares as method

    projects = list(round.projects.filter(status=ProjectStatus.FEASIBLE).order_by("number"))
    ballots = [{k: int(v) for k, v in choices.items()}
               for choices in round.ballots.order_by("id").values_list("choices", flat=True)]
    specs = [method.Project(id=str(p.number), cost=p.cost, name=p.title) for p in projects]
    if round.rule == "greedy":
        outcome = method.greedy(round.budget, specs, ballots)
    else:
        outcome = method.equal_shares(
            round.budget, specs, ballots,
            completion="budget-increase" if round.completion else "none",
            utilities="points" if round.ballot_kind == BallotKind.CUMULATIVE else "cost")
    supporters: Counter[str] = Counter()
    points: Counter[str] = Counter()
    for b in ballots:
        for pid, v in b.items():
            supporters[pid] += 1
            points[pid] += v
    return {
        "rule": round.rule,
        "completion": outcome.completion,
        "budget": round.budget,
        "currency": round.currency,
        "ballots": len(ballots),
        "selected": [int(pid) for pid in outcome.selected],
        "total_cost": int(outcome.total_cost),
        "projects": {
            str(p.number): {
                "title": p.title,
                "cost": p.cost,
                "supporters": supporters[str(p.number)],
                "points": points[str(p.number)],
                "funded": str(p.number) in outcome.selected,
                "explanation": outcome.explanations[str(p.number)].summary(),
            }
            for p in projects
        },
    }

"""Published downloads of a counted round: the anonymous ballots as Pabulib, the results as CSV.

Voters in the .pb file are numbered 1, 2, 3... in ballot-id order, which is random, so the file
cannot be lined up with who voted when.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from powershift.formats import pabulib

if TYPE_CHECKING:
    from powershift.budgets.models import Round

PB_RULE = {("mes", "budget-increase"): "equalshares/add1", ("mes", "none"): "equalshares",
           ("greedy", "none"): "greedy"}


def round_to_election(round: Round) -> pabulib.Election:
    from powershift.budgets.models import BallotKind, ProjectStatus, Stage

    result = round.result or {}
    selected = set(result.get("selected", []))
    projects = list(round.projects.filter(status=ProjectStatus.FEASIBLE).order_by("number"))
    ballots = list(round.ballots.order_by("id").values_list("choices", flat=True))
    cumulative = round.ballot_kind == BallotKind.CUMULATIVE
    meta = {
        "description": round.title,
        "country": "United Kingdom",
        "unit": round.place.name,
        "instance": round.slug,
        "num_projects": str(len(projects)),
        "num_votes": str(len(ballots)),
        "budget": str(round.budget),
        "vote_type": "cumulative" if cumulative else "approval",
        "rule": PB_RULE.get((round.rule, result.get("completion", "none")), round.rule),
        "currency": round.currency,
        "language": "en",
    }
    if round.ballot_kind == BallotKind.K_APPROVAL and round.max_choices:
        meta["max_length"] = str(round.max_choices)
    if cumulative and round.points:
        meta["max_sum_points"] = str(round.points)
    phases = {p.stage: p for p in round.phases.all()}
    if Stage.VOTING in phases:
        meta["date_begin"] = phases[Stage.VOTING].starts_on.strftime("%d.%m.%Y")
        meta["date_end"] = phases[Stage.VOTING].ends_on.strftime("%d.%m.%Y")
    supporters: dict[str, int] = {}
    for choices in ballots:
        for pid in choices:
            supporters[pid] = supporters.get(pid, 0) + 1
    pb_projects = [
        pabulib.PBProject(id=str(p.number), cost=p.cost, name=p.title, fields={
            "category": p.category, "votes": str(supporters.get(str(p.number), 0)),
            "selected": "1" if p.number in selected else "0"})
        for p in projects
    ]
    voters = [pabulib.PBVoter(id=str(i), ballot={k: int(v) for k, v in choices.items()})
              for i, choices in enumerate(ballots, start=1)]
    return pabulib.Election(
        path=f"{round.slug}.pb", meta=meta, projects=pb_projects, voters=voters,
        project_columns=["project_id", "cost", "name", "category", "votes", "selected"],
        vote_columns=["voter_id", "vote", "points"] if cumulative else ["voter_id", "vote"],
    )


def round_to_pb(round: Round) -> str:
    return pabulib.dumps(round_to_election(round))


def results_csv(round: Round) -> str:
    result = round.result or {}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["project", "title", "cost", "supporters", "points", "funded", "why"])
    for number, figures in sorted(result.get("projects", {}).items(), key=lambda kv: int(kv[0])):
        writer.writerow([number, figures["title"], figures["cost"], figures["supporters"],
                         figures["points"], "yes" if figures["funded"] else "no",
                         figures["explanation"].get("text", "")])
    return out.getvalue()

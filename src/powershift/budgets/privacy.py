"""Budgets' part of "download my data" and "delete my account".

A person's ballot cannot be exported: nothing links it to them, by design. Erasure keeps their
projects (they are part of a public decision) and their vote in past tallies, without their name.
"""

from __future__ import annotations

from typing import Any

from powershift.budgets.models import PaperEntry, Project, ProjectUpdate, Voter
from powershift.core import privacy
from powershift.core.models import User


def export(user: User) -> dict[str, Any]:
    return {
        "projects_proposed": [
            {"round": p.round.title, "number": p.number, "title": p.title,
             "description": p.description, "cost": p.cost, "status": p.status,
             "created": p.created_at.isoformat()}
            for p in Project.objects.filter(proposer=user).select_related("round")
        ],
        "voting": [
            {"round": v.round.title, "how_checked": v.get_proof_display(), "voted": v.has_voted,
             "note": "Ballots are secret: nothing links a ballot to the person who cast it."}
            for v in Voter.objects.filter(user=user).select_related("round")
        ],
        "paper_ballots_keyed": PaperEntry.objects.filter(keyed_by=user).count(),
        "delivery_updates": [
            {"project": u.project.title, "text": u.text, "created": u.created_at.isoformat()}
            for u in ProjectUpdate.objects.filter(author=user).select_related("project")
        ],
    }


def erase(user: User) -> None:
    Project.objects.filter(proposer=user).update(proposer=None)
    ProjectUpdate.objects.filter(author=user).update(author=None)
    Voter.objects.filter(user=user).update(user=None, register_email="")
    Voter.objects.filter(verified_by=user).update(verified_by=None)


privacy.register("budgets", export=export, erase=erase)

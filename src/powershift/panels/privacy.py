"""Panels' part of "download my data" and "delete my account".

Volunteers usually have no account: they answer a letter. What an account holder did as staff
(taking volunteers' details by phone, answering recommendations) is exported, and erasure keeps
those records without the staff member's name.
"""

from __future__ import annotations

from typing import Any

from powershift.core import privacy
from powershift.core.models import User
from powershift.panels.models import Panel, Recommendation, Volunteer


def export(user: User) -> dict[str, Any]:
    return {
        "volunteers_entered_by_phone": Volunteer.objects.filter(taken_by=user).count(),
        "panels_facilitated": [p.question for p in Panel.objects.filter(facilitator=user)],
        "recommendations_answered": [
            {"panel": r.panel.question, "number": r.number, "answer": r.response}
            for r in Recommendation.objects.filter(responded_by=user).select_related("panel")],
    }


def erase(user: User) -> None:
    Volunteer.objects.filter(taken_by=user).update(taken_by=None)
    Recommendation.objects.filter(responded_by=user).update(responded_by=None)


privacy.register("panels", export=export, erase=erase)

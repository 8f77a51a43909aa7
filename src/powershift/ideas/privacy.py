"""Ideas Shop's part of "download my data" and "delete my account".

Erasure keeps a person's statements and votes in the conversation (others voted on them; the
analysis rests on them) but cuts them off from the person: the participant becomes anonymous.
"""

from __future__ import annotations

from typing import Any

from powershift.core import privacy
from powershift.core.models import User
from powershift.ideas.models import Participant


def export(user: User) -> dict[str, Any]:
    out = []
    for p in Participant.objects.filter(user=user).select_related("conversation"):
        out.append({
            "conversation": p.conversation.question,
            "shown_as": p.pseudonym,
            "statements": [{"text": s.text, "status": s.status, "reason": s.moderation_reason}
                           for s in p.statements.all()],
            "votes": [{"statement": v.statement.text, "vote": v.get_value_display()}
                      for v in p.votes.select_related("statement")],
        })
    return {"conversations": out}


def erase(user: User) -> None:
    for p in Participant.objects.filter(user=user):
        p.user = None
        p.pseudonym = f"Former participant {p.pk}"
        p.save(update_fields=["user", "pseudonym"])


privacy.register("ideas", export=export, erase=erase)

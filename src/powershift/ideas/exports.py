"""A conversation in Polis's export format, so it can move to Polis and its tools.

Participants are numbered 0, 1, 2... in the order they joined, as Polis numbers them; names,
accounts and pseudonyms are not exported.
"""

from __future__ import annotations

from pathlib import Path

from powershift.formats import polis_export
from powershift.ideas.models import Conversation, StatementStatus, Vote

MODERATED = {StatementStatus.ACCEPTED: 1, StatementStatus.PENDING: 0, StatementStatus.REJECTED: -1}


def _ms(when: object) -> int:
    return int(when.timestamp() * 1000) if when is not None else 0  # type: ignore[attr-defined]


def write_polis(conversation: Conversation, folder: Path) -> None:
    pid = {p: i for i, p in enumerate(conversation.participants.order_by("id").values_list("id", flat=True))}
    comments = [
        polis_export.Comment(id=s.number, text=s.text, author=pid.get(s.author_id) if s.author_id else None,
                             moderated=MODERATED[StatementStatus(s.status)], timestamp=_ms(s.created_at),
                             is_meta=s.is_meta)
        for s in conversation.statements.order_by("number")
    ]
    votes = [
        polis_export.Vote(participant=pid[p], statement=n, vote=v, timestamp=_ms(at))
        for p, n, v, at in Vote.objects.filter(participant__conversation=conversation)
        .order_by("updated_at", "id").values_list("participant_id", "statement__number", "value", "updated_at")
    ]
    polis_export.write_export(folder, comments, votes)

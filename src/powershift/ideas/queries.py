"""Reads for Ideas Shop pages."""

from __future__ import annotations

import hashlib
import random

from django.db.models import QuerySet

from powershift.ideas.models import Conversation, Participant, Statement, StatementStatus

NEW_STATEMENT_PRIORITY = 3.0  # not yet analysed: show it soon, as Polis favours new comments


def conversations() -> QuerySet[Conversation]:
    return Conversation.objects.select_related("place").order_by("-opens_on", "id")


def accepted(conversation: Conversation) -> QuerySet[Statement]:
    return conversation.statements.filter(status=StatementStatus.ACCEPTED)


def next_statement(participant: Participant) -> Statement | None:
    """The next statement for this participant, by the priorities of the latest analysis: a
    weighted random choice among those they have not voted on, repeatable for the same
    participant and state of the conversation."""
    conversation = participant.conversation
    voted = set(participant.votes.values_list("statement_id", flat=True))
    candidates = [s for s in accepted(conversation).order_by("number") if s.pk not in voted]
    if not candidates:
        return None
    priorities = (Conversation.objects.filter(pk=conversation.pk)
                  .values_list("analysis__priorities", flat=True).first()) or {}
    weights = [priorities.get(str(s.number), NEW_STATEMENT_PRIORITY) or 0.01 for s in candidates]
    key = f"{conversation.pk}:{participant.pk}:{len(voted)}".encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))  # noqa: S311 (routing, not security)
    return rng.choices(candidates, weights=weights)[0]


def progress(participant: Participant) -> tuple[int, int]:
    return participant.votes.count(), accepted(participant.conversation).count()

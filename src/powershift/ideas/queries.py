"""Reads for Ideas Shop pages."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from django.db.models import QuerySet

from powershift.ideas.models import Conversation, Participant, Statement, StatementStatus

NEW_STATEMENT_PRIORITY = 3.0  # not yet analysed: show it soon, as Polis favours new comments


def conversations() -> QuerySet[Conversation]:
    return Conversation.objects.select_related("place").order_by("-opens_on", "id")


def accepted(conversation: Conversation) -> QuerySet[Statement]:
    return conversation.statements.filter(status=StatementStatus.ACCEPTED)


@dataclass(frozen=True)
class Card:
    """What the voting card shows a participant: the next statement and how far they are."""

    statement: Statement | None
    voted: int
    total: int


def card(participant: Participant) -> Card:
    """The next statement for this participant, by the priorities of the latest analysis (a
    weighted random choice among those they have not voted on, repeatable for the same
    participant and state of the conversation), with their progress. Four small queries: this
    runs on every vote."""
    conversation = participant.conversation
    voted = set(participant.votes.values_list("statement_id", flat=True))
    numbers = list(accepted(conversation).order_by("number").values_list("pk", "number"))
    candidates = [(pk, n) for pk, n in numbers if pk not in voted]
    done = len(numbers) - len(candidates)
    if not candidates:
        return Card(None, done, len(numbers))
    priorities = (Conversation.objects.filter(pk=conversation.pk)
                  .values_list("analysis__priorities", flat=True).first()) or {}
    weights = [priorities.get(str(n), NEW_STATEMENT_PRIORITY) or 0.01 for _, n in candidates]
    key = f"{conversation.pk}:{participant.pk}:{len(voted)}".encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))  # noqa: S311 (routing, not security)
    chosen = rng.choices(candidates, weights=weights)[0][0]
    return Card(Statement.objects.get(pk=chosen), done, len(numbers))


def next_statement(participant: Participant) -> Statement | None:
    return card(participant).statement

"""Who may do what in Ideas Shop conversations."""

from __future__ import annotations

import rules

from powershift.core.models import Role, User
from powershift.core.permissions import holds_role, is_superuser
from powershift.ideas.models import Conversation

FACILITATORS = frozenset({Role.FACILITATOR, Role.ADMINISTRATOR})


@rules.predicate
def facilitates(user: User, conversation: Conversation | None) -> bool:
    return conversation is not None and (
        conversation.facilitator_id == user.pk or holds_role(user, FACILITATORS, conversation.place))


@rules.predicate
def may_start(user: User) -> bool:
    return holds_role(user, FACILITATORS, None)


rules.add_perm("ideas.start_conversation", may_start | is_superuser)
rules.add_perm("ideas.moderate", (rules.is_authenticated & facilitates) | is_superuser)

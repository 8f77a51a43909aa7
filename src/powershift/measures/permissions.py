"""Who may do what with measures, stories and practice.

Measures and stories: anyone signed in proposes, endorses, records and tells; facilitators (and
administrators) of the place record agreement and moderate; commissioners pin stories; staff of
a place import official figures. Practice: a team's log book, draws and self-assessments belong
to its members; shared log entries can be read by anyone signed in.
"""

from __future__ import annotations

import rules

from powershift.core.models import Place, Role, User
from powershift.core.permissions import STAFF_ROLES, holds_role, is_superuser
from powershift.measures.models import LogEntry, Measure, Team

FACILITATORS = frozenset({Role.FACILITATOR, Role.ADMINISTRATOR})
PINNERS = frozenset({Role.COMMISSIONER, Role.FACILITATOR, Role.ADMINISTRATOR})
IMPORTERS = frozenset({Role.COMMISSIONER, Role.FACILITATOR, Role.ADMINISTRATOR})


def _place(obj: object) -> Place | None:
    if isinstance(obj, Place):
        return obj
    if isinstance(obj, Measure):
        return obj.place
    return None


@rules.predicate
def facilitates(user: User, obj: object = None) -> bool:
    return holds_role(user, FACILITATORS, _place(obj))


@rules.predicate
def pins(user: User) -> bool:
    return holds_role(user, PINNERS, None)


@rules.predicate
def imports(user: User) -> bool:
    return holds_role(user, IMPORTERS, None)


@rules.predicate
def is_staff(user: User) -> bool:
    return holds_role(user, STAFF_ROLES, None)


@rules.predicate
def in_team(user: User, team: Team | None) -> bool:
    return bool(team is not None and user.is_authenticated
                and team.memberships.filter(user_id=user.pk).exists())


@rules.predicate
def leads_team(user: User, team: Team | None) -> bool:
    return bool(team is not None and user.is_authenticated
                and team.memberships.filter(user_id=user.pk, is_lead=True).exists())


@rules.predicate
def may_read_entry(user: User, entry: LogEntry | None) -> bool:
    if entry is None or not user.is_authenticated:
        return False
    return entry.shared or in_team(user, entry.team)


@rules.predicate
def is_administrator_anywhere(user: User) -> bool:
    return holds_role(user, [Role.ADMINISTRATOR], None)


signed_in = rules.is_authenticated & rules.is_active

rules.add_perm("measures.propose", signed_in)
rules.add_perm("measures.endorse", signed_in)
rules.add_perm("measures.record", signed_in)
rules.add_perm("measures.agree", (signed_in & facilitates) | is_superuser)
rules.add_perm("measures.annotate", (signed_in & facilitates) | is_superuser)
rules.add_perm("measures.import_indicators", (signed_in & imports) | is_superuser)
rules.add_perm("measures.tell_story", signed_in)
rules.add_perm("measures.moderate_stories", (signed_in & facilitates) | is_superuser)
rules.add_perm("measures.pin", (signed_in & pins) | is_superuser)
rules.add_perm("measures.start_team", (signed_in & is_staff) | is_superuser)
rules.add_perm("measures.use_team", (signed_in & in_team) | is_superuser)
rules.add_perm("measures.manage_team", (signed_in & leads_team) | is_superuser)
rules.add_perm("measures.read_entry", may_read_entry | is_superuser)
rules.add_perm("measures.edit_framework", (signed_in & is_administrator_anywhere) | is_superuser)
rules.add_perm("measures.mark_checklist", (signed_in & rules.predicate(
    lambda user, place: holds_role(user, STAFF_ROLES, place))) | is_superuser)

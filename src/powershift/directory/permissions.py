"""Who may do what in the directory. Listings belong to their organisation: its leaders and
members edit them; staff may only suggest; anyone may report a correction."""

from __future__ import annotations

import rules

from powershift.core.models import Organisation, Role, User
from powershift.core.permissions import STAFF_ROLES, holds_org_role, holds_role, is_superuser
from powershift.directory.models import Service, Suggestion

OWNERS = (Role.ORG_LEADER, Role.ORG_MEMBER)
DIRECTORY_ADMINS = frozenset({Role.ADMINISTRATOR})


def _organisation_of(obj: Service | Suggestion | Organisation | None) -> Organisation | None:
    if isinstance(obj, Suggestion):
        return obj.service.organisation
    if isinstance(obj, Service):
        return obj.organisation
    return obj


@rules.predicate
def owns(user: User, obj: Service | Suggestion | Organisation | None) -> bool:
    organisation = _organisation_of(obj)
    return organisation is not None and holds_org_role(user, OWNERS, organisation)


@rules.predicate
def is_staff_anywhere(user: User) -> bool:
    return holds_role(user, STAFF_ROLES, None)


@rules.predicate
def is_directory_admin(user: User) -> bool:
    return holds_role(user, DIRECTORY_ADMINS, None)


rules.add_perm("directory.edit_listing", owns | is_superuser)
rules.add_perm("directory.suggest_change", is_staff_anywhere | is_superuser)
rules.add_perm("directory.answer_suggestion", owns | is_superuser)
rules.add_perm("directory.merge", is_directory_admin | is_superuser)
rules.add_perm("directory.import", is_directory_admin | is_superuser)

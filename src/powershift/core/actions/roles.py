from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from powershift.core.audit import record
from powershift.core.models import Organisation, Place, Role, RoleAssignment, User
from powershift.core.models.accounts import ORGANISATION_ROLES


@transaction.atomic
def assign_role(
    actor: User | None,
    user: User,
    role: str,
    *,
    place: Place | None = None,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """Give `user` a role for a place or an organisation. `actor` None is the system (demo, set-up)."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}"})
    if role in ORGANISATION_ROLES:
        if organisation is None or place is not None:
            raise ValidationError({"organisation": "Choose the organisation this role is for"})
        scope: Place | Organisation = organisation
        allowed = actor is None or rules.has_perm("core.manage_members", actor, organisation)
    else:
        if place is None or organisation is not None:
            raise ValidationError({"place": "Choose the place this role is for"})
        scope = place
        allowed = actor is None or rules.has_perm("core.manage_roles", actor, place)
    if not allowed:
        raise PermissionDenied("you cannot give roles here")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, place=place, organisation=organisation,
        defaults={"granted_by": actor},
    )
    if created:
        record(actor, "role.assign", assignment,
               f"account {user.pk} is now {assignment.get_role_display()} for {scope}",
               place=place or (organisation.place if organisation else None))
    return assignment


@transaction.atomic
def revoke_role(actor: User, assignment: RoleAssignment) -> None:
    scope = assignment.organisation or assignment.place
    perm = "core.manage_members" if assignment.organisation else "core.manage_roles"
    if not rules.has_perm(perm, actor, scope):
        raise PermissionDenied("you cannot take away roles here")
    record(actor, "role.revoke", assignment,
           f"account {assignment.user_id} is no longer {assignment.get_role_display()} for {scope}",
           place=assignment.place)
    assignment.delete()

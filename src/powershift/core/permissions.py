"""Object permissions for core, with `rules`.

A role held for a place covers that place and everything inside it (its descendants), so an
administrator of a locality administers its wards. Organisation roles cover that organisation.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules

from powershift.core.models import Organisation, Place, PlaceStatus, Role, User

STAFF_ROLES = frozenset(
    {
        Role.LINK_WORKER,
        Role.KEYWORKER,
        Role.SERVICE_STAFF,
        Role.COMMISSIONER,
        Role.FACILITATOR,
        Role.ADMINISTRATOR,
    }
)
PLACE_REVIEWERS = frozenset({Role.SERVICE_STAFF, Role.FACILITATOR, Role.ADMINISTRATOR})


def holds_role(user: User, roles: Iterable[str], place: Place | None) -> bool:
    """Does the user hold one of `roles` for `place` or a place containing it?

    With place None: for any place at all.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    assignments = user.roles.filter(role__in=list(roles), place__isnull=False)
    if place is None:
        return assignments.exists()
    scope = [place.pk, *(p.pk for p in place.ancestors())]
    return assignments.filter(place_id__in=scope).exists()


def holds_org_role(user: User, roles: Iterable[str], organisation: Organisation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.roles.filter(role__in=list(roles), organisation=organisation).exists()


def _place_of(obj: object) -> Place | None:
    if isinstance(obj, Place):
        return obj
    if isinstance(obj, Organisation):
        return obj.place
    return None


@rules.predicate
def is_superuser(user: User) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_administrator(user: User, obj: object = None) -> bool:
    return holds_role(user, [Role.ADMINISTRATOR], _place_of(obj))


@rules.predicate
def is_staff_of(user: User, obj: object = None) -> bool:
    return holds_role(user, STAFF_ROLES, _place_of(obj))


@rules.predicate
def is_place_reviewer(user: User, place: Place | None) -> bool:
    return holds_role(user, PLACE_REVIEWERS, place.parent if place and place.parent else place)


@rules.predicate
def is_proposer(user: User, place: Place | None) -> bool:
    return bool(place is not None and user.is_authenticated and place.proposed_by_id == user.pk)


@rules.predicate
def is_approved(user: User, place: Place | None) -> bool:
    return place is None or place.status == PlaceStatus.APPROVED


@rules.predicate
def is_organisation_leader(user: User, organisation: Organisation | None) -> bool:
    return organisation is not None and holds_org_role(user, [Role.ORG_LEADER], organisation)


signed_in = rules.is_authenticated & rules.is_active

rules.add_perm("core.view_place", is_approved | is_proposer | is_place_reviewer | is_superuser)
rules.add_perm("core.propose_place", signed_in)
rules.add_perm("core.review_place", is_place_reviewer | is_superuser)
rules.add_perm("core.import_places", is_administrator | is_superuser)
rules.add_perm("core.view_audit", is_administrator | is_superuser)
rules.add_perm("core.manage_roles", is_administrator | is_superuser)
rules.add_perm("core.manage_members", is_organisation_leader | is_administrator | is_superuser)
rules.add_perm("core.view_staff_pages", is_staff_of | is_superuser)

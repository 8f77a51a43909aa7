"""The permission matrix: each demo role against each core permission, on real objects."""

from __future__ import annotations

import pytest
import rules

from powershift.core.models import Organisation, Place, User

ROLES = ["resident", "member", "leader", "linkworker", "keyworker", "staff", "commissioner",
         "facilitator", "admin"]

# perm -> the demo roles that hold it (on the object named in OBJECTS).
EXPECTED = {
    "core.view_audit": {"admin"},
    "core.manage_roles": {"admin"},
    "core.import_places": {"admin"},
    # Canal Side lies in the locality: staff of one service neighbourhood do not review it.
    "core.review_place": {"facilitator", "admin"},
    "core.manage_members": {"leader", "admin"},
    "core.view_staff_pages": {"linkworker", "keyworker", "staff", "commissioner", "facilitator", "admin"},
    "core.propose_place": set(ROLES),
}
OBJECTS = {
    "core.view_audit": None,
    "core.manage_roles": "RV-W-MILL",
    "core.import_places": None,
    "core.review_place": "proposal",
    "core.manage_members": "riverside-knit-and-natter",
    "core.view_staff_pages": "RV-W-MILL",
    "core.propose_place": None,
}


def _object(key: str | None) -> object:
    if key is None:
        return None
    if key == "proposal":
        return Place.objects.get(name="Canal Side")
    if key.startswith("RV-"):
        return Place.objects.get(code=key)
    return Organisation.objects.get(slug=key)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_role_matrix(riverside, perm: str) -> None:
    obj = _object(OBJECTS[perm])
    granted = {
        role for role in ROLES
        if rules.has_perm(perm, User.objects.get(email=f"{role}@riverside.example"), obj)
    }
    assert granted == EXPECTED[perm]


def test_anonymous_has_no_core_permission(riverside) -> None:
    from django.contrib.auth.models import AnonymousUser

    for perm, key in OBJECTS.items():
        assert not rules.has_perm(perm, AnonymousUser(), _object(key)), perm


def test_role_covers_places_inside_but_not_beside(riverside) -> None:
    staff = User.objects.get(email="staff@riverside.example")  # service staff, Riverside North
    assert rules.has_perm("core.view_staff_pages", staff, Place.objects.get(code="RV-W-WEAV"))
    assert not rules.has_perm("core.view_staff_pages", staff, Place.objects.get(code="RV-W-CAST"))


def test_leader_of_one_group_cannot_manage_another(riverside) -> None:
    leader = User.objects.get(email="leader@riverside.example")
    assert not rules.has_perm("core.manage_members", leader,
                              Organisation.objects.get(slug="millbank-food-bank"))


def test_deactivated_person_loses_roles(riverside) -> None:
    admin = User.objects.get(email="admin@riverside.example")
    admin.is_active = False
    admin.save()
    assert not rules.has_perm("core.view_audit", admin)


def test_proposal_visible_to_proposer_and_reviewers_only(riverside) -> None:
    proposal = Place.objects.get(name="Canal Side")
    can_see = {r for r in ROLES
               if rules.has_perm("core.view_place", User.objects.get(email=f"{r}@riverside.example"), proposal)}
    assert can_see == {"resident", "facilitator", "admin"}


def test_leader_adds_and_removes_members_of_their_group_only(client, riverside) -> None:
    from django.urls import reverse

    from powershift.core.models import AuditEvent, RoleAssignment

    group = Organisation.objects.get(slug="riverside-knit-and-natter")
    client.force_login(User.objects.get(email="leader@riverside.example"))
    response = client.post(reverse("core:members", args=[group.slug]),
                           {"email": "resident@riverside.example", "role": "org_member"})
    assert response.status_code == 302
    added = RoleAssignment.objects.get(user__email="resident@riverside.example", organisation=group)
    assert AuditEvent.objects.filter(action="role.assign", object_id=str(added.pk)).exists()
    client.post(reverse("core:revoke-role", args=[added.pk]))
    assert not RoleAssignment.objects.filter(pk=added.pk).exists()
    assert client.get(reverse("core:members", args=["millbank-food-bank"])).status_code == 403
    client.force_login(User.objects.get(email="member@riverside.example"))
    assert client.get(reverse("core:members", args=[group.slug])).status_code == 403

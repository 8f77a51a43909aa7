from __future__ import annotations

import json

import pytest
from django.urls import reverse

from powershift.core import actions, privacy
from powershift.core.models import AuditEvent, Place, RoleAssignment, User


@pytest.fixture
def resident(riverside) -> User:
    return User.objects.get(email="resident@riverside.example")


def test_download_my_data_holds_profile_roles_proposals_and_actions(client, resident) -> None:
    client.force_login(resident)
    response = client.post(reverse("core:download-data"))
    assert response["Content-Disposition"].startswith('attachment; filename="powershift-my-data-')
    data = json.loads(response.content)
    core = data["core"]
    assert core["profile"]["email"] == "resident@riverside.example"
    assert [r["role"] for r in core["roles"]] == ["resident"]
    assert [p["name"] for p in core["places_proposed"]] == ["Canal Side"]
    assert any(a["action"] == "places.propose" for a in core["actions_recorded"])
    assert AuditEvent.objects.filter(action="account.export", actor=resident).exists()


def test_delete_account_anonymises_and_keeps_what_others_rely_on(client, resident) -> None:
    proposal = Place.objects.get(name="Canal Side")
    events_before = AuditEvent.objects.filter(actor=resident).count()
    client.force_login(resident)
    response = client.post(reverse("core:delete-account"), {"confirm": "on"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email == f"erased-{resident.pk}@erased.invalid"
    assert resident.full_name == "" and resident.preferred_name == ""
    assert not resident.is_active and not resident.has_usable_password()
    assert resident.erased_at is not None
    assert not RoleAssignment.objects.filter(user=resident).exists()
    # What they proposed stays, without their name; the audit trail is untouched.
    proposal.refresh_from_db()
    assert proposal.proposed_by_id == resident.pk
    assert AuditEvent.objects.filter(actor=resident).count() == events_before
    assert AuditEvent.objects.filter(action="account.erase", object_id=str(resident.pk)).exists()
    # The trail names people by account number, never by email or name, so it keeps nobody's.
    assert AuditEvent.objects.filter(action="account.sign_up", object_id=str(resident.pk)).exists()
    for text in ("resident@riverside.example", "Amira", "Khan"):
        assert not AuditEvent.objects.filter(summary__icontains=text).exists(), text
    # They are signed out and cannot sign in again.
    assert client.get(reverse("core:account")).status_code == 302
    response = client.post(reverse("core:sign-in"),
                           {"username": "resident@riverside.example", "password": "share the power"})
    assert response.status_code == 200


def test_delete_needs_confirmation(client, resident) -> None:
    client.force_login(resident)
    response = client.post(reverse("core:delete-account"), {})
    assert 'id="id_confirm-error"' in response.content.decode()
    resident.refresh_from_db()
    assert resident.is_active


def test_every_registered_hook_is_called(resident, monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(privacy, "_HOOKS", dict(privacy._HOOKS))
    privacy.register("zz_test", export=lambda u: {"seen": u.pk}, erase=lambda u: calls.append(u.email))
    assert actions.export_account(resident, resident)["zz_test"] == {"seen": resident.pk}
    actions.erase_account(resident, resident)
    # Other apps' hooks run before core's, while the person's details are still there.
    assert calls == ["resident@riverside.example"]


def test_nobody_exports_or_erases_someone_else(resident) -> None:
    from django.core.exceptions import PermissionDenied

    admin = User.objects.get(email="admin@riverside.example")
    with pytest.raises(PermissionDenied):
        actions.export_account(admin, resident)
    with pytest.raises(PermissionDenied):
        actions.erase_account(admin, resident)

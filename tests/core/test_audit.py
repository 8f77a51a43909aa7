from __future__ import annotations

import pytest
from django.urls import reverse

from powershift.core.models import AuditEvent, User


def test_audit_trail_is_append_only(riverside) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(summary="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_demo_build_is_audited(riverside) -> None:
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"places.import", "account.sign_up", "role.assign", "places.propose"} <= actions


@pytest.mark.parametrize("role,status", [("admin", 200), ("staff", 403), ("resident", 403)])
def test_only_administrators_read_the_audit_trail(client, riverside, role: str, status: int) -> None:
    client.force_login(User.objects.get(email=f"{role}@riverside.example"))
    assert client.get(reverse("core:audit")).status_code == status


def test_audit_filters(client, riverside) -> None:
    client.force_login(User.objects.get(email="admin@riverside.example"))
    html = client.get(reverse("core:audit"), {"action": "places.propose"}).content.decode()
    assert "proposed the natural neighbourhood Canal Side" in html
    assert "created an account" not in html
    html = client.get(reverse("core:audit"), {"actor": "resident@"}).content.decode()
    assert "proposed the natural neighbourhood Canal Side" in html
    assert "1 record" in html or "records" in html
    html = client.get(reverse("core:audit"), {"since": "2999-01-01"}).content.decode()
    assert "No records match" in html

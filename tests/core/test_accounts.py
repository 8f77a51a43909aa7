from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from powershift.core.forms import TIMING_SALT
from powershift.core.models import AuditEvent, RoleAssignment, User

PASSWORD = "river stones and willow"


def _signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Nadia Ahmed",
        "email": "Nadia@Example.org",
        "password": PASSWORD,
        "home": "",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt=TIMING_SALT),
    }
    data.update(overrides)
    return data


def test_sign_up_creates_account_signs_in_and_audits(client, riverside) -> None:
    from powershift.core.models import Place

    ward = Place.objects.get(code="RV-W-CAST")
    response = client.post(reverse("core:sign-up"), _signup_data(home=str(ward.pk)))
    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.org")
    assert user.password.startswith("argon2")
    assert RoleAssignment.objects.filter(user=user, role="resident", place=ward).exists()
    assert AuditEvent.objects.filter(action="account.sign_up", object_id=str(user.pk)).exists()
    assert client.get(reverse("core:account")).status_code == 200


def test_honeypot_rejects_bots(client, db) -> None:
    response = client.post(reverse("core:sign-up"), _signup_data(website="http://spam.example"))
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert not User.objects.exists()


def test_timing_token_rejects_instant_and_forged_submissions(client, db, settings) -> None:
    settings.SIGNUP_MIN_SECONDS = 3
    fresh = signing.dumps(time.time(), salt=TIMING_SALT)
    response = client.post(reverse("core:sign-up"), _signup_data(started=fresh))
    assert b"That was very quick" in response.content
    response = client.post(reverse("core:sign-up"), _signup_data(started="forged"))
    assert b"This form has expired" in response.content
    assert not User.objects.exists()


def test_sign_up_errors_use_error_summary_with_a_message_per_field(client, db) -> None:
    response = client.post(reverse("core:sign-up"), _signup_data(full_name="", email="not-an-email", password="short"))
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    for field in ("full_name", "email"):
        assert f'href="#id_{field}"' in html
        assert f'id="id_{field}-error"' in html
    assert html.count("govuk-error-message") >= 2
    assert not User.objects.exists()


def test_weak_password_reported_on_the_password_field(client, db) -> None:
    response = client.post(reverse("core:sign-up"), _signup_data(password="password123"))
    assert 'id="id_password-error"' in response.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_is_refused(client, make_user) -> None:
    make_user("nadia@example.org")
    response = client.post(reverse("core:sign-up"), _signup_data())
    assert 'id="id_email-error"' in response.content.decode()
    assert User.objects.count() == 1


def test_sign_in_with_email(client, make_user) -> None:
    make_user("kim@example.org")
    response = client.post(reverse("core:sign-in"), {"username": "kim@example.org", "password": "a long enough passphrase"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account")


def test_sign_in_ignores_the_case_of_the_email_address(client, make_user) -> None:
    make_user("kim@example.org")
    response = client.post(reverse("core:sign-in"), {"username": "Kim@Example.ORG", "password": "a long enough passphrase"})
    assert response.status_code == 302


def test_sign_in_is_throttled_after_repeated_failures(client, make_user, settings) -> None:
    make_user("kim@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:sign-in"), {"username": "kim@example.org", "password": "wrong"})
    response = client.post(reverse("core:sign-in"), {"username": "kim@example.org", "password": "a long enough passphrase"})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_password_reset_round_trip(client, make_user) -> None:
    make_user("kim@example.org")
    client.post(reverse("core:password-reset"), {"email": "kim@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"})
    assert response.status_code == 302
    response = client.post(reverse("core:sign-in"), {"username": "kim@example.org", "password": "a brand new passphrase"})
    assert response.status_code == 302


def test_unknown_email_reset_reveals_nothing(client, db) -> None:
    response = client.post(reverse("core:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_profile_update_goes_through_action(client, make_user) -> None:
    user = make_user("kim@example.org")
    client.force_login(user)
    client.post(reverse("core:profile"), {"full_name": "Kim Lee", "preferred_name": "Kim"})
    user.refresh_from_db()
    assert user.display_name == "Kim"
    assert AuditEvent.objects.filter(action="account.update_profile", actor=user).exists()


@pytest.mark.parametrize("name", ["core:account", "core:profile", "core:download-data", "core:delete-account"])
def test_account_pages_need_sign_in(client, db, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:sign-in"))

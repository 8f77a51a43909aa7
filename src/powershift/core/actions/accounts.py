from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from powershift.core import privacy
from powershift.core.audit import record
from powershift.core.models import Place, Role, RoleAssignment, User, Visibility


@transaction.atomic
def sign_up(*, full_name: str, email: str, password: str, home: Place | None = None) -> User:
    """Create an account; with `home`, the person is a resident of that place."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email address already exists"})
    user = User(email=email, full_name=full_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from None
    user.set_password(password)
    user.save()
    if home is not None:
        RoleAssignment.objects.create(user=user, role=Role.RESIDENT, place=home)
    record(user, "account.sign_up", user, "created an account")
    return user


@transaction.atomic
def update_profile(actor: User, user: User, *, full_name: str, preferred_name: str) -> User:
    if actor.pk != user.pk:
        raise PermissionDenied("people change only their own profile")
    user.full_name = full_name.strip()
    user.preferred_name = preferred_name.strip()
    user.save(update_fields=["full_name", "preferred_name"])
    record(actor, "account.update_profile", user, "changed their name details")
    return user


def export_account(actor: User, user: User) -> dict[str, Any]:
    """Everything every app holds about the person, for 'download my data'."""
    if actor.pk != user.pk:
        raise PermissionDenied("people download only their own data")
    with transaction.atomic():
        data = privacy.export_person(user)
        record(actor, "account.export", user, "downloaded their data")
    return data


@transaction.atomic
def erase_account(actor: User, user: User) -> None:
    """Delete my account: anonymise the person everywhere, keep what others rely on."""
    if actor.pk != user.pk:
        raise PermissionDenied("people delete only their own account")
    privacy.erase_person(user)
    record(None, "account.erase", user, f"account {user.pk} was deleted and anonymised",
           visibility=Visibility.ADMIN)

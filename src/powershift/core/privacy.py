"""Download my data and delete my account.

Each app registers an export hook (everything it holds about a person, as JSON-ready data)
and an erasure hook (anonymise the person in that app's data; never delete what others
wrote or a past tally). Apps register in their AppConfig.ready() by importing their privacy.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from powershift.core.models import AuditEvent, Place, User


@dataclass(frozen=True)
class PrivacyHook:
    label: str
    export: Callable[[User], dict[str, Any]]
    erase: Callable[[User], None]


_HOOKS: dict[str, PrivacyHook] = {}


def register(
    label: str, *, export: Callable[[User], dict[str, Any]], erase: Callable[[User], None]
) -> None:
    _HOOKS[label] = PrivacyHook(label, export, erase)


def hooks() -> list[PrivacyHook]:
    # Core last when erasing, so other apps still see the person's details while they anonymise.
    return sorted(_HOOKS.values(), key=lambda h: (h.label == "core", h.label))


def export_person(user: User) -> dict[str, Any]:
    return {hook.label: hook.export(user) for hook in sorted(_HOOKS.values(), key=lambda h: h.label)}


def erase_person(user: User) -> None:
    """Call every app's erasure hook. The caller holds the transaction and writes the audit record."""
    for hook in hooks():
        hook.erase(user)


# Core's own hooks.


def _export_core(user: User) -> dict[str, Any]:
    return {
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_name": user.preferred_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "roles": [
            {
                "role": a.role,
                "place": a.place.code if a.place else None,
                "organisation": a.organisation.name if a.organisation else None,
                "since": a.created_at.isoformat(),
            }
            for a in user.roles.select_related("place", "organisation")
        ],
        "places_proposed": [
            {"code": p.code, "name": p.name, "status": p.status, "geometry": p.geometry}
            for p in Place.objects.filter(proposed_by=user)
        ],
        "actions_recorded": [
            {
                "when": e.created_at.isoformat(),
                "action": e.action,
                "object": f"{e.object_type}:{e.object_id}",
                "summary": e.summary,
            }
            for e in AuditEvent.objects.filter(actor=user).order_by("created_at", "id")
        ],
    }


def _erase_core(user: User) -> None:
    """Anonymise the person; keep the row so what they did and wrote keeps its author slot."""
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.preferred_name = ""
    user.password = make_password(None)
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.save()
    user.roles.all().delete()


register("core", export=_export_core, erase=_erase_core)

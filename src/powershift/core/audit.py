"""Writing to the audit trail. Every action function calls `record` inside its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from powershift.core.models import AuditEvent, Visibility

if TYPE_CHECKING:
    from powershift.core.models import Place, User


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None,
    summary: str,
    *,
    visibility: str = Visibility.ADMIN,
    place: Place | None = None,
) -> AuditEvent:
    """Append one audit record. `actor` is None for the system (imports, the demo, tasks)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        visibility=visibility,
        place=place,
    )

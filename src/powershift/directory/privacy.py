"""The directory's part of "download my data" and "delete my account".

Listings belong to organisations, not people; what a person did here is the corrections they
reported, the suggestions they answered and the listings they confirmed. Erasure removes their
name from those and keeps the text (others rely on it).
"""

from __future__ import annotations

from typing import Any

from powershift.core import privacy
from powershift.core.models import User
from powershift.directory.models import Service, Suggestion


def export(user: User) -> dict[str, Any]:
    return {
        "corrections_and_suggestions": [
            {"service": s.service.name, "kind": s.kind, "text": s.text, "status": s.status,
             "created": s.created_at.isoformat()}
            for s in Suggestion.objects.filter(author=user).select_related("service")
        ],
        "listings_confirmed": [
            {"service": s.name, "on": s.assured_date.isoformat()}
            for s in Service.objects.filter(assured_by=user)
        ],
    }


def erase(user: User) -> None:
    Suggestion.objects.filter(author=user).update(author=None)
    Suggestion.objects.filter(closed_by=user).update(closed_by=None)
    Service.objects.filter(assured_by=user).update(assured_by=None)


privacy.register("directory", export=export, erase=erase)

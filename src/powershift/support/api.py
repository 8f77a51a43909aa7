"""Support records API (django-ninja), under /api/support/. Session sign-in only; the same
permission checks and read logging as the pages (queries.person_for / queries.people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from powershift.support import exports, queries

router = Router(tags=["support"], auth=django_auth)


class PersonOut(Schema):
    id: int
    preferred_name: str
    full_name: str
    keyworker: str | None
    discharged_on: dt.date | None


def _out(p: Any) -> PersonOut:
    return PersonOut(id=p.pk, preferred_name=p.preferred_name, full_name=p.full_name,
                     keyworker=p.keyworker.display_name if p.keyworker else None,
                     discharged_on=p.discharged_on)


@router.get("/people", response=list[PersonOut])
def people(request: HttpRequest, q: str = "") -> list[PersonOut]:
    """Records you may open (keyworker, team member with the person's consent, or your own)."""
    return [_out(p) for p in queries.people(request.user, q)]  # type: ignore[arg-type]


@router.get("/people/{pk}", response=dict[str, Any])
def person(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One whole record, if you may open it (404 otherwise: it is not said whether it exists)."""
    p = queries.person_for(request.user, pk, "record (API)")  # type: ignore[arg-type]
    data = exports.person_data(p)
    data.pop("who_looked")
    return {"id": p.pk, **data}

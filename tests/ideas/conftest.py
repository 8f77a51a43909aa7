"""An open conversation in Riverside, for the Ideas Shop tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from powershift.core.models import Place, User
from powershift.ideas import actions
from powershift.ideas.models import Conversation


def person(role: str) -> User:
    return User.objects.get(email=f"{role}@riverside.example")


@pytest.fixture
def conversation(riverside) -> Conversation:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return actions.create_conversation(
        person("facilitator"), place=Place.objects.get(code="RV-LOC"), question="What should change?",
        opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=7),
        seed_statements=["More benches", "Fewer cars", "Open the library on Sundays"])

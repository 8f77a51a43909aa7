"""Riverside with the measures module's part of the demo (the other modules are not needed)."""

from __future__ import annotations

import pytest

from powershift.core.models import User


def person(role: str) -> User:
    return User.objects.get(email=f"{role}@riverside.example")


@pytest.fixture
def measures_demo(riverside):  # type: ignore[no-untyped-def]
    from powershift.measures import demo

    demo.build({a.email.split("@")[0]: User.objects.get(email=a.email) for a in riverside})
    return riverside

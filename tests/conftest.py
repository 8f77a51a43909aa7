"""Shared fixtures. The settings module reads POWERSHIFT_DATA_DIR, so point it at a temp folder
before Django loads."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("POWERSHIFT_DATA_DIR", tempfile.mkdtemp(prefix="powershift-test-"))
os.environ.setdefault("POWERSHIFT_SIGNUP_MIN_SECONDS", "0")

import pytest  # noqa: E402


@pytest.fixture
def riverside(db):  # type: ignore[no-untyped-def]
    """The Riverside demo: places, organisations and one account per role."""
    from powershift.demo.riverside import build

    return build()


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    from powershift.core.models import User

    def make(email: str = "someone@example.org", name: str = "Some One") -> User:
        return User.objects.create_user(email, "a long enough passphrase", full_name=name)

    return make

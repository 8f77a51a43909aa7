"""Shared fixtures (the environment for Django's settings is set in the root conftest.py)."""

from __future__ import annotations

import pytest

from tests.geodata import gm_geo_fixture  # noqa: F401  (every test may ask for gm_geo)


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Real Argon2 costs about half a second a password on this machine; tests make many."""
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def riverside(db):  # type: ignore[no-untyped-def]
    """The Riverside demo: places, organisations and one account per role (no module content)."""
    from powershift.demo.riverside import build

    return build(modules=False)


@pytest.fixture
def riverside_full(db):  # type: ignore[no-untyped-def]
    """The whole Riverside demo, with every module's content."""
    from powershift.demo.riverside import build

    return build()


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    from powershift.core.models import User

    def make(email: str = "someone@example.org", name: str = "Some One") -> User:
        return User.objects.create_user(email, "a long enough passphrase", full_name=name)

    return make


@pytest.fixture(autouse=True)
def _fresh_spatial_indexes():  # type: ignore[no-untyped-def]
    """Each test starts with no cached spatial index (ids are reused between tests)."""
    from powershift.core.queries import forget_place_indexes

    forget_place_indexes()
    yield
    forget_place_indexes()

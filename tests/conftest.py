"""Shared fixtures (the environment for Django's settings is set in the root conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


DEMO_DOMAIN = "riverside.example"


def demo_account(role: str):  # type: ignore[no-untyped-def]
    """The demo account for a role ("leader", "linkworker", ...)."""
    from powershift.core.models import User

    return User.objects.get(email=f"{role}@{DEMO_DOMAIN}")


@contextmanager
def demo_in_rollback(django_db_blocker, *modules: str) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Riverside's places and accounts plus these modules' demo parts, built once inside a
    transaction that is rolled back afterwards (as Django's TestCase.setUpTestData does): for
    module-scoped fixtures whose tests each run in a savepoint."""
    from importlib import import_module

    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from powershift.core.models import User
    from powershift.core.queries import forget_place_indexes
    from powershift.demo.riverside import ACCOUNTS, build
    from powershift.directory import search_index

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[
            "tests.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            forget_place_indexes()
            search_index.forget_vocabulary()
            build(modules=False)
            accounts = {a.email.split("@")[0]: User.objects.get(email=a.email) for a in ACCOUNTS}
            for module in modules:
                import_module(f"powershift.{module}.demo").build(accounts)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            forget_place_indexes()
            search_index.forget_vocabulary()

"""Riverside with its directory, built once per test module inside a transaction that is rolled
back at the end (as Django's TestCase.setUpTestData does); each test runs in a savepoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from powershift.core.models import User

DEMO = "riverside.example"


def person(role: str) -> User:
    return User.objects.get(email=f"{role}@{DEMO}")


@pytest.fixture(scope="module")
def _directory_data(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from powershift.core.queries import forget_place_indexes
    from powershift.demo.riverside import build
    from powershift.directory import demo, search_index

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[
            "tests.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            forget_place_indexes()
            search_index.forget_vocabulary()
            build(modules=False)
            demo.build({})
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            forget_place_indexes()
            search_index.forget_vocabulary()


@pytest.fixture
def directory(_directory_data, db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The Riverside places and accounts, and the directory's 200 demo listings."""
    from powershift.directory import search_index

    search_index.forget_vocabulary()
    yield
    search_index.forget_vocabulary()

"""Riverside with its directory and support records, built once per test module inside a
transaction rolled back at the end; each test runs in a savepoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from powershift.core.models import User

DEMO = "riverside.example"
ROLES = ["resident", "member", "leader", "linkworker", "keyworker", "staff", "commissioner",
         "facilitator", "admin"]


def person(role: str) -> User:
    return User.objects.get(email=f"{role}@{DEMO}")


@pytest.fixture(scope="module")
def _support_data(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from powershift.core.queries import forget_place_indexes
    from powershift.demo.riverside import ACCOUNTS, build
    from powershift.directory import demo as directory_demo
    from powershift.directory import search_index
    from powershift.support import demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[
            "tests.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            forget_place_indexes()
            search_index.forget_vocabulary()
            build(modules=False)
            directory_demo.build({})
            demo.build({a.email.split("@")[0]: User.objects.get(email=a.email) for a in ACCOUNTS})
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            forget_place_indexes()
            search_index.forget_vocabulary()


@pytest.fixture
def support(_support_data, db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Places, accounts, the directory's listings and the 40 demo support records."""
    from powershift.directory import search_index

    search_index.forget_vocabulary()
    yield
    search_index.forget_vocabulary()


def demo_person(n: int):  # type: ignore[no-untyped-def]
    """The n-th demo record (0 is Amira, the resident's own; 1 is Dawn), whatever the ids are
    (PostgreSQL does not reuse ids rolled back by other test modules)."""
    from powershift.support.models import Person

    return Person.objects.order_by("pk")[n]

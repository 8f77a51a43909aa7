"""Riverside with its directory and support records, built once per test module inside a
transaction rolled back at the end; each test runs in a savepoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from powershift.core.models import User
from tests.conftest import demo_account, demo_in_rollback

ROLES = ["resident", "member", "leader", "linkworker", "keyworker", "staff", "commissioner",
         "facilitator", "admin"]


def person(role: str) -> User:
    return demo_account(role)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def _support_data(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with demo_in_rollback(django_db_blocker, "directory", "support"):
        yield


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

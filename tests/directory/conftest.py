"""Riverside with its directory, built once per test module inside a transaction that is rolled
back at the end (as Django's TestCase.setUpTestData does); each test runs in a savepoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from powershift.core.models import User
from tests.conftest import demo_account, demo_in_rollback


def person(role: str) -> User:
    return demo_account(role)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def _directory_data(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with demo_in_rollback(django_db_blocker, "directory"):
        yield


@pytest.fixture
def directory(_directory_data, db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The Riverside places and accounts, and the directory's 200 demo listings."""
    from powershift.directory import search_index

    search_index.forget_vocabulary()
    yield
    search_index.forget_vocabulary()

"""Parallel votes on PostgreSQL: a second vote on a statement replaces the first, never adds."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from powershift.ideas import actions
from powershift.ideas.models import Vote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS, THREADS = 200, 64


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (set DATABASE_URL)")


def _all_at_once(calls):  # type: ignore[no-untyped-def]
    start = threading.Event()

    def run(call):  # type: ignore[no-untyped-def]
        start.wait()
        try:
            call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(run, c) for c in calls]
        start.set()
        for f in futures:
            f.result()


def test_one_participant_voting_200_times_at_once_leaves_one_vote(conversation):
    p = actions.join(None, conversation).participant
    s = conversation.statements.get(number=1)
    values = [Vote.AGREE, Vote.DISAGREE, Vote.PASS]
    # Votes per minute are limited; this checks the database, so lift the limit for the test.
    actions.VOTES_PER_MINUTE, limit = 10_000, actions.VOTES_PER_MINUTE
    try:
        _all_at_once([lambda v=values[i % 3]: actions.cast_vote(p, s, v) for i in range(SUBMISSIONS)])
    finally:
        actions.VOTES_PER_MINUTE = limit
    assert Vote.objects.filter(participant=p, statement=s).count() == 1


def test_200_participants_voting_at_once_are_all_counted(conversation):
    people = [actions.join(None, conversation).participant for _ in range(SUBMISSIONS)]
    s = conversation.statements.get(number=2)
    _all_at_once([lambda p=p: actions.cast_vote(p, s, Vote.AGREE) for p in people])
    assert Vote.objects.filter(statement=s, value=Vote.AGREE).count() == SUBMISSIONS

"""Parallel ballot submissions on PostgreSQL: each eligible voter counts once, none is lost.

200 submissions are released together onto 64 threads, each with its own database connection
(PostgreSQL here allows 100 connections in all).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from powershift.budgets import actions
from powershift.budgets.models import Ballot, Voter, VoteRecord

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 200
THREADS = 64


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (set DATABASE_URL)")


def _submit_all(round, voters):  # type: ignore[no-untyped-def]
    start = threading.Event()

    def submit(user):  # type: ignore[no-untyped-def]
        start.wait()
        try:
            actions.cast_ballot(user, round, {1: 1, 5: 1})
            return "ok"
        except actions.AlreadyVoted:
            return "already"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(submit, v) for v in voters]
        start.set()
        return [f.result() for f in futures]


def test_two_hundred_submissions_by_one_voter_make_one_ballot(make_round, make_voter):
    r = make_round()
    voter = make_voter(r, "once@example.org")
    outcomes = _submit_all(r, [voter] * SUBMISSIONS)
    assert outcomes.count("ok") == 1 and outcomes.count("already") == SUBMISSIONS - 1
    assert Ballot.objects.filter(round=r).count() == 1
    assert VoteRecord.objects.filter(round=r).count() == 1


def test_two_hundred_voters_at_once_are_all_counted(make_round, make_voter):
    r = make_round()
    voters = [make_voter(r, f"v{i}@example.org") for i in range(SUBMISSIONS)]
    outcomes = _submit_all(r, voters)
    assert outcomes == ["ok"] * SUBMISSIONS
    assert Ballot.objects.filter(round=r).count() == SUBMISSIONS
    assert Voter.objects.filter(round=r, has_voted=True).count() == SUBMISSIONS

"""The Riverside support demo has what the issue asks for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from powershift.support import queries
from powershift.support.models import Contact, Outcome, Person, Referral, ReferralStatus
from tests.support.conftest import demo_person

pytestmark = pytest.mark.usefixtures("support")


def test_forty_people_with_keyworkers_and_referrals_in_every_state() -> None:
    assert Person.objects.count() == 40
    assert not Person.objects.filter(keyworker__isnull=True).exists()
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    waiting = Referral.objects.filter(status=ReferralStatus.SENT, sent_at__lt=timezone.now() - dt.timedelta(days=7))
    assert waiting.exists()


def test_a_year_of_ons4_answers() -> None:
    today = timezone.localdate()
    for p in Person.objects.all():
        dates = list(Outcome.objects.filter(person=p, instrument__isnull=True).values_list("taken_on", flat=True))
        assert len(dates) == 12 and (today - min(dates)).days >= 330 and max(dates) <= today


def test_dawns_journey_twelve_contacts_by_six_agencies_before_a_keyworker() -> None:
    dawn = demo_person(1)
    before = Contact.objects.filter(person=dawn, happened_on__lt=dawn.created_at.date())
    assert before.count() == 12
    assert before.values("organisation").distinct().count() == 6
    summary = queries.passed_around(dawn)
    assert summary.assessments_repeated == 2 and summary.cost_pence > 0
    assert len(summary.hand_offs) >= 11

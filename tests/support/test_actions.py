"""Support actions: the referral loop with its SNOMED CT codes, consent taking effect at once,
and every bad input the issue lists, each refused with a clear message and nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from powershift.core.models import AuditEvent, Organisation, Place
from powershift.directory.models import Service, Status
from powershift.support import actions, queries
from powershift.support.demo import SOCIAL_PRESCRIBING
from powershift.support.models import (
    SNOMED_DECLINED,
    SNOMED_REFERRAL,
    Consent,
    Goal,
    Outcome,
    Person,
    Plan,
    Purpose,
    Referral,
    ReferralStatus,
)
from tests.support.conftest import demo_person, person

pytestmark = pytest.mark.usefixtures("support")
TODAY = dt.date(2026, 6, 1)


def _sp() -> Organisation:
    return Organisation.objects.get(slug=SOCIAL_PRESCRIBING)


def _counts() -> tuple[int, ...]:
    from powershift.support.models import Contact, ReferralEvent, TeamMember

    return tuple(m.objects.count() for m in (Person, Consent, Referral, ReferralEvent, Plan, Goal, Outcome,
                                             TeamMember, Contact))


def _new(**about: str) -> Person:
    return actions.create_person(
        person("linkworker"), about={"full_name": "Rosa Fielding", "preferred_name": "Rosie",
                                     "strengths": "Baking", **about},
        place=Place.objects.get(code="RV-LOC"), agency=_sp(), keyworker=person("keyworker"),
        consent_expires_on=timezone.localdate() + dt.timedelta(days=90))


def _service(**changes: object) -> Service:
    s = Service.objects.filter(status=Status.ACTIVE, merged_into__isnull=True).exclude(
        organisation__slug="riverside-knit-and-natter").order_by("pk").first()
    assert s is not None
    for k, v in changes.items():
        setattr(s, k, v)
    s.save()
    return s


def test_the_referral_loop_closes_with_snomed_codes() -> None:
    rosie = _new()
    knit = Service.objects.get(name="Knit and Natter at the Old Mills")
    knit.capacity = 5
    knit.save()
    lw, leader = person("linkworker"), person("leader")
    r = actions.refer(lw, rosie, knit, agency=_sp(), note="Loves baking; a bit shy at first.",
                      consent_expires_on=timezone.localdate() + dt.timedelta(days=60))
    assert [(e.kind, e.snomed) for e in r.events.all()] == [("referred", SNOMED_REFERRAL)]
    # The group sees it (consent to share with it was recorded with the referral) and answers.
    assert r in queries.referrals_to_my_groups(leader)
    actions.answer_referral(leader, r, accept=True)
    actions.mark_attended(leader, r, timezone.localdate())
    actions.send_note_back(leader, r, "Rosie came and brought scones!")
    r.refresh_from_db()
    assert r.status == ReferralStatus.ATTENDED and r.note_back.startswith("Rosie came")
    actions.close_referral(lw, r, outcome="discharge")
    r.refresh_from_db()
    assert r.status == ReferralStatus.DISCHARGED
    assert [e.kind for e in r.events.all()] == ["referred", "accepted", "attended", "note_back", "discharge"]


def test_person_declining_is_coded_and_a_silent_group_prompts_the_link_worker() -> None:
    rosie, lw = _new(), person("linkworker")
    r = actions.refer(lw, rosie, _service(capacity=None), agency=_sp(), note="",
                      consent_expires_on=timezone.localdate() + dt.timedelta(days=60))
    assert r not in queries.referrals_waiting_too_long(lw)
    Referral.objects.filter(pk=r.pk).update(sent_at=timezone.now() - dt.timedelta(days=8))
    assert r in queries.referrals_waiting_too_long(lw)
    actions.close_referral(lw, r, outcome="person_declined")
    assert r.events.filter(kind="person_declined", snomed=SNOMED_DECLINED).exists()


def test_the_group_must_say_why_it_declines() -> None:
    rosie = _new()
    knit = Service.objects.get(name="Knit and Natter at the Old Mills")
    knit.capacity = None
    knit.save()
    r = actions.refer(person("linkworker"), rosie, knit, agency=_sp(), note="",
                      consent_expires_on=timezone.localdate() + dt.timedelta(days=60))
    with pytest.raises(ValidationError, match="Say why"):
        actions.answer_referral(person("leader"), r, accept=False, reason=" ")
    actions.answer_referral(person("leader"), r, accept=False, reason="We are full until March")
    r.refresh_from_db()
    assert r.status == ReferralStatus.DECLINED and r.reason == "We are full until March"


@pytest.mark.parametrize(("changes", "message"), [
    ({"status": Status.DEFUNCT}, "closed and cannot take referrals"),
    ({"status": Status.TEMPORARILY_CLOSED}, "temporarily closed and cannot take referrals"),
    ({"capacity": 0}, "is full"),
])
def test_a_closed_or_full_service_takes_no_referral(changes: dict[str, object], message: str) -> None:
    rosie = _new()
    service = _service(**changes)
    before = _counts()
    with pytest.raises(ValidationError, match=message) as e:
        actions.refer(person("linkworker"), rosie, service, agency=_sp(), note="x",
                      consent_expires_on=timezone.localdate() + dt.timedelta(days=30))
    assert "service" in e.value.message_dict
    assert _counts() == before


def test_a_plan_needs_goals() -> None:
    rosie = _new()
    before = _counts()
    with pytest.raises(ValidationError, match="at least one goal"):
        actions.save_plan(person("keyworker"), rosie, timezone.localdate() + dt.timedelta(days=30), [
            actions.GoalIn("", "", "", None)])
    with pytest.raises(ValidationError, match="Goal 2: write the goal"):
        actions.save_plan(person("keyworker"), rosie, timezone.localdate() + dt.timedelta(days=30), [
            actions.GoalIn("Bake for the church fair", "Ask the vicar", "Rosie", timezone.localdate()),
            actions.GoalIn("", "Something with no goal", "", timezone.localdate())])
    assert _counts() == before


@pytest.mark.parametrize("bad", [-1, 11, 99])
def test_ons4_answers_outside_0_to_10_are_refused(bad: int) -> None:
    rosie = _new()
    before = _counts()
    with pytest.raises(ValidationError) as e:
        actions.record_ons4(person("keyworker"), rosie, timezone.localdate(), {
            "life_satisfaction": 5, "worthwhile": bad, "happiness": 5, "anxiety": 2})
    assert "worthwhile" in e.value.message_dict
    assert "outside 0 to 10" in e.value.message_dict["worthwhile"][0]
    assert _counts() == before


def test_a_consent_date_in_the_past_is_refused() -> None:
    rosie = _new()
    before = _counts()
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="in the past") as e:
        actions.record_consent(person("keyworker"), rosie, _sp(), Purpose.GP, today - dt.timedelta(days=1))
    assert "expires_on" in e.value.message_dict
    with pytest.raises(ValidationError, match="in the past"):
        actions.record_consent(person("keyworker"), rosie, _sp(), Purpose.GP, today + dt.timedelta(days=9),
                               starts_on=today - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="in the past"):
        actions.create_person(person("linkworker"), about={"full_name": "A B", "preferred_name": "A"},
                              place=Place.objects.get(code="RV-LOC"), agency=_sp(), keyworker=None,
                              consent_expires_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="in the past"):
        actions.refer(person("linkworker"), rosie, _service(capacity=None), agency=_sp(), note="",
                      consent_expires_on=today - dt.timedelta(days=1))
    assert _counts() == before


def test_withdrawing_consent_takes_effect_at_once() -> None:
    dawn = demo_person(1)  # Early Help (staff@) is in her team, with her consent
    staff = person("staff")
    assert rules.has_perm("support.open", staff, dawn)
    consent = Consent.objects.current().get(person=dawn, organisation__slug="riverside-early-help")
    actions.withdraw_consent(person("keyworker"), consent)
    assert not rules.has_perm("support.open", staff, dawn)
    assert dawn not in queries.people(staff)
    with pytest.raises(PermissionDenied):
        actions.add_contact(staff, dawn, organisation=consent.organisation, kind="phone",
                            happened_on=timezone.localdate(), note="x")


def test_plan_goals_are_kept_changed_and_removed_and_the_person_rates_them() -> None:
    amira = Person.objects.get(user=person("resident"))
    goals = queries.goals(amira)
    kw = person("keyworker")
    review = timezone.localdate() + dt.timedelta(days=20)
    actions.save_plan(kw, amira, review, [actions.GoalIn("I want to sing again", "Try the choir", "Amira",
                                                         review, goals[0].pk)])
    kept = queries.goals(amira)
    assert [g.pk for g in kept] == [goals[0].pk] and kept[0].text == "I want to sing again"
    rating = actions.rate_goal(person("resident"), kept[0], 6)
    assert rating.by_person
    with pytest.raises(ValidationError):
        actions.rate_goal(person("resident"), kept[0], 11)
    with pytest.raises(PermissionDenied):
        actions.rate_goal(person("leader"), kept[0], 5)


def test_audit_summaries_never_name_the_person() -> None:
    rosie = _new()
    actions.add_contact(person("keyworker"), rosie, organisation=_sp(), kind="conversation",
                        happened_on=timezone.localdate(), note="Rosie loves baking")
    queries.person_for(person("keyworker"), rosie.pk, "record")
    for e in AuditEvent.objects.filter(object_type="support.person", object_id=str(rosie.pk)):
        assert "Ros" not in e.summary and "Fielding" not in e.summary


def test_swemwbs_entered_by_a_licensed_organisation_scores_the_metric() -> None:
    org = _sp()
    with pytest.raises(PermissionDenied):
        actions.create_instrument(person("keyworker"), org, name="X", scoring="swemwbs",
                                  items=["a"] * 7, licence="L")
    with pytest.raises(ValidationError, match="exactly 7 items"):
        actions.create_instrument(person("admin"), org, name="SWEMWBS", scoring="swemwbs",
                                  items=["a"] * 6, licence="Licence 123")
    inst = actions.create_instrument(person("admin"), org, name="SWEMWBS", scoring="swemwbs",
                                     items=[f"our item {n}" for n in range(7)], licence="Licence 123")
    o = actions.record_instrument(person("keyworker"), demo_person(1), inst, timezone.localdate(),
                                  [3, 3, 3, 3, 3, 3, 3])
    assert (o.raw, o.score) == (21, 19.25)
    with pytest.raises(ValidationError):
        actions.record_instrument(person("keyworker"), demo_person(1), inst, timezone.localdate(),
                                  [3, 3, 3, 3, 3, 3, 6])

"""The only code that changes support records: each function checks permission, validates
everything, writes in one transaction and appends an audit record.

Audit summaries name records by id only ("support record 12"), never the person, so the trail
keeps no personal data after erasure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from powershift.core.audit import record
from powershift.core.models import Organisation, Place, Role, User
from powershift.core.permissions import STAFF_ROLES, holds_role
from powershift.directory.models import Service, Status
from powershift.methods import wellbeing
from powershift.support.models import (
    OPEN_STATUSES,
    SNOMED_DECLINED,
    SNOMED_REFERRAL,
    BreakGlass,
    Consent,
    Contact,
    ContactKind,
    Goal,
    GoalRating,
    Instrument,
    InstrumentItem,
    Outcome,
    Person,
    Plan,
    Purpose,
    Referral,
    ReferralEvent,
    ReferralStatus,
    TeamMember,
    UnitCost,
)

ABOUT_FIELDS = ("full_name", "preferred_name", "communities", "strengths", "what_matters",
                "good_day", "aspirations")
# Discharged records are erased after this long (days) unless settings.SUPPORT_RETENTION_DAYS says.
DEFAULT_RETENTION_DAYS = 6 * 365


def _require(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is None or not rules.has_perm(perm, actor, obj):
        raise PermissionDenied("you cannot do that for this support record")


def _label(person: Person) -> str:
    return f"support record {person.pk}"


def _audit(actor: User | None, action: str, obj: Any, summary: str) -> None:
    record(actor, f"support.{action}", obj, summary)


def _consent_dates(starts_on: dt.date, expires_on: dt.date | None, today: dt.date, field: str) -> None:
    if starts_on < today:
        raise ValidationError({"starts_on": "The consent date is in the past; consent starts today "
                                            "or later"})
    if expires_on is None:
        raise ValidationError({field: "Enter the date the consent ends"})
    if expires_on < today:
        raise ValidationError({field: f"The consent end date {expires_on:%d %B %Y} is in the past; "
                                      "enter today or a later date"})
    if expires_on < starts_on:
        raise ValidationError({field: "The consent must end after it starts"})


def _clean_about(about: dict[str, str]) -> dict[str, str]:
    clean = {k: (about.get(k) or "").strip() for k in ABOUT_FIELDS}
    if not clean["full_name"]:
        raise ValidationError({"full_name": "Enter the person's name"})
    if not clean["preferred_name"]:
        raise ValidationError({"preferred_name": "Enter what they like to be called"})
    return clean


def _check_keyworker(keyworker: User | None) -> None:
    if keyworker is not None and not holds_role(keyworker, [Role.KEYWORKER, Role.LINK_WORKER], None):
        raise ValidationError({"keyworker": "Choose a keyworker or link worker"})


@transaction.atomic
def create_person(actor: User, *, about: dict[str, str], place: Place, agency: Organisation,
                  keyworker: User | None, consent_expires_on: dt.date | None,
                  user: User | None = None, today: dt.date | None = None) -> Person:
    """A new record; the person consents to `agency` (the actor's) working with them, and the
    actor joins the team around them."""
    _require(actor, "support.add_person")
    today = today or timezone.localdate()
    clean = _clean_about(about)
    _check_keyworker(keyworker)
    _consent_dates(today, consent_expires_on, today, "consent_expires_on")
    if user is not None and Person.objects.filter(user=user).exists():
        raise ValidationError({"email": "That account already has a support record"})
    person = Person.objects.create(**clean, place=place, keyworker=keyworker, user=user)
    TeamMember.objects.create(person=person, user=actor, organisation=agency)
    assert consent_expires_on is not None
    Consent.objects.create(person=person, organisation=agency, purpose=Purpose.SUPPORT,
                           starts_on=today, expires_on=consent_expires_on, recorded_by=actor)
    _audit(actor, "create", person, f"{_label(person)} created")
    return person


@transaction.atomic
def update_person(actor: User, person: Person, about: dict[str, str], keyworker: User | None) -> None:
    _require(actor, "support.work_on", person)
    clean = _clean_about(about)
    _check_keyworker(keyworker)
    for k, v in clean.items():
        setattr(person, k, v)
    changed_keyworker = keyworker != person.keyworker
    person.keyworker = keyworker
    person.save()
    _audit(actor, "update", person, f"{_label(person)}: about the person changed"
           + ("; keyworker changed" if changed_keyworker else ""))


@transaction.atomic
def add_team_member(actor: User, person: Person, user: User, organisation: Organisation,
                    role: str = "") -> TeamMember:
    _require(actor, "support.work_on", person)
    if not holds_role(user, STAFF_ROLES, None):
        raise ValidationError({"email": "Only staff can join the team around a person"})
    member, created = TeamMember.objects.get_or_create(
        person=person, user=user, organisation=organisation, defaults={"role": role.strip()[:100]})
    if created:
        _audit(actor, "team.add", person, f"{_label(person)}: user {user.pk} joined the team "
               f"for organisation {organisation.pk}")
    return member


@transaction.atomic
def record_consent(actor: User, person: Person, organisation: Organisation, purpose: str,
                   expires_on: dt.date | None, starts_on: dt.date | None = None,
                   today: dt.date | None = None) -> Consent:
    if not (rules.has_perm("support.work_on", actor, person)
            or rules.has_perm("support.withdraw_consent", actor, person)):
        raise PermissionDenied("you cannot record consent for this person")
    today = today or timezone.localdate()
    starts_on = starts_on or today
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": "Choose what the consent is for"})
    _consent_dates(starts_on, expires_on, today, "expires_on")
    assert expires_on is not None
    consent = Consent.objects.create(person=person, organisation=organisation, purpose=purpose,
                                     starts_on=starts_on, expires_on=expires_on, recorded_by=actor)
    _audit(actor, "consent.give", person, f"{_label(person)}: consent {consent.pk} for {purpose} "
           f"with organisation {organisation.pk} until {expires_on}")
    return consent


@transaction.atomic
def withdraw_consent(actor: User, consent: Consent) -> None:
    """Takes effect at once: every permission check reads the consent rows."""
    _require(actor, "support.withdraw_consent", consent.person)
    if consent.withdrawn_at is not None:
        return
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    _audit(actor, "consent.withdraw", consent.person,
           f"{_label(consent.person)}: consent {consent.pk} withdrawn")


@transaction.atomic
def add_contact(actor: User, person: Person, *, organisation: Organisation, kind: str,
                happened_on: dt.date, note: str, assessment: str = "",
                today: dt.date | None = None) -> Contact:
    _require(actor, "support.work_on", person)
    today = today or timezone.localdate()
    if kind not in ContactKind.values:
        raise ValidationError({"kind": "Choose what kind of contact it was"})
    if happened_on > today:
        raise ValidationError({"happened_on": "The date is in the future; enter when it happened"})
    if kind == ContactKind.ASSESSMENT and not assessment.strip():
        raise ValidationError({"assessment": "Name the assessment (for example 'housing needs')"})
    contact = Contact.objects.create(person=person, organisation=organisation, author=actor, kind=kind,
                                     assessment=assessment.strip()[:100], happened_on=happened_on,
                                     note=note.strip())
    _audit(actor, "contact.add", person, f"{_label(person)}: {kind} recorded")
    return contact


@dataclass(frozen=True)
class GoalIn:
    text: str
    action: str
    who: str
    review_on: dt.date | None
    pk: int | None = None


@transaction.atomic
def save_plan(actor: User, person: Person, review_on: dt.date | None, goals: Sequence[GoalIn],
              today: dt.date | None = None) -> Plan:
    """The plan's goals in the person's words: kept, changed, added; goals left out are removed."""
    _require(actor, "support.work_on", person)
    today = today or timezone.localdate()
    goals = [g for g in goals if g.text.strip() or g.action.strip() or g.who.strip()]
    if not goals:
        raise ValidationError({"goal_1": "Add at least one goal, in the person's own words"})
    for i, g in enumerate(goals, 1):
        if not g.text.strip():
            raise ValidationError({f"goal_{i}": f"Goal {i}: write the goal as the person said it"})
        if g.review_on is None:
            raise ValidationError({f"review_{i}": f"Goal {i}: enter a review date"})
    if review_on is None:
        raise ValidationError({"review_on": "Enter the date to review the plan"})
    if review_on < today:
        raise ValidationError({"review_on": "The review date is in the past; enter today or later"})
    plan, _ = Plan.objects.update_or_create(person=person, defaults={
        "review_on": review_on, "updated_by": actor, "updated_at": timezone.now()})
    existing = {g.pk: g for g in plan.goals.all()}
    kept = set()
    for order, g in enumerate(goals):
        goal = existing.get(g.pk) if g.pk is not None else None
        if goal is None:
            goal = Goal(plan=plan)
        goal.text, goal.action, goal.who = g.text.strip(), g.action.strip(), g.who.strip()[:200]
        goal.review_on, goal.order = g.review_on, order  # type: ignore[assignment]
        goal.save()
        kept.add(goal.pk)
    plan.goals.exclude(pk__in=kept).delete()
    _audit(actor, "plan.save", person, f"{_label(person)}: plan saved with {len(goals)} goals")
    return plan


@transaction.atomic
def rate_goal(actor: User, goal: Goal, rating: object) -> GoalRating:
    person = goal.plan.person
    _require(actor, "support.rate_goal", person)
    try:
        value = wellbeing.check_rating("rating", rating, 0, 10)
    except wellbeing.ScoreError as e:
        raise ValidationError({"rating": str(e)}) from None
    by_person = person.user_id == actor.pk
    r = GoalRating.objects.create(goal=goal, rating=value, by_person=by_person, recorded_by=actor)
    _audit(actor, "goal.rate", person, f"{_label(person)}: goal {goal.pk} rated")
    return r


def _service_can_take(service: Service) -> None:
    if service.merged_into_id is not None or service.status != Status.ACTIVE:
        raise ValidationError({"service": f"{service.name} is {service.get_status_display().lower()} "
                                          "and cannot take referrals; choose another service"})
    if service.capacity is not None and service.capacity <= 0:
        raise ValidationError({"service": f"{service.name} is full (no places available); choose "
                                          "another service or ask the group"})


@transaction.atomic
def refer(actor: User, person: Person, service: Service, *, agency: Organisation, note: str,
          consent_expires_on: dt.date | None, today: dt.date | None = None) -> Referral:
    """Refer to a directory service. The person's consent to share their name and the note with
    the receiving group is recorded with it (purpose 'referral')."""
    _require(actor, "support.work_on", person)
    today = today or timezone.localdate()
    service = Service.objects.select_for_update().get(pk=service.pk)
    _service_can_take(service)
    _consent_dates(today, consent_expires_on, today, "consent_expires_on")
    if person.referrals.filter(service=service, status__in=OPEN_STATUSES).exists():
        raise ValidationError({"service": f"{person} already has an open referral to {service.name}"})
    assert consent_expires_on is not None
    Consent.objects.create(person=person, organisation=service.organisation, purpose=Purpose.REFERRAL,
                           starts_on=today, expires_on=consent_expires_on, recorded_by=actor)
    referral = Referral.objects.create(person=person, service=service, organisation=service.organisation,
                                       referred_by=actor, agency=agency, note=note.strip())
    ReferralEvent.objects.create(referral=referral, kind="referred", snomed=SNOMED_REFERRAL, by=actor)
    _audit(actor, "referral.send", referral, f"{_label(person)}: referred to service {service.pk} "
           f"(SNOMED CT {SNOMED_REFERRAL})")
    return referral


def _lock(referral: Referral) -> None:
    """Lock the row (two answers at once cannot both win) and read its current state."""
    Referral.objects.select_for_update().filter(pk=referral.pk).first()
    referral.refresh_from_db()


def _event(referral: Referral, actor: User, kind: str, snomed: str = "") -> None:
    ReferralEvent.objects.create(referral=referral, kind=kind, snomed=snomed, by=actor)
    _audit(actor, f"referral.{kind}", referral,
           f"{_label(referral.person)}: referral {referral.pk} {kind.replace('_', ' ')}"
           + (f" (SNOMED CT {snomed})" if snomed else ""))


@transaction.atomic
def answer_referral(actor: User, referral: Referral, *, accept: bool, reason: str = "") -> None:
    _require(actor, "support.answer_referral", referral)
    _lock(referral)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError({"accept": "This referral has already been answered"})
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Say why you cannot take this referral"})
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.reason = "" if accept else reason.strip()
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "reason", "answered_at"])
    _event(referral, actor, "accepted" if accept else "declined_by_group")


@transaction.atomic
def mark_attended(actor: User, referral: Referral, on: dt.date | None,
                  today: dt.date | None = None) -> None:
    _require(actor, "support.answer_referral", referral)
    today = today or timezone.localdate()
    _lock(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError({"attended_on": "Accept the referral before marking attendance"})
    if on is None or on > today:
        raise ValidationError({"attended_on": "Enter the date they first came (today or earlier)"})
    referral.status = ReferralStatus.ATTENDED
    referral.first_attended_on = on
    referral.save(update_fields=["status", "first_attended_on"])
    _event(referral, actor, "attended")


@transaction.atomic
def send_note_back(actor: User, referral: Referral, text: str) -> None:
    _require(actor, "support.answer_referral", referral)
    text = text.strip()
    if not text:
        raise ValidationError({"note_back": "Write a short note"})
    if len(text) > 1000:
        raise ValidationError({"note_back": "Keep the note under 1,000 characters"})
    referral.note_back = text
    referral.save(update_fields=["note_back"])
    _event(referral, actor, "note_back")


@transaction.atomic
def close_referral(actor: User, referral: Referral, *, outcome: str,
                   follow_up_on: dt.date | None = None, today: dt.date | None = None) -> None:
    """The link worker's side: 'follow_up' (set a date), 'person_declined' (SNOMED CT declined),
    or 'discharge' (finished)."""
    _require(actor, "support.work_on", referral.person)
    today = today or timezone.localdate()
    if outcome == "follow_up":
        if follow_up_on is None or follow_up_on < today:
            raise ValidationError({"follow_up_on": "Enter a follow-up date, today or later"})
        referral.follow_up_on = follow_up_on
        referral.save(update_fields=["follow_up_on"])
        _event(referral, actor, "follow_up")
        return
    if referral.status in (ReferralStatus.DISCHARGED, ReferralStatus.PERSON_DECLINED):
        raise ValidationError({"outcome": "This referral is already closed"})
    if outcome == "person_declined":
        referral.status = ReferralStatus.PERSON_DECLINED
        snomed = SNOMED_DECLINED
    elif outcome == "discharge":
        referral.status = ReferralStatus.DISCHARGED
        snomed = ""
    else:
        raise ValidationError({"outcome": "Choose what happened"})
    referral.closed_at = timezone.now()
    referral.save(update_fields=["status", "closed_at"])
    _event(referral, actor, outcome, snomed)


@transaction.atomic
def discharge_person(actor: User, person: Person, on: dt.date | None = None) -> None:
    _require(actor, "support.work_on", person)
    person.discharged_on = on or timezone.localdate()
    person.save(update_fields=["discharged_on"])
    _audit(actor, "discharge", person, f"{_label(person)} discharged")


@transaction.atomic
def record_ons4(actor: User, person: Person, taken_on: dt.date, answers: dict[str, object],
                today: dt.date | None = None) -> Outcome:
    _require(actor, "support.rate_goal", person)
    today = today or timezone.localdate()
    try:
        clean = wellbeing.ons4_answers(answers)
    except wellbeing.ScoreError as e:
        raise ValidationError({e.field: str(e)}) from None
    if taken_on > today:
        raise ValidationError({"taken_on": "The date is in the future"})
    outcome = Outcome.objects.create(person=person, taken_on=taken_on, answers=clean, recorded_by=actor)
    _audit(actor, "outcome.ons4", person, f"{_label(person)}: ONS4 recorded")
    return outcome


@transaction.atomic
def record_instrument(actor: User, person: Person, instrument: Instrument, taken_on: dt.date,
                      answers: Sequence[object], today: dt.date | None = None) -> Outcome:
    _require(actor, "support.rate_goal", person)
    today = today or timezone.localdate()
    items = instrument.items.count()
    base = wellbeing.SCORINGS.get(instrument.scoring, wellbeing.SCORINGS["sum"])
    scoring = wellbeing.Scoring(base.key, items, instrument.low, instrument.high, base.conversion)
    try:
        raw, score = wellbeing.score(scoring, list(answers))
    except wellbeing.ScoreError as e:
        raise ValidationError({e.field.replace(" ", "_"): str(e)}) from None
    if taken_on > today:
        raise ValidationError({"taken_on": "The date is in the future"})
    outcome = Outcome.objects.create(person=person, instrument=instrument, taken_on=taken_on,
                                     answers=list(answers), raw=raw, score=score, recorded_by=actor)
    _audit(actor, "outcome.instrument", person, f"{_label(person)}: instrument {instrument.pk} recorded")
    return outcome


@transaction.atomic
def create_instrument(actor: User, organisation: Organisation, *, name: str, scoring: str,
                      items: Sequence[str], licence: str) -> Instrument:
    """A licensed organisation enters the scale and its item wording itself."""
    _require(actor, "support.manage_instruments", organisation)
    items = [i.strip() for i in items if i.strip()]
    if not name.strip():
        raise ValidationError({"name": "Enter the scale's name"})
    if not licence.strip():
        raise ValidationError({"licence": "Say under which licence your organisation uses this scale"})
    if scoring not in wellbeing.SCORINGS:
        raise ValidationError({"scoring": "Choose how the scale is scored"})
    rule = wellbeing.SCORINGS[scoring]
    if rule.items and len(items) != rule.items:
        raise ValidationError({"items": f"This scoring needs exactly {rule.items} items, one a line; "
                                        f"you gave {len(items)}"})
    if not items:
        raise ValidationError({"items": "Enter the items, one a line"})
    low, high = (rule.low, rule.high) if rule.items else (1, 5)
    instrument = Instrument.objects.create(name=name.strip(), organisation=organisation, scoring=scoring,
                                           low=low, high=high, licence=licence.strip())
    InstrumentItem.objects.bulk_create(InstrumentItem(instrument=instrument, number=n, wording=w[:500])
                                       for n, w in enumerate(items, 1))
    record(actor, "support.instrument.create", instrument, f"instrument {instrument.pk} entered")
    return instrument


@transaction.atomic
def set_unit_cost(actor: User, kind: str, organisation: Organisation | None, pence: int | None,
                  source: str = "") -> UnitCost:
    _require(actor, "support.edit_unit_costs")
    if kind not in ContactKind.values:
        raise ValidationError({"kind": "Choose the kind of contact"})
    if pence is None or pence < 0:
        raise ValidationError({"pounds": "Enter a cost of £0 or more"})
    cost, _ = UnitCost.objects.update_or_create(kind=kind, organisation=organisation, defaults={
        "pence": pence, "source": source.strip()[:300], "updated_by": actor})
    record(actor, "support.unit_cost", cost, f"unit cost for {kind} set to {pence}p")
    return cost


@transaction.atomic
def break_glass(actor: User, full_name: str, reason: str) -> list[Person]:
    """Someone outside the team asks whether a record exists for a name. Recorded with the
    reason and flagged for review; returns the matches (existence and keyworker only are shown)."""
    _require(actor, "support.break_glass")
    name = " ".join(full_name.split()).casefold()
    if len(name) < 3:
        raise ValidationError({"full_name": "Enter the person's full name"})
    if len(reason.strip()) < 20:
        raise ValidationError({"reason": "Give the reason in a sentence or two (at least 20 characters)"})
    matches = [p for p in Person.objects.select_related("keyworker")
               if " ".join(p.full_name.split()).casefold() == name]
    flags = [BreakGlass(user=actor, person=p, reason=reason.strip()) for p in matches] or [
        BreakGlass(user=actor, person=None, reason=reason.strip())]
    for flag in flags:
        flag.save()
        record(actor, "support.break_glass", flag,
               f"break-glass check {flag.pk}: {'a record exists' if flag.person_id else 'no record'}")
    return matches


@transaction.atomic
def review_break_glass(actor: User, flag: BreakGlass) -> None:
    _require(actor, "support.review_break_glass")
    flag.reviewed_by = actor
    flag.reviewed_at = timezone.now()
    flag.save(update_fields=["reviewed_by", "reviewed_at"])
    record(actor, "support.break_glass.review", flag, f"break-glass check {flag.pk} reviewed")


def _delete_record(person: Person) -> None:
    """Remove the record and everything about the person (cascades: team, consents, contacts,
    plan, goals, ratings, referrals and their events, outcomes, break-glass flags)."""
    person.delete()


@transaction.atomic
def erase_person(actor: User, person: Person) -> None:
    _require(actor, "support.erase", person)
    pk = person.pk
    _delete_record(person)
    record(actor, "support.erase", None, f"support record {pk} erased")


@transaction.atomic
def apply_retention(today: dt.date | None = None) -> int:
    """Erase records discharged longer ago than the retention period; returns how many."""
    today = today or timezone.localdate()
    days = int(getattr(settings, "SUPPORT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    old = list(Person.objects.filter(discharged_on__lt=today - dt.timedelta(days=days)))
    for person in old:
        pk = person.pk
        _delete_record(person)
        record(None, "support.retention", None, f"support record {pk} erased after the retention period")
    return len(old)

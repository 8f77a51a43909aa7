"""Reads of support records, with permission filters applied. Every read of a record (page,
export, API, search result list) appends a `support.read` audit record naming what was read, so
the person can see who looked and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from powershift.core.audit import record
from powershift.core.models import AuditEvent, Organisation, Role, User
from powershift.core.permissions import holds_role
from powershift.directory import queries as directory
from powershift.methods import journey, wellbeing
from powershift.support.models import (
    OPEN_STATUSES,
    Consent,
    Contact,
    ContactKind,
    Goal,
    GoalRating,
    Instrument,
    Outcome,
    Person,
    Purpose,
    Referral,
    ReferralStatus,
    TeamMember,
    UnitCost,
)
from powershift.support.permissions import GROUP_ROLES, openable

READ = "support.read"


def log_read(user: User, person: Person, what: str) -> None:
    record(user, READ, person, f"support record {person.pk}: {what} read")


def person_for(user: User, pk: int, what: str, perm: str = "support.open") -> Person:
    """The record, if this person may read it this way; the read is logged. 404 when it does not
    exist, 403 when it exists but is not theirs to open (staff learn it exists only through
    break-glass, so both say the same to anyone else)."""
    person = Person.objects.select_related("keyworker", "user", "place").filter(pk=pk).first()
    if person is None or not rules.has_perm(perm, user, person):
        raise Http404
    log_read(user, person, what)
    return person


def people(user: User, text: str = "") -> list[Person]:
    """Records this person may open, matching `text` in the names (decrypted here: names are
    encrypted at rest, so the database cannot search them). The list is logged as a read."""
    rows = list(openable(user).select_related("keyworker").order_by("id"))
    words = text.casefold().split()
    if words:
        rows = [p for p in rows if all(w in f"{p.full_name} {p.preferred_name}".casefold() for w in words)]
    for p in rows:
        log_read(user, p, "name in a list")
    return rows


def team(person: Person) -> QuerySet[TeamMember]:
    return person.team.select_related("user", "organisation")


def consents(person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("organisation", "recorded_by")


def covered_agencies(person: Person) -> set[int]:
    return set(Consent.objects.current().filter(person=person, purpose=Purpose.SUPPORT)
               .values_list("organisation_id", flat=True))


def goals(person: Person) -> list[Goal]:
    plan = getattr(person, "plan", None)
    if plan is None:
        return []
    return list(plan.goals.prefetch_related(Prefetch("ratings", queryset=GoalRating.objects.all())))


def referrals(person: Person) -> QuerySet[Referral]:
    return person.referrals.select_related("service", "organisation", "referred_by")


def contacts(person: Person) -> QuerySet[Contact]:
    return person.contacts.select_related("organisation", "author")


def agencies_for(user: User, person: Person | None = None) -> QuerySet[Organisation]:
    """Agencies a staff member works for on this record (their team places), else public services."""
    if person is not None:
        mine = Organisation.objects.filter(pk__in=person.team.filter(user=user).values("organisation_id"))
        if mine.exists():
            return mine
    return Organisation.objects.filter(is_public_service=True).order_by("name")


def keyworkers() -> QuerySet[User]:
    return User.objects.filter(roles__role__in=[Role.KEYWORKER, Role.LINK_WORKER], is_active=True
                               ).distinct().order_by("full_name")


# Referrals from the link worker's side and the group's side.

def referrals_waiting_too_long(user: User, today: dt.datetime | None = None) -> list[Referral]:
    """Referrals this person sent that no one has answered for 7 days: prompt to chase them."""
    from powershift.support.models import NO_ANSWER_AFTER

    now = today or timezone.now()
    return list(Referral.objects.filter(referred_by=user, status=ReferralStatus.SENT,
                                        sent_at__lt=now - NO_ANSWER_AFTER, person__in=openable(user))
                .select_related("service", "person").order_by("sent_at"))


def referrals_to_my_groups(user: User) -> list[Referral]:
    """Referrals to groups this person leads or belongs to, while the person's consent to share
    with the group holds; the others are left out entirely."""
    if not holds_role_in_any_group(user):
        return []
    orgs = Organisation.objects.filter(role_assignments__user=user,
                                       role_assignments__role__in=GROUP_ROLES)
    current = Consent.objects.current().filter(purpose=Purpose.REFERRAL)
    rows = Referral.objects.filter(organisation__in=orgs).filter(
        Q(status__in=OPEN_STATUSES) | Q(status=ReferralStatus.DECLINED)).select_related("service", "person")
    visible = [r for r in rows.order_by("-sent_at", "-id")
               if current.filter(person_id=r.person_id, organisation_id=r.organisation_id).exists()]
    for r in visible:
        log_read(user, r.person, f"referral {r.pk} (as the receiving group)")
    return visible


def holds_role_in_any_group(user: User) -> bool:
    return bool(user.is_authenticated and user.roles.filter(role__in=GROUP_ROLES).exists())


def referral_for(user: User, pk: int) -> Referral:
    referral = Referral.objects.select_related("person", "service", "organisation", "referred_by",
                                               "agency").filter(pk=pk).first()
    if referral is None or not rules.has_perm("support.view_referral", user, referral):
        raise Http404
    log_read(user, referral.person, f"referral {referral.pk}")
    return referral


def services_to_refer(text: str, *, limit: int = 10) -> directory.Results:
    """Directory services that can take a referral now (running, with places or not counting)."""
    return directory.search(directory.Filters(text=text, has_capacity=True), limit=limit)


# Outcomes.

@dataclass(frozen=True)
class Ons4Row:
    taken_on: dt.date
    answers: dict[str, int]
    bands: dict[str, str]


def ons4_rows(person: Person) -> list[Ons4Row]:
    rows = []
    for o in person.outcomes.filter(instrument__isnull=True).order_by("taken_on", "id"):
        answers = {k: int(o.answers[k]) for k in wellbeing.ONS4_KEYS}
        rows.append(Ons4Row(o.taken_on, answers, wellbeing.ons4_bands(answers)))
    return rows


def instrument_rows(person: Person) -> list[Outcome]:
    return list(person.outcomes.filter(instrument__isnull=False).select_related("instrument")
                .order_by("taken_on", "id"))


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.select_related("organisation").prefetch_related("items")


# The journey.

@dataclass(frozen=True)
class Entry:
    on: dt.date
    what: str
    agency: str
    detail: str
    kind: str


def timeline(person: Person) -> list[Entry]:
    """Every contact, assessment, referral step and outcome, newest first."""
    entries = [Entry(c.happened_on, c.get_kind_display() + (f": {c.assessment}" if c.assessment else ""),
                     c.organisation.name, c.note, "contact") for c in contacts(person)]
    for r in referrals(person).prefetch_related("events"):
        for e in r.events.all():
            code = f" (SNOMED CT {e.snomed})" if e.snomed else ""
            entries.append(Entry(timezone.localtime(e.at).date(), f"Referral to {r.service.name}: "
                                 f"{e.label.lower()}{code}", r.agency.name, "", "referral"))
    for o in person.outcomes.select_related("instrument"):
        entries.append(Entry(o.taken_on, f"{o.instrument.name if o.instrument else 'ONS4 wellbeing'} "
                             "answered", "", "", "outcome"))
    return sorted(entries, key=lambda e: (e.on, e.kind, e.what), reverse=True)


def unit_costs() -> dict[tuple[str, str], int]:
    return {(c.organisation.name if c.organisation else "", c.kind): c.pence
            for c in UnitCost.objects.select_related("organisation")}


def passed_around(person: Person, today: dt.date | None = None) -> journey.PassedAround:
    today = today or timezone.localdate()
    rows = [journey.Contact(c.happened_on, c.organisation.name, c.kind, c.assessment)
            for c in contacts(person)]
    return journey.passed_around(rows, unit_costs(), today, assessment_kind=ContactKind.ASSESSMENT)


# Who looked.

def access_log(person: Person) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="support.person", object_id=str(person.pk)
                                     ).select_related("actor").order_by("-created_at", "-id")


def break_glass_flags() -> QuerySet[Any]:
    from powershift.support.models import BreakGlass

    return BreakGlass.objects.select_related("user", "reviewed_by").order_by("reviewed_at", "-at")


def is_support_staff(user: User) -> bool:
    return holds_role(user, [Role.LINK_WORKER, Role.KEYWORKER], None)


def require(user: User, perm: str, obj: Any = None) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied

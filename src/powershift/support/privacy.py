"""Support's part of "download my data" and "delete my account".

A person with an account gets their whole support record in their download, and erasing their
account erases the record entirely (nothing about them is left in any table; the audit trail
names records by id only). Staff who are erased leave the records they worked on: their name
comes off the notes and referrals they wrote (the link to their account is removed) and they
leave every team.
"""

from __future__ import annotations

from typing import Any

from powershift.core import privacy
from powershift.core.audit import record
from powershift.core.models import User
from powershift.support import exports
from powershift.support.models import (
    BreakGlass,
    Consent,
    Contact,
    GoalRating,
    Outcome,
    Person,
    Plan,
    Referral,
    ReferralEvent,
    TeamMember,
    UnitCost,
)


def export(user: User) -> dict[str, Any]:
    own = Person.objects.filter(user=user).first()
    return {
        "your_support_record": exports.person_data(own) if own is not None else None,
        "records_you_keywork": Person.objects.filter(keyworker=user).count(),
    }


def erase(user: User) -> None:
    own = Person.objects.filter(user=user).first()
    if own is not None:
        pk = own.pk
        own.delete()
        record(None, "support.erase", None, f"support record {pk} erased with its person's account")
    Person.objects.filter(keyworker=user).update(keyworker=None)
    TeamMember.objects.filter(user=user).delete()
    for model, field in ((Consent, "recorded_by"), (Contact, "author"), (Plan, "updated_by"),
                         (GoalRating, "recorded_by"), (Referral, "referred_by"), (ReferralEvent, "by"),
                         (Outcome, "recorded_by"), (UnitCost, "updated_by"), (BreakGlass, "user"),
                         (BreakGlass, "reviewed_by")):
        model.objects.filter(**{field: user}).update(**{field: None})  # type: ignore[attr-defined]


privacy.register("support", export=export, erase=erase)

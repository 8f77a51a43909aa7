"""Who may open a support record, and do what with it.

- The person themselves (their linked account) sees their record, rates their goals, withdraws
  consent, downloads it and sees who looked at it.
- Their keyworker opens and works on it.
- A team member opens and works on it only while the person's consent for that member's agency
  and the purpose "support" is current (not expired, not withdrawn): withdrawal takes effect at
  once because every check reads the consent rows.
- A community group (leader or member of the receiving organisation) sees a referral to it (the
  person's preferred name and the note) only while consent for "referral" to it is current.
- Anyone else: nothing; a staff member may ask whether a record exists through break-glass,
  which is recorded with a reason and flagged for an administrator's review.
"""

from __future__ import annotations

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from powershift.core.models import Organisation, Role, User
from powershift.core.permissions import holds_org_role, holds_role, is_superuser
from powershift.support.models import Consent, Person, Purpose, Referral, TeamMember

SUPPORT_STAFF = (Role.LINK_WORKER, Role.KEYWORKER)
GROUP_ROLES = (Role.ORG_LEADER, Role.ORG_MEMBER)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def openable(user: User) -> QuerySet[Person]:
    """Every record this person may open (the list pages and search start here)."""
    if not _active(user):
        return Person.objects.none()
    covered = TeamMember.objects.filter(
        person=OuterRef("pk"), user=user,
        organisation_id__in=Consent.objects.current().filter(
            person=OuterRef(OuterRef("pk")), purpose=Purpose.SUPPORT).values("organisation_id"))
    return Person.objects.filter(Q(keyworker=user) | Q(user=user) | Exists(covered))


@rules.predicate
def is_the_person(user: User, person: Person | None) -> bool:
    return person is not None and _active(user) and person.user_id == user.pk


@rules.predicate
def is_keyworker(user: User, person: Person | None) -> bool:
    return person is not None and _active(user) and person.keyworker_id == user.pk


@rules.predicate
def is_consented_team_member(user: User, person: Person | None) -> bool:
    if person is None or not _active(user):
        return False
    agencies = person.team.filter(user=user).values("organisation_id")
    return Consent.objects.current().filter(person=person, purpose=Purpose.SUPPORT,
                                            organisation_id__in=agencies).exists()


@rules.predicate
def is_support_staff(user: User) -> bool:
    return holds_role(user, SUPPORT_STAFF, None)


@rules.predicate
def is_staff_anywhere(user: User) -> bool:
    from powershift.core.permissions import STAFF_ROLES

    return holds_role(user, STAFF_ROLES, None)


@rules.predicate
def is_administrator(user: User) -> bool:
    return holds_role(user, [Role.ADMINISTRATOR], None)


@rules.predicate
def receives_referral(user: User, referral: Referral | None) -> bool:
    """A leader or member of the receiving group, while the person's consent to share with it holds."""
    if referral is None or not holds_org_role(user, GROUP_ROLES, referral.organisation):
        return False
    return Consent.objects.current().filter(person_id=referral.person_id, purpose=Purpose.REFERRAL,
                                            organisation_id=referral.organisation_id).exists()


@rules.predicate
def can_open_person_of(user: User, referral: Referral | None) -> bool:
    return referral is not None and rules.has_perm("support.open", user, referral.person)


@rules.predicate
def leads_organisation(user: User, organisation: Organisation | None) -> bool:
    return organisation is not None and holds_org_role(user, [Role.ORG_LEADER], organisation)


works_on = is_keyworker | is_consented_team_member

rules.add_perm("support.open", is_the_person | works_on)
rules.add_perm("support.work_on", works_on)
rules.add_perm("support.add_person", is_support_staff)
rules.add_perm("support.rate_goal", is_the_person | works_on)
rules.add_perm("support.withdraw_consent", is_the_person | works_on)
rules.add_perm("support.export", is_the_person | is_keyworker)
rules.add_perm("support.see_access", is_the_person | is_keyworker)
rules.add_perm("support.erase", is_keyworker)
rules.add_perm("support.view_referral", receives_referral | can_open_person_of)
rules.add_perm("support.answer_referral", receives_referral)
rules.add_perm("support.break_glass", is_staff_anywhere)
rules.add_perm("support.review_break_glass", is_administrator | is_superuser)
rules.add_perm("support.edit_unit_costs", is_support_staff | is_administrator)
rules.add_perm("support.manage_instruments", leads_organisation | is_administrator)

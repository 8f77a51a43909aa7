"""Person-centred support and social prescribing.

A `Person` is someone supported: their name and how they like to be addressed first, then, in
their own words, their strengths, what matters to them, a good day and their aspirations. One
named keyworker; a team of staff from several agencies (core.Organisation). The person's consent
is given per organisation and purpose, with an expiry; only the keyworker and team members whose
agency is covered by current consent can open the record (see permissions.py).

Free text about the person is encrypted at rest (core.fields.EncryptedTextField). Audit records
name the record by id only, never the person, so erasure leaves no trace of who they were.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powershift.core.fields import EncryptedTextField

# SNOMED CT UK codes recorded for GP systems. Only the two the issue gives and we could confirm
# are used; no "social prescribing offered" code could be confirmed, so none is recorded.
SNOMED_REFERRAL = "871731000000106"  # Referral to social prescribing service
SNOMED_DECLINED = "871711000000103"  # Social prescribing declined
NO_ANSWER_AFTER = dt.timedelta(days=7)


class Person(models.Model):
    full_name = EncryptedTextField(_("full name"))
    preferred_name = EncryptedTextField(_("what they like to be called"))
    communities = EncryptedTextField(_("communities they identify with"), blank=True)
    strengths = EncryptedTextField(_("what they are good at"), blank=True)
    what_matters = EncryptedTextField(_("what matters to them"), blank=True)
    good_day = EncryptedTextField(_("what a good day looks like"), blank=True)
    aspirations = EncryptedTextField(_("their hopes"), blank=True)
    keyworker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="keyworker_for")
    # Their own account, when they have one: they see their record and who looked at it.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="support_record")
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    discharged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.preferred_name or self.full_name

    def get_absolute_url(self) -> str:
        return reverse("support:person", args=[self.pk])


class TeamMember(models.Model):
    """A member of staff from an agency working with the person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=100, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["person", "user", "organisation"],
                                               name="support_one_team_place")]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class Purpose(models.TextChoices):
    SUPPORT = "support", _("Working with me and seeing my record")
    REFERRAL = "referral", _("Receiving a referral (my name and the note)")
    GP = "gp", _("Telling my GP practice")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current(self, on: dt.date | None = None) -> ConsentQuerySet:
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, starts_on__lte=on, expires_on__gte=on)


class Consent(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    starts_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.organisation}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.withdrawn_at is None and self.starts_on <= today <= self.expires_on


class ContactKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Home visit")
    APPOINTMENT = "appointment", _("Appointment")
    ASSESSMENT = "assessment", _("Assessment")


class Contact(models.Model):
    """A contact with the person by any agency; conversation notes are contacts too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    assessment = models.CharField(max_length=100, blank=True)
    happened_on = models.DateField()
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class Plan(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="plan")
    review_on = models.DateField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Plan {self.pk}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = EncryptedTextField()  # as the person said it
    action = EncryptedTextField(blank=True)
    who = models.CharField(max_length=200, blank=True)
    review_on = models.DateField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def latest_rating(self) -> GoalRating | None:
        ratings = list(self.ratings.all())
        return ratings[0] if ratings else None


class GoalRating(models.Model):
    """The person's own rating of their progress on a goal, 0 (not started) to 10 (done)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField()
    rated_on = models.DateField(default=timezone.localdate)
    by_person = models.BooleanField(default=True)  # False: staff typed in what the person said
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-rated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.rating}/10"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for the group")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the group")
    ATTENDED = "attended", _("Attending")
    PERSON_DECLINED = "person_declined", _("The person chose not to go")
    DISCHARGED = "discharged", _("Finished")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.ATTENDED)


class Referral(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT,
                              db_index=True)
    note = EncryptedTextField(blank=True)  # to the group
    reason = EncryptedTextField(blank=True)  # why the group declined
    note_back = EncryptedTextField(blank=True)  # the group's short note to the link worker
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    first_attended_on = models.DateField(null=True, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:referral", args=[self.pk])

    @property
    def waiting_too_long(self) -> bool:
        return self.status == ReferralStatus.SENT and timezone.now() - self.sent_at > NO_ANSWER_AFTER


EVENT_LABELS = {
    "referred": _("Referred (referral to social prescribing service)"),
    "accepted": _("The group accepted"),
    "declined_by_group": _("The group declined"),
    "attended": _("First attendance"),
    "note_back": _("Note from the group"),
    "follow_up": _("Follow-up date set"),
    "person_declined": _("Social prescribing declined by the person"),
    "discharge": _("Finished and discharged"),
}


class ReferralEvent(models.Model):
    """What happened to a referral, with its SNOMED CT code where there is one."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    snomed = models.CharField(max_length=20, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.kind

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))


class Instrument(models.Model):
    """An outcome scale a licensed organisation uses; it enters the item wording itself.
    `scoring` names how answers are scored (methods.wellbeing.SCORINGS)."""

    name = models.CharField(max_length=200)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    scoring = models.CharField(max_length=20, default="sum")
    low = models.PositiveSmallIntegerField(default=1)
    high = models.PositiveSmallIntegerField(default=5)
    licence = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InstrumentItem(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    wording = models.CharField(max_length=500)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="support_item_number")]

    def __str__(self) -> str:
        return self.wording


class Outcome(models.Model):
    """One completed measure: ONS4 (instrument empty) or a licensed instrument."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="outcomes")
    instrument = models.ForeignKey(Instrument, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    taken_on = models.DateField()
    answers = models.JSONField()  # ONS4: {key: rating}; instruments: [ratings in item order]
    raw = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["taken_on", "id"]
        indexes = [models.Index(fields=["person", "instrument", "taken_on"], name="support_outcome_when")]

    def __str__(self) -> str:
        return f"{self.instrument or 'ONS4'} {self.taken_on}"


class UnitCost(models.Model):
    """What one contact of a kind costs, in pence; for one agency, or the default (no agency)."""

    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    pence = models.PositiveIntegerField()
    source = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "organisation"], name="support_one_cost"),
            models.UniqueConstraint(fields=["kind"], condition=Q(organisation__isnull=True),
                                    name="support_one_default_cost"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.pence}p"

    @property
    def pounds(self) -> str:
        return f"{self.pence // 100:,}.{self.pence % 100:02d}"


class BreakGlass(models.Model):
    """Someone outside the team asked whether a record exists, giving a reason; reviewed later."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    reason = EncryptedTextField()
    at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Break-glass {self.pk}"

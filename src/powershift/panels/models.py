"""Citizens' panels chosen by fair lottery: quotas, invitations, the pool, the draw, the panel's
recommendations and the public body's answers.

Personal data of volunteers (name, contact details, address) is encrypted at rest and erased
for everyone not on the panel when the panel ends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powershift.core.fields import EncryptedTextField


class PanelStage(models.TextChoices):
    RECRUITING = "recruiting", _("Recruiting volunteers")
    SELECTED = "selected", _("Panel drawn")
    WORKING = "working", _("Meeting and deliberating")
    RESPONDED = "responded", _("Recommendations answered")
    ENDED = "ended", _("Ended")


STAGE_ORDER = tuple(PanelStage.values)


class Algorithm(models.TextChoices):
    LEXIMIN = "leximin", _("LEXIMIN (fairest: the least likely volunteer as likely as possible)")
    MAXIMIN = "maximin", _("Maximin")
    LEGACY = "legacy", _("Legacy greedy draw")


class Panel(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="panels")
    slug = models.SlugField(max_length=80, unique=True)
    question = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    size = models.PositiveSmallIntegerField()
    recruitment_closes = models.DateField()
    meets_from = models.DateField()
    meets_to = models.DateField()
    stage = models.CharField(max_length=12, choices=PanelStage.choices, default=PanelStage.RECRUITING)
    algorithm = models.CharField(max_length=10, choices=Algorithm.choices, default=Algorithm.LEXIMIN)
    households = models.BooleanField(default=True, help_text=_("At most one person per address"))
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # The draw: the commitment is public from before the draw; the seed only after it.
    seed = EncryptedTextField(blank=True)
    seed_commitment = models.CharField(max_length=64, blank=True)
    seed_revealed = models.BooleanField(default=False)
    selection = models.JSONField(null=True, blank=True)  # probabilities, committees, panel
    selection_problem = models.TextField(blank=True)  # why the last attempt could not draw
    progress = models.ForeignKey("core.TaskProgress", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    pool_erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("panels:panel", args=[self.slug])

    def reached(self, stage: str) -> bool:
        return STAGE_ORDER.index(self.stage) >= STAGE_ORDER.index(stage)


class Quota(models.Model):
    """How many panel members may have a feature's value, beside the place's census share."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="quotas")
    feature = models.CharField(max_length=60)
    value = models.CharField(max_length=60)
    min = models.PositiveSmallIntegerField()
    max = models.PositiveSmallIntegerField()
    census_share = models.FloatField(null=True, blank=True, help_text=_("Share of the place, 0 to 1"))

    class Meta:
        ordering = ["feature", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "feature", "value"], name="one_quota_per_value"),
            models.CheckConstraint(name="quota_min_not_above_max", condition=Q(min__lte=models.F("max"))),
        ]

    def __str__(self) -> str:
        return f"{self.feature}: {self.value} ({self.min}–{self.max})"


class Invitation(models.Model):
    """A letter with a one-time code sent to a randomly chosen address."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="invitations")
    reference = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    address = EncryptedTextField()
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["panel", "code_hash"], name="invitation_code_unique")]

    def __str__(self) -> str:
        return self.reference


class VolunteerStatus(models.TextChoices):
    POOL = "pool", _("In the pool")
    SELECTED = "selected", _("Selected, not yet answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ERASED = "erased", _("Not selected; details erased")


class Volunteer(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="volunteers")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="volunteer")
    name = EncryptedTextField()
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    household = models.CharField(max_length=64, blank=True)  # SHA-256 of the normalised address
    features = models.JSONField()  # {feature: value}
    consent = models.BooleanField()
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")  # staff, by phone
    status = models.CharField(max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.POOL)
    probability = models.FloatField(null=True, blank=True)
    replacement = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(name="volunteers_consent", condition=Q(consent=True))]

    def __str__(self) -> str:
        return f"volunteer {self.pk}"


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200)
    materials = models.TextField(blank=True, help_text=_("Evidence, speakers, links"))

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.title


class ResponseStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Accepted in part")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class Recommendation(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    votes_for = models.PositiveSmallIntegerField()
    votes_against = models.PositiveSmallIntegerField()
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    response_status = models.CharField(max_length=14, choices=ResponseStatus.choices,
                                       default=ResponseStatus.WAITING)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["panel", "number"], name="recommendation_number_unique")]

    def __str__(self) -> str:
        return self.text[:60]


class ProgressUpdate(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]

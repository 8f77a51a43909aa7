"""Ideas Shop conversations: short statements, agree / disagree / pass votes, and the analysis.

Residents and staff take part as equals; a staff member's statements are marked as staff and
count the same. People may take part signed in, or under a pseudonym kept in a cookie where the
facilitator allows it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

STATEMENT_MAX = 280


class Conversation(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="conversations")
    slug = models.SlugField(max_length=80, unique=True)
    question = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    opens_on = models.DateField()
    closes_on = models.DateField()
    allow_pseudonyms = models.BooleanField(default=True, help_text=_(
        "People may take part without an account, under a made-up name"))
    # The latest analysis (see tasks.py), and when votes first changed after it was queued.
    analysis = models.JSONField(null=True, blank=True)
    analysed_votes = models.PositiveIntegerField(default=0)
    analysed_at = models.DateTimeField(null=True, blank=True)
    votes_changed_at = models.DateTimeField(null=True, blank=True)
    analysis_queued = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "id"]
        constraints = [models.CheckConstraint(name="conversation_closes_after_it_opens",
                                              condition=Q(closes_on__gte=models.F("opens_on")))]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("ideas:conversation", args=[self.slug])


class Participant(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="idea_participations")
    pseudonym = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, blank=True)  # pseudonymous: SHA-256 of the cookie
    is_staff_voice = models.BooleanField(default=False)  # staff of the place when they joined
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], condition=Q(user__isnull=False),
                                    name="one_participant_per_person"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    ACCEPTED = "accepted", _("In the conversation")
    REJECTED = "rejected", _("Not accepted")


class Statement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    number = models.PositiveIntegerField()  # public id, as Polis's comment-id
    text = models.CharField(max_length=STATEMENT_MAX)
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="statements")
    is_seed = models.BooleanField(default=False)
    is_staff_voice = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=StatementStatus.choices,
                              default=StatementStatus.PENDING)
    # About the participants rather than the question: kept out of the opinion groups.
    is_meta = models.BooleanField(default=False)
    is_demographic = models.BooleanField(default=False)
    moderation_reason = models.CharField(max_length=300, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["conversation", "number"],
                                               name="statement_number_unique")]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """A participant's current vote on a statement: a new vote replaces it, never adds to it."""

    AGREE, PASS, DISAGREE = 1, 0, -1
    CHOICES = [(AGREE, _("Agree")), (DISAGREE, _("Disagree")), (PASS, _("Pass / unsure"))]

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=CHOICES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="one_vote_per_statement"),
            models.CheckConstraint(name="vote_is_agree_disagree_or_pass",
                                   condition=Q(value__in=[-1, 0, 1])),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.value:+d} on {self.statement_id}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    NOT_POSSIBLE = "not_possible", _("Not possible")


class FollowUp(models.Model):
    """'You said, we did': what is being done about a statement, by whom, with public updates."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="follow_ups")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="follow_ups")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, help_text=_("The team or person responsible"))
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    budget_project = models.ForeignKey("budgets.Project", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class FollowUpUpdate(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]

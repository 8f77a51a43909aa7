"""Participatory budget rounds and grant rounds: projects, who may vote, and secret ballots.

Secrecy by design: `Voter` records that a person may vote and whether they have; `Ballot` holds
what was chosen. The two tables share nothing: a ballot has a random id, no timestamp, no
reference to a voter, and is never updated; pages list ballots only in id order (random).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    BUDGET = "budget", _("Participatory budget")
    GRANTS = "grants", _("Community grants")


class Stage(models.TextChoices):
    """The phases every round goes through, in order."""

    PROPOSALS = "proposals", _("Proposals")
    REVIEW = "review", _("Feasibility review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    DELIVERY = "delivery", _("Delivery")


STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("Choose projects within the budget")
    K_APPROVAL = "k_approval", _("Choose up to a number of projects")
    CUMULATIVE = "cumulative", _("Share out points")


class Rule(models.TextChoices):
    MES = "mes", _("Method of Equal Shares")
    GREEDY = "greedy", _("Most votes first (greedy)")


class Round(models.Model):
    kind = models.CharField(max_length=10, choices=RoundKind.choices, default=RoundKind.BUDGET)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="budget_rounds")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    budget = models.PositiveBigIntegerField(help_text=_("In whole currency units, e.g. pounds"))
    currency = models.CharField(max_length=3, default="GBP")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.PROPOSALS)
    ballot_kind = models.CharField(max_length=12, choices=BallotKind.choices,
                                   default=BallotKind.APPROVAL)
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True)  # k-approval
    points = models.PositiveSmallIntegerField(null=True, blank=True)  # cumulative: points to share
    rule = models.CharField(max_length=10, choices=Rule.choices, default=Rule.MES)
    completion = models.BooleanField(default=True, help_text=_(
        "Spend what is left as cities do: raise every voter's share in equal steps, then fill greedily"))
    min_age = models.PositiveSmallIntegerField(default=16)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # The published count, written once when the round moves to results (see actions.publish_results).
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(name="k_approval_has_max_choices", condition=(
                ~Q(ballot_kind=BallotKind.K_APPROVAL) | Q(max_choices__gte=1))),
            models.CheckConstraint(name="cumulative_has_points", condition=(
                ~Q(ballot_kind=BallotKind.CUMULATIVE) | Q(points__gte=1))),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:round", args=[self.slug])

    def reached(self, stage: str) -> bool:
        return STAGE_ORDER.index(self.stage) >= STAGE_ORDER.index(stage)


class Phase(models.Model):
    """A round's timetable, as data: when each stage is planned to start and end."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="phases")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "stage"], name="one_phase_per_stage"),
            models.CheckConstraint(name="phase_ends_after_start",
                                   condition=Q(ends_on__gte=models.F("starts_on"))),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.starts_on} to {self.ends_on}"


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    FEASIBLE = "feasible", _("On the ballot")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeliveryStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    UNDER_WAY = "under_way", _("Under way")
    DELIVERED = "delivered", _("Delivered")
    DELAYED = "delayed", _("Delayed")


class Project(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="projects")
    number = models.PositiveIntegerField()  # stable, public: the id on ballots and in .pb files
    title = models.CharField(max_length=200)
    description = models.TextField()
    category = models.CharField(max_length=60, blank=True)
    # [{"item": "Benches", "amount": 1200}, ...]; the cost is their sum.
    cost_breakdown = models.JSONField(default=list)
    cost = models.PositiveBigIntegerField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="budget_projects")
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="budget_projects")
    status = models.CharField(max_length=14, choices=ProjectStatus.choices,
                              default=ProjectStatus.SUBMITTED)
    feasibility_reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    delivery_status = models.CharField(max_length=12, choices=DeliveryStatus.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="project_number_unique_in_round"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:project", args=[self.round.slug, self.number])


class ProjectUpdate(models.Model):
    """A public note on a funded project's delivery."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.text[:40]}"


class Proof(models.TextChoices):
    LETTER = "letter", _("Code from a letter")
    VENUE = "venue", _("Checked by staff at a venue")
    REGISTER = "register", _("On a register imported by staff")


class Voter(models.Model):
    """A person who may vote in a round, how that was proven, and whether they have voted.

    A row exists per letter code sent, per person checked at a venue, and per register entry.
    `user` is set once someone signs in and claims it. `has_voted` is the only link to voting,
    and it says nothing about the ballot.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="voters")
    proof = models.CharField(max_length=10, choices=Proof.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="budget_voters")
    code_hash = models.CharField(max_length=64, blank=True)  # letter codes: SHA-256, never the code
    register_email = models.EmailField(blank=True)  # register entries: matched at sign-in
    reference = models.CharField(max_length=100, blank=True)  # letter number, register line...
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    has_voted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], condition=Q(user__isnull=False),
                                    name="one_voter_row_per_person_per_round"),
            models.UniqueConstraint(fields=["round", "code_hash"], condition=~Q(code_hash=""),
                                    name="letter_codes_unique_in_round"),
            models.UniqueConstraint(fields=["round", "register_email"],
                                    condition=~Q(register_email=""),
                                    name="register_entries_unique_in_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_proof_display()} {self.reference or self.pk}"


class VoteRecord(models.Model):
    """That a voter voted: the database refuses a second one. Holds no time and no ballot."""

    voter = models.OneToOneField(Voter, on_delete=models.PROTECT, related_name="vote_record")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"voted ({self.voter_id})"


class BallotSource(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper, double-keyed by staff")
    IMPORTED = "imported", _("Imported from a Pabulib file")


class Ballot(models.Model):
    """What one voter chose: {project number: points} (1 for approval). Immutable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    choices = models.JSONField()
    source = models.CharField(max_length=8, choices=BallotSource.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"ballot {self.id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("ballots are immutable")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PaperEntry(models.Model):
    """One staff member's keying of a paper ballot. Two matching keyings by two people make a
    ballot; a mismatch waits for a third keying that settles it."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="paper_entries")
    paper_number = models.CharField(max_length=40)
    choices = models.JSONField()
    keyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    counted = models.BooleanField(default=False)

    class Meta:
        ordering = ["paper_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "paper_number", "keyed_by"],
                                    name="one_keying_per_person_per_paper"),
        ]

    def __str__(self) -> str:
        return f"paper ballot {self.paper_number}"

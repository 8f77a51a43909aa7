"""Measures that matter, stories of what works, and the power-shifting practice of staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


# Measures that matter -------------------------------------------------------------------------

class Method(models.TextChoices):
    SURVEY = "survey", _("A short community survey")
    COUNT = "count", _("A count")
    OBSERVATION = "observation", _("An observation")
    IMPORTED = "imported", _("An imported figure")


class ValueType(models.TextChoices):
    WHOLE = "whole", _("A whole number")
    DECIMAL = "decimal", _("A number with decimals")
    PERCENT = "percent", _("A percentage")


class Better(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed by the community")


class Measure(models.Model):
    """Something a community wants to keep an eye on, in its own words ("don't call these KPIs")."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="measures")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=150)
    description = models.TextField()
    why = models.TextField()
    method = models.CharField(max_length=12, choices=Method.choices)
    value_type = models.CharField(max_length=8, choices=ValueType.choices)
    unit = models.CharField(max_length=60, blank=True)
    min_value = models.DecimalField(max_digits=14, decimal_places=4)
    max_value = models.DecimalField(max_digits=14, decimal_places=4)
    better = models.CharField(max_length=6, choices=Better.choices)
    status = models.CharField(max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED)
    proposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="measures")
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreement_note = models.TextField(blank=True)
    beside = models.ForeignKey("Indicator", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="measures",
                               help_text="the official indicator shown beside this measure")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:measure", args=[self.slug])


class Endorsement(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["measure", "user"], name="endorse_once")]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.user_id}"



class CollectedBy(models.TextChoices):
    PHONE = "phone", _("Entered on the spot")
    PAPER = "paper", _("From a paper form")
    SURVEY = "survey", _("From survey answers")
    IMPORT = "import", _("Imported")


class Observation(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="observations")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    observed_on = models.DateField()
    entered_at = models.DateTimeField(auto_now_add=True)
    entered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    collector = models.CharField(max_length=120, blank=True, help_text="who collected it, as they wish to be named")
    how = models.CharField(max_length=8, choices=CollectedBy.choices, default=CollectedBy.PHONE)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["observed_on", "id"]
        indexes = [models.Index(fields=["measure", "observed_on"], name="observation_measure_day")]

    def __str__(self) -> str:
        return f"{self.value} on {self.observed_on}"



class Annotation(models.Model):
    """Something that happened, shown on the measure's chart ("new youth club opened")."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="annotations")
    on = models.DateField()
    text = models.CharField(max_length=120)
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text}"



class Indicator(models.Model):
    """An official figure (A&E attendances per 1,000...), imported to sit beside measures."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    place = models.ForeignKey("core.Place", on_delete=models.CASCADE, related_name="indicator_values")
    on = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "place", "on"],
                                               name="one_indicator_value_per_day")]

    def __str__(self) -> str:
        return f"{self.value} on {self.on}"


# Stories of what works -------------------------------------------------------------------------

class Consent(models.TextChoices):
    NAMED = "named", _("Publish it with my full name")
    FIRST_NAME = "first_name", _("Publish it with my first name only")
    ANONYMOUS = "anonymous", _("Publish it without my name")


class StoryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a facilitator")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Not published")


class Theme(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A plan that commissioners are writing (a commissioning plan, a strategy) to pin stories to."""

    title = models.CharField(max_length=200)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Story(models.Model):
    title = models.CharField(max_length=150)
    what_happened = models.TextField()
    difference = models.TextField(help_text="what made the difference")
    who_helped = models.TextField(blank=True)
    teller = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories")
    teller_name = models.CharField(max_length=200, blank=True, help_text="the name as published")
    consent = models.CharField(max_length=12, choices=Consent.choices)
    remove_on_erasure = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=StoryStatus.choices, default=StoryStatus.PENDING)
    moderated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_reason = models.TextField(blank=True)
    places = models.ManyToManyField("core.Place", blank=True, related_name="stories")
    themes = models.ManyToManyField(Theme, blank=True, related_name="stories")
    capabilities = models.ManyToManyField("measures.Capability", blank=True, related_name="stories")
    measures = models.ManyToManyField(Measure, blank=True, related_name="stories")
    rounds = models.ManyToManyField("budgets.Round", blank=True, related_name="+")
    recommendations = models.ManyToManyField("panels.Recommendation", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:story", args=[self.pk])

    @property
    def byline(self) -> str:
        return self.teller_name if self.consent != Consent.ANONYMOUS and self.teller_name else str(_("Anonymous"))


class Pin(models.Model):
    """A story pinned by a commissioner to a plan or a budget round, with why it matters there."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="pins")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="pins")
    round = models.ForeignKey("budgets.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    pinned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(
            name="pin_to_plan_or_round",
            condition=models.Q(plan__isnull=False, round__isnull=True) | models.Q(plan__isnull=True, round__isnull=False))]

    def __str__(self) -> str:
        return f"pin of story {self.story_id}"


# Power-shifting practice ----------------------------------------------------------------------

class Framework(models.Model):
    """One version of an organisation's capability framework. Editing makes a new version; old
    versions stay, so a self-assessment keeps the words it was made against."""

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="framework_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Capability(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="capabilities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)  # blank: a slot still to be filled in
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="capability_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title or _('(not yet written)')}"


class Team(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    members: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, through="measures.TeamMember", related_name="practice_teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:team", args=[self.slug])


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id}"



class Deck(models.Model):
    """A card deck: the shipped starter deck (no team) or one a team loads or writes."""

    name = models.CharField(max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="decks")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Card(models.Model):
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="cards")
    number = models.PositiveSmallIntegerField()
    capability = models.PositiveSmallIntegerField()  # the capability's number, in any version
    title = models.CharField(max_length=120)
    task = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["deck", "number"], name="card_number_unique")]

    def __str__(self) -> str:
        return self.title


class Setting(models.TextChoices):
    ALONE = "alone", _("On my own")
    SUPERVISION = "supervision", _("In supervision")
    TEAM = "team", _("In a team meeting")


class Draw(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="draws")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    drawn_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    setting = models.CharField(max_length=12, choices=Setting.choices)
    community = models.CharField(max_length=200, help_text="the community the task is applied to")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"draw of card {self.card_id}"



class LogEntry(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="log")
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on = models.DateField()
    card = models.ForeignKey(Card, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    capability = models.PositiveSmallIntegerField(null=True, blank=True)
    community = models.CharField(max_length=200, blank=True)
    what_we_did = models.TextField()
    what_happened = models.TextField()
    what_we_learned = models.TextField()
    shared = models.BooleanField(default=False)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name_plural = "log entries"

    def __str__(self) -> str:
        return f"log entry {self.on}"



class SelfAssessment(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [models.UniqueConstraint(fields=["team", "year", "quarter"], name="one_assessment_a_quarter")]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"



class Score(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    evidence = models.CharField(max_length=500)

    class Meta:
        ordering = ["capability__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "capability"], name="one_score_per_capability"),
            models.CheckConstraint(name="score_1_to_5", condition=models.Q(score__gte=1, score__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.capability_id}: {self.score}"



class Mark(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet")
    STARTING = "starting", _("Starting")
    PARTLY = "partly", _("Partly")
    YES = "yes", _("Yes, we can show it")


class ChecklistMark(models.Model):
    """A partnership's mark against one item of the destination checklist, with its evidence."""

    place = models.ForeignKey("core.Place", on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=20)
    item = models.PositiveSmallIntegerField()
    mark = models.CharField(max_length=10, choices=Mark.choices)
    evidence = models.TextField(blank=True)
    marked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "group", "item"], name="one_mark_per_item")]

    def __str__(self) -> str:
        return f"{self.group} {self.item}: {self.mark}"

"""The community directory, after HSDS 3.0 and its UK profile (Open Referral UK).

core.Organisation is THE organisation (its leaders and members own its listings); `Profile`
holds what only the directory needs. A `Service` is a group, activity or service; it has
locations, schedules (iCal-style repeat rules), taxonomy terms, and a `capacity` (places
available, HSDS 3.1) so a link worker can see whether it can take a referral.

Staleness: `assured_date` is when the owner last confirmed the listing. After 6 months it shows
as unconfirmed and the owner is nudged; after 12 months it drops out of default search.

Derived tables (`Slot`, `SearchDocument`, `Word`, `Service.places`) are rewritten by
`search_index.reindex` from actions, never by signals.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNCONFIRMED_AFTER = timedelta(days=182)
HIDDEN_AFTER = timedelta(days=365)


class TaxonomyTerm(models.Model):
    code = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    vocabulary = models.CharField(max_length=100, db_index=True)
    # Words people search with that mean this term ("lonely" for company); indexed with it.
    synonyms = models.CharField(max_length=500, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children")

    class Meta:
        ordering = ["vocabulary", "name", "code"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """Directory details of a core.Organisation."""

    organisation = models.OneToOneField("core.Organisation", on_delete=models.CASCADE,
                                        related_name="directory_profile")
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=200, blank=True)  # the feed it came from
    source_id = models.CharField(max_length=200, blank=True, db_index=True)
    last_modified = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.organisation)


class Status(models.TextChoices):
    ACTIVE = "active", _("Running")
    INACTIVE = "inactive", _("Paused")
    DEFUNCT = "defunct", _("Closed")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the ORUK id
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT,
                                     related_name="directory_services")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    is_free = models.BooleanField(null=True, help_text=_("Free to take part; unknown if empty"))
    fees = models.CharField(max_length=300, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # Places available now (HSDS 3.1 capacity); None when the group does not count places.
    capacity = models.PositiveIntegerField(null=True, blank=True)
    capacity_updated_at = models.DateTimeField(null=True, blank=True)
    # ";"-separated lower-case lists, so both databases filter them the same way.
    languages = models.CharField(max_length=300, blank=True)
    accessibility = models.CharField(max_length=500, blank=True)
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    service_areas = models.ManyToManyField("core.Place", blank=True, related_name="+")
    # Every approved place containing one of its locations, plus its service areas (derived).
    places = models.ManyToManyField("core.Place", blank=True, related_name="directory_services")
    latitude = models.FloatField(null=True, blank=True)  # of the first location, for nearness
    longitude = models.FloatField(null=True, blank=True)
    assured_date = models.DateField(default=date.today, db_index=True)
    assured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    nudged_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged_from")
    source = models.CharField(max_length=200, blank=True)
    source_id = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "assured_date"], name="dir_service_live"),
                   # Covers counting and paging listed services without reading their rows.
                   models.Index(fields=["merged_into", "status"], name="dir_service_listed"),
                   # Covers checking that a text search's hits are listed, without reading their rows.
                   models.Index(fields=["id", "status", "assured_date", "merged_into"], name="dir_service_hit")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service", args=[self.pk])

    @property
    def unconfirmed(self) -> bool:
        return self.assured_date < timezone.localdate() - UNCONFIRMED_AFTER

    @property
    def hidden_as_stale(self) -> bool:
        return self.assured_date < timezone.localdate() - HIDDEN_AFTER

    def language_list(self) -> list[str]:
        return [x for x in self.languages.split(";") if x]

    def accessibility_list(self) -> list[str]:
        return [x for x in self.accessibility.split(";") if x]


class Location(models.Model):
    """Where a service happens (a service-at-location: ORUK's id is this row's)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    source_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.address


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", _("Every week")
    MONTHLY = "MONTHLY", _("Every month")
    DAILY = "DAILY", _("Every day")


class Schedule(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField(max_length=40, blank=True)  # "TU,TH" or "1TU"
    bymonthday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}-{self.closes_at}"


class Slot(models.Model):
    """A weekly opening (derived from schedules) for the day-and-time filter."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday
    opens = models.PositiveSmallIntegerField()  # minutes from midnight
    closes = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["weekday", "opens", "closes"], name="dir_slot_when")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class SearchDocument(models.Model):
    """The text a service is found by, and its filter values as tag words ("zfree", "zt12")
    so a text search applies filters inside the full-text index. SQLite mirrors both in the FTS5
    table `directory_fts` (columns text, tags); PostgreSQL keeps generated tsvector columns `tsv`
    and `tagv` with GIN indexes (see migrations)."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, primary_key=True,
                                   related_name="search_document")
    text = models.TextField()
    tags = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return self.text[:60]


class Word(models.Model):
    """Every word in the directory's text, for correcting typos in a search."""

    word = models.CharField(max_length=60, primary_key=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.word


class SuggestionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction reported")
    STAFF = "staff", _("Suggestion from staff")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the group")
    ACCEPTED = "accepted", _("Changed")
    DECLINED = "declined", _("Not changed")


class Suggestion(models.Model):
    """A correction reported by anyone, or a change suggested by staff: the owner decides."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=12, choices=SuggestionKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.OPEN, db_index=True)
    response = models.TextField(blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.service}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("Possible duplicate")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not a duplicate")


class Duplicate(models.Model):
    """Two listings that look like the same group; merging keeps both rows (history)."""

    first = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=DuplicateStatus.choices,
                              default=DuplicateStatus.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="one_duplicate_pair")]

    def __str__(self) -> str:
        return self.reason

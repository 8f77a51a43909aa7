"""The directory's write path: who may change what, validation, audit, staleness nudges,
duplicates and merges, and privacy hooks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from powershift.core import privacy
from powershift.core.models import AuditEvent, Organisation
from powershift.directory import actions, queries
from powershift.directory.demo import KNIT_GROUP
from powershift.directory.models import (
    Duplicate,
    DuplicateStatus,
    Service,
    SuggestionStatus,
)
from tests.directory.conftest import person

pytestmark = pytest.mark.django_db


def knit() -> Service:
    return Service.objects.get(name=KNIT_GROUP)


def listing(**extra: object) -> actions.Listing:
    return actions.Listing(**{"name": "Sewing Bee", "description": "Mend and make", **extra})  # type: ignore[arg-type]


def test_owners_edit_others_cannot(directory):
    s = knit()
    for role in ("resident", "staff", "linkworker", "commissioner", "admin"):
        with pytest.raises(PermissionDenied):
            actions.update_service(person(role), s, listing())
    actions.update_service(person("member"), s, listing(name=KNIT_GROUP))
    s.refresh_from_db()
    assert s.assured_by == person("member") and s.assured_date == timezone.localdate()
    assert AuditEvent.objects.filter(action="directory.update_service", object_id=str(s.pk)).exists()
    other = Organisation.objects.get(slug="millbank-food-bank")
    with pytest.raises(PermissionDenied):
        actions.create_service(person("leader"), other, listing())


def test_validation_names_the_fields(directory):
    org = Organisation.objects.get(slug="riverside-knit-and-natter")
    with pytest.raises(ValidationError) as e:
        actions.create_service(person("leader"), org, listing(
            name="<b></b>", minimum_age=30, maximum_age=10, capacity=-1, latitude=40.7, longitude=-74.0,
            terms=["zumba"]))
    assert set(e.value.message_dict) == {"name", "maximum_age", "capacity", "latitude", "terms"}
    assert not Service.objects.filter(name="Sewing Bee").exists()


def test_html_is_stored_as_plain_text(directory):
    org = Organisation.objects.get(slug="riverside-knit-and-natter")
    s = actions.create_service(person("leader"), org, listing(description="<p>Hi</p><script>x()</script>"))
    assert s.description == "Hi"


def test_staff_suggest_owners_answer_anyone_reports(directory):
    s = knit()
    with pytest.raises(PermissionDenied):
        actions.suggest_change(person("resident"), s, "x")
    suggestion = actions.suggest_change(person("staff"), s, "New room number")
    report = actions.report_correction(None, s, "Wrong phone")
    with pytest.raises(PermissionDenied):
        actions.answer_suggestion(person("staff"), suggestion, accepted=True)
    actions.answer_suggestion(person("leader"), suggestion, accepted=False, response="It is right")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DECLINED and suggestion.closed_at is not None
    with pytest.raises(ValidationError, match="already been answered"):
        actions.answer_suggestion(person("leader"), suggestion, accepted=True)
    assert list(queries.open_suggestions(s)) == [report]
    with pytest.raises(ValidationError):
        actions.report_correction(None, s, "   ")


def test_unconfirmed_listings_are_nudged_once_a_month(directory):
    s = knit()
    Service.objects.filter(pk=s.pk).update(assured_date=timezone.localdate() - dt.timedelta(days=200))
    s.refresh_from_db()
    assert s.unconfirmed and not s.hidden_as_stale
    nudged = actions.nudge_stale()
    assert s.pk in {x.pk for x in nudged}
    assert s.pk not in {x.pk for x in actions.nudge_stale()}  # not again within 30 days
    actions.confirm_service(person("leader"), s)
    s.refresh_from_db()
    assert not s.unconfirmed and s.nudged_at is None


def test_the_demo_has_two_duplicates_and_merging_keeps_history(directory):
    dups = list(Duplicate.objects.filter(status=DuplicateStatus.OPEN))
    assert len(dups) == 2
    assert actions.detect_duplicates() == []  # already recorded
    with pytest.raises(PermissionDenied):
        actions.merge(person("leader"), dups[0], dups[0].first)
    kept = actions.merge(person("admin"), dups[0], dups[0].first)
    other = Service.objects.get(pk=dups[0].second_id)
    assert other.merged_into == kept
    assert other.pk not in {x.pk for x in queries.search(queries.Filters(text=other.name), limit=100).services}
    actions.dismiss_duplicate(person("admin"), dups[1])
    assert Duplicate.objects.get(pk=dups[1].pk).status == DuplicateStatus.DISMISSED


def test_the_demo_listings(directory):
    assert Service.objects.count() == 200
    assert Organisation.objects.filter(directory_services__isnull=False).distinct().count() == 100
    today = timezone.localdate()
    stale = Service.objects.filter(assured_date__lt=today - dt.timedelta(days=365)).count()
    unconfirmed = Service.objects.filter(assured_date__lt=today - dt.timedelta(days=182)).count()
    assert 5 <= stale < unconfirmed < 60
    assert queries.search(queries.Filters()).total == 200 - stale


def test_privacy_export_and_erase(directory):
    s = knit()
    actions.report_correction(person("resident"), s, "The door code changed")
    actions.confirm_service(person("leader"), s)
    exported = privacy.export_person(person("resident"))["directory"]
    assert exported["corrections_and_suggestions"][0]["text"] == "The door code changed"
    assert privacy.export_person(person("leader"))["directory"]["listings_confirmed"][0]["service"] == KNIT_GROUP
    leader = person("leader")
    privacy.erase_person(person("resident"))
    privacy.erase_person(leader)
    s.refresh_from_db()
    assert s.assured_by is None and s.suggestions.get().author is None
    assert s.suggestions.get().text == "The door code changed"  # what others rely on stays

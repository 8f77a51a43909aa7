"""Subject access (JSON and HTML), erasure that leaves nothing, retention, and audit completeness:
every read path leaves a record the person can see."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from powershift.core import actions as core_actions
from powershift.core.models import AuditEvent, Organisation, Place, User
from powershift.directory.models import Service
from powershift.support import actions
from powershift.support.demo import SOCIAL_PRESCRIBING
from powershift.support.models import Instrument, Person, Purpose
from tests.support.conftest import demo_person, person

pytestmark = pytest.mark.usefixtures("support")
TOKENS = ["Zebedee", "Quartermaine", "zebq@example.org", "Xylophone-restoring", "Marmalade-tasting",
          "Thundersnow", "Quokka-sanctuary", "Periwinkle-outing"]


def _zeb() -> Person:
    """A record full of unmistakable words, linked to an account, through every action."""
    today = timezone.localdate()
    zeb = User.objects.create_user("zebq@example.org", "a long enough passphrase", full_name="Zebedee Quartermaine",
                                   preferred_name="Zeb")
    sp = Organisation.objects.get(slug=SOCIAL_PRESCRIBING)
    lw, kw = person("linkworker"), person("keyworker")
    p = actions.create_person(lw, about={
        "full_name": "Zebedee Quartermaine", "preferred_name": "Zebedee", "strengths": "Xylophone-restoring",
        "what_matters": "Marmalade-tasting", "good_day": "Thundersnow", "aspirations": "Quokka-sanctuary"},
        place=Place.objects.get(code="RV-LOC"), agency=sp, keyworker=kw,
        consent_expires_on=today + dt.timedelta(days=30), user=zeb)
    actions.add_contact(kw, p, organisation=sp, kind="conversation", happened_on=today,
                        note="Zebedee talked about the Periwinkle-outing")
    plan = actions.save_plan(kw, p, today + dt.timedelta(days=9), [
        actions.GoalIn("Quokka-sanctuary visit", "Book it", "Zebedee", today + dt.timedelta(days=5))])
    actions.rate_goal(zeb, plan.goals.get(), 4)
    actions.record_ons4(zeb, p, today, {"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": 3})
    actions.record_consent(kw, p, sp, Purpose.GP, today + dt.timedelta(days=60))
    knit = Service.objects.get(name="Knit and Natter at the Old Mills")
    knit.capacity = None
    knit.save()
    r = actions.refer(lw, p, knit, agency=sp, note="Zebedee likes Thundersnow",
                      consent_expires_on=today + dt.timedelta(days=30))
    actions.answer_referral(person("leader"), r, accept=True)
    actions.send_note_back(person("leader"), r, "Zebedee came")
    actions.break_glass(person("commissioner"), "Zebedee Quartermaine", "Safeguarding question from a GP")
    return p


def _find(tokens: list[str]) -> set[str]:
    """Every table and column (through the ORM, so encrypted text is read decrypted, and as raw
    SQL, so nothing is hidden by a model) holding any of the tokens."""
    hits = set()
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        for f in fields:
            for value in model._default_manager.values_list(f.name, flat=True).iterator():
                text = json.dumps(value) if not isinstance(value, str) else value
                if any(t.casefold() in (text or "").casefold() for t in tokens):
                    hits.add(f"{model._meta.db_table}.{f.column}")
        with connection.cursor() as cursor:
            for f in fields:
                cursor.execute(f'SELECT "{f.column}" FROM "{model._meta.db_table}"')  # noqa: S608
                for (value,) in cursor.fetchall():
                    if isinstance(value, str) and any(t.casefold() in value.casefold() for t in tokens):
                        hits.add(f"raw {model._meta.db_table}.{f.column}")
    return hits


def test_erasure_leaves_nothing_in_any_table() -> None:
    p = _zeb()
    assert _find(TOKENS)  # the search can find them before
    core_actions.erase_account(p.user, p.user)
    assert _find(TOKENS) == set()
    assert not Person.objects.filter(pk=p.pk).exists()


def test_a_keyworker_erases_a_record_on_request_and_retention_erases_old_ones(client: Client) -> None:
    p = _zeb()
    client.force_login(person("linkworker"))
    assert client.post(f"/support/people/{p.pk}/erase/", {"confirm": "on"}).status_code == 404
    client.force_login(person("keyworker"))
    assert client.post(f"/support/people/{p.pk}/erase/", {}).status_code == 200  # needs the tick
    assert client.post(f"/support/people/{p.pk}/erase/", {"confirm": "on"}).status_code == 302
    assert _find(TOKENS) == {"core_user.email", "raw core_user.email", "core_user.full_name",
                             "raw core_user.full_name"}  # the account is theirs to delete, not ours
    old = demo_person(39)  # the demo's discharged record
    Person.objects.filter(pk=old.pk).update(discharged_on=timezone.localdate() - dt.timedelta(days=7 * 365))
    assert actions.apply_retention() == 1
    assert not Person.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(action="support.retention").exists()


def test_subject_access_export_holds_the_whole_record(client: Client) -> None:
    p = _zeb()
    client.force_login(p.user)
    data = client.get(f"/support/people/{p.pk}/export.json").json()
    assert data["about"]["strengths"] == "Xylophone-restoring"
    assert data["contacts"][0]["note"] == "Zebedee talked about the Periwinkle-outing"
    assert data["plan"]["goals"][0]["ratings"][0]["rating"] == 4
    assert data["wellbeing_ons4"][0]["bands"] == {"life_satisfaction": "medium", "worthwhile": "high",
                                                  "happiness": "medium", "anxiety": "low"}
    assert [e["snomed_ct"] for e in data["referrals"][0]["events"]][0] == "871731000000106"
    assert any(w["who"] == "Priya Shah" for w in data["who_looked"])
    html = client.get(f"/support/people/{p.pk}/export.html").content.decode()
    assert "Xylophone-restoring" in html and "<h1>" in html
    # The account's "download my data" includes the record too.
    mine = json.loads(client.post(reverse("core:download-data")).content)
    assert mine["support"]["your_support_record"]["about"]["good_day"] == "Thundersnow"


def test_break_glass_shows_existence_only_and_is_flagged_for_review(client: Client) -> None:
    p = _zeb()
    client.force_login(person("facilitator"))
    assert client.get(f"/support/people/{p.pk}/").status_code == 404
    response = client.post("/support/check/", {"full_name": "zebedee  QUARTERMAINE", "reason": "short"})
    assert "at least 20 characters" in response.content.decode()
    response = client.post("/support/check/", {"full_name": "zebedee  QUARTERMAINE",
                                                "reason": "The family asked us to check; safeguarding"})
    body = response.content.decode()
    assert "A record exists" in body and "Priya Shah" in body and "Xylophone" not in body
    client.force_login(person("keyworker"))
    assert client.get("/support/checks/").status_code == 403
    client.force_login(person("admin"))
    page = client.get("/support/checks/").content.decode()
    assert "safeguarding" in page and "Mark reviewed" in page
    from powershift.support.models import BreakGlass

    flag = BreakGlass.objects.filter(reviewed_at__isnull=True).first()
    assert flag is not None
    client.post("/support/checks/", {"flag": flag.pk})
    flag.refresh_from_db()
    assert flag.reviewed_by == person("admin")


def test_every_read_path_leaves_an_audit_record_the_person_sees(client: Client) -> None:
    p = _zeb()
    goal = p.plan.goals.get()
    referral = p.referrals.get()
    instrument = Instrument.objects.first()
    assert instrument is not None
    kw = person("keyworker")
    paths = [f"/support/people/{p.pk}/", f"/support/people/{p.pk}/journey/", f"/support/people/{p.pk}/plan/",
             f"/support/people/{p.pk}/refer/", f"/support/people/{p.pk}/wellbeing/",
             f"/support/people/{p.pk}/outcomes/{instrument.pk}/", f"/support/people/{p.pk}/notes/new/",
             f"/support/people/{p.pk}/about/", f"/support/people/{p.pk}/team/",
             f"/support/people/{p.pk}/consent/", f"/support/people/{p.pk}/who-looked/",
             f"/support/people/{p.pk}/export.json", f"/support/people/{p.pk}/export.html",
             f"/support/people/{p.pk}/erase/", f"/support/goals/{goal.pk}/rate/",
             f"/support/referrals/{referral.pk}/", "/support/?q=Quartermaine",
             f"/api/support/people/{p.pk}", "/api/support/people?q=Quartermaine"]
    client.force_login(kw)
    for path in paths:
        before = AuditEvent.objects.filter(action="support.read", actor=kw, object_id=str(p.pk)).count()
        assert client.get(path).status_code == 200, path
        after = AuditEvent.objects.filter(action="support.read", actor=kw, object_id=str(p.pk)).count()
        assert after > before, path
    client.force_login(person("leader"))
    assert client.get("/support/").status_code == 200
    assert client.get(f"/support/referrals/{referral.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="support.read", actor=person("leader"), object_id=str(p.pk)).count() >= 2
    # The person sees who looked.
    client.force_login(p.user)
    page = client.get(f"/support/people/{p.pk}/who-looked/").content.decode()
    assert "Priya Shah" in page and "Grace Okafor" in page


def test_discharge_then_retention_from_the_command_line(client: Client) -> None:
    from io import StringIO

    from django.core.management import call_command

    p = _zeb()
    client.force_login(person("leader"))
    assert client.post(f"/support/people/{p.pk}/discharge/").status_code == 404
    client.force_login(person("keyworker"))
    assert client.post(f"/support/people/{p.pk}/discharge/").status_code == 302
    p.refresh_from_db()
    assert p.discharged_on == timezone.localdate()
    out = StringIO()
    call_command("support_retention", stdout=out)
    assert Person.objects.filter(pk=p.pk).exists()  # within the retention period
    Person.objects.filter(pk=p.pk).update(discharged_on=timezone.localdate() - dt.timedelta(days=6 * 365 + 1))
    call_command("support_retention", stdout=out)
    assert not Person.objects.filter(pk=p.pk).exists()
    assert "1 support records erased" in out.getvalue()

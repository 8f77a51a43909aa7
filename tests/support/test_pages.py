"""Support forms through the pages: errors shown per field, nothing saved until all is right."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from powershift.core.models import Organisation
from powershift.support.demo import SOCIAL_PRESCRIBING
from powershift.support.models import Person
from tests.support.conftest import demo_person, person

pytestmark = pytest.mark.usefixtures("support")


def test_adding_a_person_through_the_page(client: Client) -> None:
    client.force_login(person("linkworker"))
    before = Person.objects.count()
    response = client.post("/support/people/new/", {"full_name": "Beatrice Moss"})
    body = response.content.decode()
    assert "There is a problem" in body and 'id="id_preferred_name-error"' in body
    assert Person.objects.count() == before
    response = client.post("/support/people/new/", {
        "full_name": "Beatrice Moss", "preferred_name": "Bea", "keyworker": person("keyworker").pk,
        "agency": Organisation.objects.get(slug=SOCIAL_PRESCRIBING).pk,
        "consent_expires_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert "is in the past" in response.content.decode(), re.findall(r"govuk-error-message.*?</p>", response.content.decode(), re.S)
    assert Person.objects.count() == before
    response = client.post("/support/people/new/", {
        "full_name": "Beatrice Moss", "preferred_name": "Bea", "keyworker": person("keyworker").pk,
        "agency": Organisation.objects.get(slug=SOCIAL_PRESCRIBING).pk,
        "consent_expires_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat()})
    assert response.status_code == 302, response.content.decode()[-3000:]
    bea = Person.objects.latest("pk")
    assert (bea.preferred_name, bea.keyworker) == ("Bea", person("keyworker"))
    client.force_login(person("member"))
    assert client.get("/support/people/new/").status_code == 403


def test_the_keyworker_adds_a_note_and_wellbeing_answers(client: Client) -> None:
    from powershift.support.models import Contact, Outcome

    client.force_login(person("keyworker"))
    dawn = demo_person(1)
    page = client.get(f"/support/people/{dawn.pk}/notes/new/").content.decode()
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in page
    response = client.post(f"/support/people/{dawn.pk}/notes/new/", {
        "organisation": Organisation.objects.get(slug=SOCIAL_PRESCRIBING).pk, "kind": "conversation",
        "happened_on": today, "note": "What are you good at? Bringing people together."})
    assert response.status_code == 302, re.findall(r"govuk-error-message.*?</p>", response.content.decode(), re.S)
    assert Contact.objects.filter(person=dawn, note__isnull=False).count() >= 2
    answers = {"taken_on": today, "life_satisfaction": "11", "worthwhile": "6", "happiness": "5", "anxiety": "4"}
    before = Outcome.objects.count()
    response = client.post(f"/support/people/{dawn.pk}/wellbeing/", answers)
    assert "outside 0 to 10" in response.content.decode()
    assert Outcome.objects.count() == before
    response = client.post(f"/support/people/{dawn.pk}/wellbeing/", answers | {"life_satisfaction": "5"})
    assert response.status_code == 302

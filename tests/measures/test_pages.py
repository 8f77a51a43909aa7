"""Measures pages for every demo role (permissions, one h1, labelled fields), the forms' bad-input
messages, the CSV export, and no league tables: places are never ordered by a measure."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from powershift.core.models import Place, User
from powershift.measures import actions
from powershift.measures.models import (
    Deck,
    IndicatorValue,
    Measure,
    Observation,
    Plan,
    Story,
    StoryStatus,
    Team,
)
from tests.core.test_pages import ROLES, _check
from tests.measures.conftest import person

pytestmark = pytest.mark.django_db

TEAM = {"staff", "linkworker", "keyworker"}
FACILITATORS = {"facilitator", "admin"}
PINNERS = {"commissioner", "facilitator", "admin"}


def _pages() -> tuple[list[str], list[str], dict[str, set[str]]]:
    m = Measure.objects.order_by("id").first()
    story = Story.objects.filter(status=StoryStatus.PUBLISHED).order_by("id").first()
    pending = Story.objects.filter(status=StoryStatus.PENDING).order_by("id").first()
    team = Team.objects.get()
    deck = Deck.objects.get(team=None)
    public = ["/measures/", f"/measures/m/{m.slug}/", "/measures/places/", "/measures/places/RV-W-MILL/",
              "/measures/places/RV-N-HOLLOW/", "/measures/stories/", "/measures/stories/?q=youth&theme=young-people",
              f"/measures/stories/{story.pk}/", f"/measures/stories/{story.pk}/card/",
              f"/measures/plans/{Plan.objects.get().pk}/", "/measures/practice/", "/measures/practice/framework/",
              f"/measures/practice/decks/{deck.pk}/", "/measures/practice/checklist/RV-LOC/"]
    signed_in = ["/measures/propose/", f"/measures/m/{m.slug}/record/", "/measures/stories/tell/"]
    t = f"/measures/practice/teams/{team.slug}"
    staff = {f"/measures/m/{m.slug}/annotate/": FACILITATORS, "/measures/indicators/import/": PINNERS,
             "/measures/stories/moderate/": FACILITATORS, f"/measures/stories/{pending.pk}/moderate/": FACILITATORS,
             f"/measures/stories/{pending.pk}/": FACILITATORS | {pending.teller.email.split("@")[0]},
             f"/measures/stories/{story.pk}/pin/": PINNERS, "/measures/practice/framework/edit/": {"admin"},
             "/measures/practice/teams/new/": {"linkworker", "keyworker", "staff", "commissioner", "facilitator",
                                               "admin"},
             f"{t}/": TEAM, f"{t}/draw/": TEAM, f"{t}/log/": TEAM, f"{t}/assess/": TEAM, f"{t}/decks/load/": TEAM,
             f"{t}/members/": {"staff"},
             "/measures/practice/checklist/RV-LOC/people/1/": {"linkworker", "keyworker", "commissioner",
                                                              "facilitator", "admin"}}
    return public, signed_in, staff


def test_every_measures_page_for_every_role(client, measures_demo):
    """One demo for all roles (building it is the slow part)."""
    public, signed_in, staff = _pages()
    for role in ROLES:
        client.logout()
        if role:
            client.force_login(person(role))
        for url in public + signed_in + list(staff):
            response = client.get(url)
            if (url in signed_in and role is None) or (url in staff and role not in staff[url]):
                assert response.status_code in (302, 403, 404), (url, role, response.status_code)
                continue
            assert response.status_code == 200, (url, role)
            _check(response.content.decode(), url)


def test_a_pending_story_is_seen_only_by_its_teller_and_facilitators(client, measures_demo):
    pending = Story.objects.filter(status=StoryStatus.PENDING).order_by("id").first()
    assert client.get(f"/measures/stories/{pending.pk}/").status_code == 404
    client.force_login(pending.teller)
    assert client.get(f"/measures/stories/{pending.pk}/").status_code == 200


def test_the_observation_form_names_the_bad_field(client, measures_demo):
    m = Measure.objects.get(title__startswith="Streets with fly-tipping")
    client.force_login(person("member"))
    url = f"/measures/m/{m.slug}/record/"
    before = Observation.objects.count()
    for value, words in [("2.5", "not a whole number"), ("41", "out of range"), ("lots", "not a number")]:
        page = client.post(url, {"value": value, "observed_on": timezone.localdate().isoformat(),
                                 "how": "phone"}).content.decode()
        assert "govuk-error-summary" in page and words in page, value
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert "cannot be in the future" in client.post(url, {"value": "3", "observed_on": future,
                                                           "how": "phone"}).content.decode()
    assert Observation.objects.count() == before
    paper_day = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    response = client.post(url, {"value": "3", "observed_on": paper_day, "how": "paper", "collector": "Jo"})
    assert response.status_code == 302
    assert Observation.objects.filter(measure=m, how="paper", observed_on=paper_day, collector="Jo").exists()


def test_a_story_without_consent_gets_a_clear_message(client, measures_demo):
    client.force_login(person("resident"))
    page = client.post("/measures/stories/tell/", {"title": "The bench", "what_happened": "We fitted one",
                                                   "difference": "Doing it"}).content.decode()
    assert "govuk-error-summary" in page and "Without that consent the story is not saved" in page
    assert not Story.objects.filter(title="The bench").exists()


def test_the_import_page_lists_every_problem_and_imports_nothing(client, measures_demo):
    client.force_login(person("commissioner"))
    before = IndicatorValue.objects.count()
    bad = ("indicator,name,unit,place,date,value\nae-per-1000,A&E,,RV-NOWHERE,2026-01,3\n"
           "ae-per-1000,A&E,,RV-W-MILL,last year,3\n")
    page = client.post("/measures/indicators/import/", {"upload": SimpleUploadedFile("figures.csv", bad.encode())})
    text = page.content.decode()
    assert "figures.csv:2: place: no place has the code &#x27;RV-NOWHERE&#x27;" in text
    assert "figures.csv:3: date: &#x27;last year&#x27; is not a date" in text
    assert IndicatorValue.objects.count() == before
    good = "indicator,name,unit,place,date,value\nwalk-in,Walk-in centre visits,,RV-W-MILL,2026-01,3\n"
    response = client.post("/measures/indicators/import/", {"upload": SimpleUploadedFile("f.csv", good.encode())})
    assert response.status_code == 302 and IndicatorValue.objects.count() == before + 1


def test_export_and_the_measure_page_show_the_official_figure_beside(client, measures_demo):
    m = Measure.objects.get(title__startswith="Neighbours who know")
    rows = client.get(f"/measures/m/{m.slug}/export.csv").content.decode().splitlines()
    assert rows[0] == "measure,place,observed_on,value,unit,how,entered_on" and len(rows) == 13
    page = client.get(f"/measures/m/{m.slug}/").content.decode()
    assert "Beside the official figure" in page and "A&amp;E attendances per 1000 people" in page
    assert page.count("<svg") == 2 and "Every value recorded" in page and "Street parties on three roads" in page


def _heading_order(html: str, names: list[str]) -> list[str]:
    found = [(html.find(f">{n}<"), n) for n in names]
    return [n for at, n in sorted(found) if at >= 0]


def test_no_page_orders_places_by_a_measure(client, measures_demo):
    """Give every place the same measure with values in reverse alphabetical order: every page
    still lists places by name (a league table would follow the values)."""
    places = list(Place.objects.filter(code__startswith="RV-W-").order_by("name"))
    for rank, place in enumerate(places):
        m = actions.propose_measure(None, place=place, title="Same measure", description="d", why="w",
                                    method="count", value_type="whole", min_value=Decimal(0),
                                    max_value=Decimal(100), better="higher")
        actions.agree(None, m)
        actions.record_observation(None, m, value=str(90 - 10 * rank), observed_on=timezone.localdate())
    names = [p.name for p in places]
    for url in ["/measures/", "/measures/places/"]:
        html = client.get(url).content.decode()
        assert _heading_order(html, names) == sorted(names), url
    # No query in the app sorts by a value either.
    source = "\n".join(p.read_text() for p in Path("src/powershift/measures").glob("*.py"))
    assert not re.search(r"order_by\([^)]*value", source)


def test_a_team_page_is_private_to_the_team(client, measures_demo):
    team = Team.objects.get()
    client.force_login(person("admin"))
    assert client.get(f"/measures/practice/teams/{team.slug}/").status_code == 403
    client.force_login(person("keyworker"))
    page = client.get(f"/measures/practice/teams/{team.slug}/").content.decode()
    assert "Self-assessment over time" in page and "<svg" in page and "Scores by quarter" in page


def test_erased_tellers_stories_show_no_name(client, measures_demo):
    from powershift.core import privacy

    named = Story.objects.filter(status=StoryStatus.PUBLISHED, consent="named").first()
    name = named.teller_name
    privacy.erase_person(User.objects.get(pk=named.teller_id))
    page = client.get(f"/measures/stories/{named.pk}/").content.decode()
    assert name not in page and "Anonymous" in page


def test_the_export_never_starts_a_cell_with_a_formula(client, riverside):
    m = actions.propose_measure(None, place=Place.objects.get(code="RV-W-MILL"), title="=HYPERLINK(\"x\")",
                                description="d", why="w", method="count", value_type="whole",
                                min_value=Decimal(0), max_value=Decimal(10), better="higher", unit="+1 cups")
    actions.agree(None, m)
    actions.record_observation(None, m, value="4", observed_on=timezone.localdate())
    lines = client.get(f"/measures/m/{m.slug}/export.csv").content.decode().splitlines()
    row = next(csv.reader(lines[1:]))
    assert row[0] == "'=HYPERLINK(\"x\")" and row[4] == "'+1 cups" and row[3] == "4"

"""Measures, stories and practice actions: the journeys, every bad-input case the issue lists,
permissions, versioning and privacy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from powershift.core import privacy
from powershift.core.models import AuditEvent, Place
from powershift.measures import actions, queries
from powershift.measures.models import (
    ChecklistMark,
    Consent,
    Deck,
    Indicator,
    IndicatorValue,
    LogEntry,
    Measure,
    MeasureStatus,
    Observation,
    Story,
    StoryStatus,
    Team,
)
from tests.measures.conftest import person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _measure(place_code: str = "RV-W-MILL", **extra) -> Measure:  # type: ignore[no-untyped-def]
    fields = dict(place=Place.objects.get(code=place_code), title="Benches people can rest on",
                  description="Count of usable benches on the high street", why="Older people need to rest",
                  method="count", value_type="whole", min_value=Decimal(0), max_value=Decimal(40),
                  better="higher")
    fields.update(extra)
    return actions.propose_measure(person("resident"), **fields)


def test_propose_endorse_agree_record(riverside):
    m = _measure()
    assert m.status == MeasureStatus.PROPOSED and m.proposed_by == person("resident")
    actions.endorse(person("member"), m, connected=True)
    with pytest.raises(ValidationError, match="already endorsed"):
        actions.endorse(person("member"), m, connected=True)
    with pytest.raises(ValidationError, match="You proposed this measure"):
        actions.endorse(person("resident"), m, connected=True)
    with pytest.raises(ValidationError):
        actions.endorse(person("leader"), m, connected=False)
    assert m.endorsements.count() == 1
    with pytest.raises(ValidationError, match="not agreed this measure yet"):
        actions.record_observation(person("member"), m, value="3", observed_on=TODAY)
    with pytest.raises(PermissionDenied):
        actions.agree(person("resident"), m, note="we all agreed")
    actions.agree(person("facilitator"), m, note="Agreed at the residents' meeting")
    paper_day = TODAY - dt.timedelta(days=10)
    obs = actions.record_observation(person("member"), m, value="12", observed_on=paper_day, how="paper",
                                     collector="Millbank walkers")
    assert obs.observed_on == paper_day and obs.entered_at.date() == TODAY and obs.collector == "Millbank walkers"
    assert AuditEvent.objects.filter(action="measures.observation.record").count() == 1


@pytest.mark.parametrize(("value", "words"), [("12.5", "not a whole number"), ("twelve", "not a number"),
                                              ("41", "out of range"), ("-1", "out of range")])
def test_observations_of_the_wrong_type_or_out_of_range(riverside, value, words):
    m = _measure()
    actions.agree(None, m)
    with pytest.raises(ValidationError) as e:
        actions.record_observation(person("member"), m, value=value, observed_on=TODAY)
    assert words in " ".join(e.value.message_dict["value"])
    assert not Observation.objects.exists()


def test_observations_cannot_be_dated_in_the_future(riverside):
    m = _measure()
    actions.agree(None, m)
    with pytest.raises(ValidationError) as e:
        actions.record_observation(person("member"), m, value="3", observed_on=TODAY + dt.timedelta(days=1))
    assert "future" in " ".join(e.value.message_dict["observed_on"])


def test_a_measure_range_must_make_sense(riverside):
    with pytest.raises(ValidationError, match="more than the lowest"):
        _measure(min_value=Decimal(10), max_value=Decimal(5))
    with pytest.raises(ValidationError, match="percentage runs from 0 to 100"):
        _measure(value_type="percent", max_value=Decimal(120))


CSV = "indicator,name,unit,place,date,value\n"


def test_indicators_import_in_one_go(riverside):
    text = CSV + "".join(f"ae-per-1000,A&E per 1000,per 1000,{code},2026-0{m},{30 + m}\n"
                         for code in ("RV-W-MILL", "RV-LOC") for m in range(1, 4))
    summary = actions.import_indicators(person("commissioner"), text, today=dt.date(2026, 6, 1))
    assert (summary.rows, summary.created, summary.updated) == (6, 6, 0)
    again = actions.import_indicators(None, text, today=dt.date(2026, 6, 1))
    assert (again.created, again.updated) == (0, 6)
    with pytest.raises(PermissionDenied):
        actions.import_indicators(person("resident"), text)


@pytest.mark.parametrize(("row", "where"), [
    ("ae-per-1000,A&E,,RV-NOWHERE,2026-02,3", "indicators.csv:3: place: no place has the code 'RV-NOWHERE'"),
    ("ae-per-1000,A&E,,RV-W-MILL,2026-02-30,3", "indicators.csv:3: date: '2026-02-30' is not a date"),
    ("ae-per-1000,A&E,,RV-W-MILL,2030-01,3", "indicators.csv:3: date: 2030-01-01 is in the future"),
    ("ae-per-1000,A&E,,RV-W-MILL,2026-02,three", "indicators.csv:3: value: 'three' is not a number"),
    ("ae-per-1000,A&E,,RV-W-MILL,2026-02,-3", "indicators.csv:3: value: -3 is out of range"),
])
def test_a_csv_with_unknown_places_or_bad_dates_imports_nothing(riverside, row, where):
    text = CSV + "ae-per-1000,A&E,,RV-W-MILL,2026-01,3\n" + row + "\n"
    with pytest.raises(actions.IndicatorImportError) as e:
        actions.import_indicators(None, text, today=dt.date(2026, 6, 1))
    assert str(e.value).startswith(where) and "nothing was imported" in str(e.value)
    assert not Indicator.objects.exists() and not IndicatorValue.objects.exists()


def test_a_story_without_consent_is_refused(riverside):
    with pytest.raises(ValidationError) as e:
        actions.tell_story(person("resident"), title="The bench", what_happened="x", difference="y", consent="")
    assert "consent" in e.value.message_dict and "not saved" in e.value.message_dict["consent"][0]
    assert not Story.objects.exists()


def test_story_told_moderated_pinned_and_published_by_consent(riverside):
    s = actions.tell_story(person("resident"), title="The bench", what_happened="We fitted a bench",
                           difference="Doing it ourselves", consent=Consent.FIRST_NAME)
    assert s.byline == "Amira" and s.status == StoryStatus.PENDING
    assert not queries.published_stories().exists()
    with pytest.raises(PermissionDenied):
        actions.moderate_story(person("resident"), s, publish=True)
    with pytest.raises(ValidationError, match="Only a published story"):
        actions.pin_story(person("commissioner"), s, new_plan="Plan", place=Place.objects.get(code="RV-LOC"))
    with pytest.raises(ValidationError):
        actions.moderate_story(person("facilitator"), s, publish=False)  # a reason is needed
    actions.moderate_story(person("facilitator"), s, publish=True)
    assert list(queries.published_stories(q="bench ourselves")) == [s]
    assert not queries.published_stories(q="swimming").exists()
    with pytest.raises(PermissionDenied):
        actions.pin_story(person("resident"), s, new_plan="Plan", place=Place.objects.get(code="RV-LOC"))
    with pytest.raises(ValidationError, match="Choose one budget round or one plan"):
        actions.pin_story(person("commissioner"), s)
    pin = actions.pin_story(person("commissioner"), s, new_plan="Health plan", place=Place.objects.get(code="RV-LOC"))
    assert pin.plan.title == "Health plan" and list(queries.published_stories(plan=pin.plan.pk)) == [s]
    named = actions.tell_story(person("leader"), title="t", what_happened="w", difference="d", consent=Consent.NAMED)
    anonymous = actions.tell_story(person("leader"), title="t", what_happened="w", difference="d",
                                   consent=Consent.ANONYMOUS)
    assert named.byline == "Grace Okafor" and anonymous.byline == "Anonymous" and anonymous.teller_name == ""


def test_erasure_anonymises_the_teller_and_keeps_published_text_unless_asked(riverside):
    resident = person("resident")
    kept = actions.tell_story(resident, title="Kept", what_happened="w", difference="d", consent=Consent.NAMED)
    gone = actions.tell_story(resident, title="Gone", what_happened="w", difference="d", consent=Consent.NAMED,
                              remove_on_erasure=True)
    actions.moderate_story(None, kept, publish=True)
    exported = privacy.export_person(resident)["measures"]
    assert {s["title"] for s in exported["stories"]} == {"Kept", "Gone"}
    privacy.erase_person(resident)
    kept.refresh_from_db()
    assert kept.teller is None and kept.teller_name == "" and kept.byline == "Anonymous"
    assert kept.what_happened == "w" and kept.status == StoryStatus.PUBLISHED
    assert not Story.objects.filter(pk=gone.pk).exists()


def test_framework_versions_are_kept_and_assessments_keep_theirs(measures_demo):
    fw = queries.current_framework()
    assert fw.version == 1 and [c.title for c in fw.capabilities.all()[:5]] == [""] * 5
    with pytest.raises(PermissionDenied):
        actions.edit_framework(person("staff"), fw, {1: ("Listen", "")})
    with pytest.raises(ValidationError):
        actions.edit_framework(person("admin"), fw, {1: ("", "a description with no title")})
    new = actions.edit_framework(person("admin"), fw, {1: ("We listen first", "Our own words")})
    assert new.version == 2 and queries.current_framework() == new
    assert new.capabilities.get(number=1).title == "We listen first"
    assert fw.capabilities.get(number=1).title == ""  # the old version is untouched
    team = Team.objects.get()
    assert {a.framework.version for a in team.assessments.all()} == {1}
    with pytest.raises(ValidationError, match="since"):
        actions.edit_framework(person("admin"), fw, {1: ("Again", "")})


def test_team_draws_a_card_and_logs_privately(measures_demo):
    team = Team.objects.get()
    staff, outsider = person("staff"), person("commissioner")
    deck = Deck.objects.get(team=None)
    draw = actions.draw_card(staff, team, deck, setting="team", community="Young carers in Southgate")
    assert draw.card.deck == deck
    with pytest.raises(PermissionDenied):
        actions.draw_card(outsider, team, deck, setting="team", community="x")
    with pytest.raises(ValidationError):
        actions.draw_card(staff, team, deck, setting="team", community=" ")
    entry = actions.write_log_entry(staff, team, on=TODAY, card=draw.card, what_we_did="a",
                                    what_happened="b", what_we_learned="c")
    assert entry.capability == draw.card.capability and not entry.shared
    assert rules.has_perm("measures.read_entry", person("linkworker"), entry)
    assert not rules.has_perm("measures.read_entry", outsider, entry)
    actions.share_entry(staff, entry, shared=True)
    assert rules.has_perm("measures.read_entry", outsider, entry)


def test_self_assessment_needs_every_score_and_evidence(measures_demo):
    team = Team.objects.get()
    fw = queries.current_framework()
    scores = {n: (3, "We did it") for n in range(6, 11)}
    with pytest.raises(ValidationError) as e:
        actions.self_assess(person("staff"), team, fw, year=2030, quarter=1, scores={**scores, 7: (6, "")})
    assert set(e.value.message_dict) == {"score_7", "evidence_7"}
    actions.self_assess(person("keyworker"), team, fw, year=2030, quarter=1, scores=scores)
    with pytest.raises(ValidationError, match="already assessed"):
        actions.self_assess(person("staff"), team, fw, year=2030, quarter=1, scores=scores)
    charts, quarters = queries.assessment_charts(team)
    assert len(quarters) == 3 and [c.series.capability for c in charts] == [6, 7, 8, 9, 10]
    assert all(c.chart is not None and len(c.chart.lines[0].dots) == 3 for c in charts)


def test_decks_load_all_or_nothing(measures_demo):
    team = Team.objects.get()
    with pytest.raises(ValidationError) as e:
        actions.load_deck(person("staff"), team, name="Ours", csv_text="capability,title,task\n6,A,B\n12,C,D\n",
                          source="ours.csv")
    assert "ours.csv:3: capability 12 is out of range" in e.value.message_dict["upload"][0]
    assert not Deck.objects.filter(name="Ours").exists()
    deck = actions.load_deck(person("staff"), team, name="Ours", csv_text="capability,title,task\n6,A,B\n")
    card = actions.write_card(person("linkworker"), deck, capability=9, title="Count", task="Count something")
    assert card.number == 2
    with pytest.raises(PermissionDenied):
        actions.write_card(person("staff"), Deck.objects.get(team=None), capability=9, title="x", task="y")


def test_checklist_marks_need_evidence_and_staff_of_the_place(measures_demo):
    loc = Place.objects.get(code="RV-LOC")
    sizes = queries.checklist_sizes()
    with pytest.raises(PermissionDenied):
        actions.mark_checklist(person("resident"), loc, group="people", item=1, mark="yes", evidence="x", groups=sizes)
    with pytest.raises(ValidationError):
        actions.mark_checklist(person("commissioner"), loc, group="people", item=1, mark="yes", groups=sizes)
    with pytest.raises(ValidationError):
        actions.mark_checklist(person("commissioner"), loc, group="people", item=99, mark="not_yet", groups=sizes)
    actions.mark_checklist(person("commissioner"), loc, group="people", item=1, mark="yes", evidence="x", groups=sizes)
    assert ChecklistMark.objects.filter(place=loc, group="people", item=1, mark="yes").exists()


def test_the_demo(measures_demo):
    agreed = Measure.objects.filter(status=MeasureStatus.AGREED)
    assert agreed.count() == 5
    assert all(m.observations.count() == 12 for m in agreed)
    assert Story.objects.count() == 30 and Story.objects.filter(status=StoryStatus.PENDING).count() == 3
    team = Team.objects.get()
    assert team.assessments.count() == 2 and LogEntry.objects.filter(team=team).count() == 8
    assert len({(e.on.year, (e.on.month - 1) // 3) for e in team.log.all()}) == 2
    paper = Observation.objects.filter(how="paper")
    assert paper.exists() and all(o.entered_at.date() > o.observed_on for o in paper)

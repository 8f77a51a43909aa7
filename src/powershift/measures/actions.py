"""Measures, stories and practice: the only code that changes their state.

Each function checks permission, validates everything, writes in one transaction and appends an
audit record. Bad input raises ValidationError (per field) or BadInput (imports: file, line and
field), and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from powershift.core.audit import record
from powershift.core.codes import unique_slug
from powershift.core.errors import BadInput
from powershift.core.models import Organisation, Place, User, Visibility
from powershift.core.permissions import holds_org_role
from powershift.formats import indicators_csv, practice_data
from powershift.formats.measure_values import PERCENT, WHOLE, ValueProblem, parse_value
from powershift.measures.models import (
    Annotation,
    Capability,
    Card,
    ChecklistMark,
    CollectedBy,
    Consent,
    Deck,
    Draw,
    Endorsement,
    Framework,
    Indicator,
    IndicatorValue,
    LogEntry,
    Mark,
    Measure,
    MeasureStatus,
    Observation,
    Pin,
    Plan,
    Score,
    SelfAssessment,
    Setting,
    Story,
    StoryStatus,
    Team,
    TeamMember,
    Theme,
)


def _require(perm: str, actor: User | None, obj: object = None) -> None:
    """`actor` None is the system (the demo, the command line), which may do anything."""
    if actor is not None and not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(perm)


def _words(text: str, field: str, message: str, limit: int | None = None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    if limit and len(text) > limit:
        raise ValidationError({field: _("Keep it to %(n)s characters or fewer") % {"n": limit}})
    return text


# Measures ------------------------------------------------------------------------------------

@transaction.atomic
def propose_measure(actor: User | None, *, place: Place, title: str, description: str, why: str,
                    method: str, value_type: str, min_value: Decimal, max_value: Decimal,
                    better: str, unit: str = "", organisation: Organisation | None = None,
                    beside: Indicator | None = None) -> Measure:
    _require("measures.propose", actor)
    title = _words(title, "title", _("Say what the measure is, in a few words"), 150)
    description = _words(description, "description", _("Describe what is counted or asked, in plain words"))
    why = _words(why, "why", _("Say why it matters to people here"))
    if min_value >= max_value:
        raise ValidationError({"max_value": _("The highest value must be more than the lowest")})
    if value_type == PERCENT and (min_value < 0 or max_value > 100):
        raise ValidationError({"max_value": _("A percentage runs from 0 to 100")})
    if value_type == WHOLE and (min_value != min_value.to_integral_value()
                                or max_value != max_value.to_integral_value()):
        raise ValidationError({"min_value": _("A measure of whole numbers needs whole numbers for its range")})
    if organisation is not None and actor is not None and not holds_org_role(
            actor, ["org_member", "org_leader"], organisation):
        raise ValidationError({"organisation": _("You can propose for a group you belong to")})
    measure = Measure.objects.create(
        place=place, slug=unique_slug(Measure, f"{title} {place.name}", "measure"), title=title,
        description=description, why=why, method=method, value_type=value_type, unit=unit.strip(),
        min_value=min_value, max_value=max_value, better=better, proposed_by=actor,
        organisation=organisation, beside=beside)
    record(actor, "measures.measure.propose", measure, f"Proposed the measure '{title}' for {place.name}",
           visibility=Visibility.PUBLIC, place=place)
    return measure


def endorse(actor: User, measure: Measure, *, connected: bool) -> Endorsement:
    """Once each; the proposer's own support is already in the proposal."""
    _require("measures.endorse", actor, measure)
    if not connected:
        raise ValidationError({"connected": _("Tick the box if you live, work or volunteer in %(place)s")
                               % {"place": measure.place.name}})
    if measure.proposed_by_id == actor.pk:
        raise ValidationError(_("You proposed this measure, so your support is already counted"))
    try:
        with transaction.atomic():
            e = Endorsement.objects.create(measure=measure, user=actor)
            record(actor, "measures.measure.endorse", measure, f"Endorsed '{measure.title}'",
                   visibility=Visibility.PUBLIC, place=measure.place)
    except IntegrityError:
        raise ValidationError(_("You have already endorsed this measure")) from None
    return e


@transaction.atomic
def agree(actor: User | None, measure: Measure, *, note: str = "",
          beside: Indicator | None = None) -> Measure:
    """The facilitator records that the community has agreed the measure."""
    _require("measures.agree", actor, measure)
    if measure.status == MeasureStatus.AGREED:
        raise ValidationError(_("The community has already agreed this measure"))
    measure.status = MeasureStatus.AGREED
    measure.agreed_at = timezone.now()
    measure.agreed_by = actor
    measure.agreement_note = note.strip()
    if beside is not None:
        measure.beside = beside
    measure.save()
    record(actor, "measures.measure.agree", measure, f"Recorded community agreement of '{measure.title}'",
           visibility=Visibility.PUBLIC, place=measure.place)
    return measure


def check_observation(measure: Measure, value: Any, observed_on: dt.date | None,
                      today: dt.date | None = None) -> Decimal:
    """The value this measure takes, or ValidationError naming the field."""
    today = today or timezone.localdate()
    if measure.status != MeasureStatus.AGREED:
        raise ValidationError(_("The community has not agreed this measure yet, so nothing is recorded for it"))
    if observed_on is None:
        raise ValidationError({"observed_on": _("Enter the date it was observed")})
    if observed_on > today:
        raise ValidationError({"observed_on": _("The date observed cannot be in the future")})
    try:
        return parse_value(value, measure.value_type, measure.min_value, measure.max_value)
    except ValueProblem as e:
        raise ValidationError({"value": str(e)}) from None


@transaction.atomic
def record_observation(actor: User | None, measure: Measure, *, value: Any, observed_on: dt.date,
                       collector: str = "", how: str = CollectedBy.PHONE, note: str = "") -> Observation:
    _require("measures.record", actor, measure)
    number = check_observation(measure, value, observed_on)
    if how not in CollectedBy.values:
        raise ValidationError({"how": _("Choose how it was collected")})
    obs = Observation.objects.create(
        measure=measure, value=number, observed_on=observed_on, entered_by=actor,
        collector=(collector or (actor.display_name if actor else "")).strip()[:120], how=how,
        note=note.strip()[:300])
    record(actor, "measures.observation.record", obs,
           f"Recorded {number} for '{measure.title}' observed on {observed_on}", place=measure.place)
    return obs


@transaction.atomic
def annotate(actor: User | None, measure: Measure, *, on: dt.date, text: str) -> Annotation:
    _require("measures.annotate", actor, measure)
    text = _words(text, "text", _("Say what happened, for example 'new youth club opened'"), 120)
    note = Annotation.objects.create(measure=measure, on=on, text=text, added_by=actor)
    record(actor, "measures.measure.annotate", measure, f"Noted on {on}: {text}",
           visibility=Visibility.PUBLIC, place=measure.place)
    return note


class IndicatorImportError(BadInput):
    """Every problem in the file; the message is the first, with a count of the rest."""

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = [str(p) for p in problems]
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''}; nothing was imported)" if more else \
            " (nothing was imported)"
        super().__init__(self.problems[0] + tail)


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    indicators: int
    created: int
    updated: int


def import_indicators(actor: User | None, text: str, *, source: str = "indicators.csv",
                      source_name: str = "", today: dt.date | None = None) -> ImportSummary:
    """Validate every row (type, date, range, known place), then write them all in one transaction."""
    _require("measures.import_indicators", actor)
    rows, problems = indicators_csv.read(text, source=source, today=today or timezone.localdate())
    places = {p.code: p for p in Place.objects.filter(code__in={r.place for r in rows})}
    problems += [indicators_csv.Problem(source, r.line, "place", f"no place has the code '{r.place}'; "
                                        "import the place first or correct the code")
                 for r in rows if r.place not in places]
    if problems:
        problems.sort(key=lambda p: (p.line, p.field))
        raise IndicatorImportError(problems)
    created = updated = 0
    with transaction.atomic():
        indicators: dict[str, Indicator] = {}
        for r in rows:
            if r.indicator not in indicators:
                indicators[r.indicator], _new = Indicator.objects.update_or_create(
                    code=r.indicator, defaults={"name": r.name, "unit": r.unit, "source": source_name or source})
        for r in rows:
            _obj, new = IndicatorValue.objects.update_or_create(
                indicator=indicators[r.indicator], place=places[r.place], on=r.date,
                defaults={"value": r.value})
            created += new
            updated += not new
        record(actor, "measures.indicators.import", None,
               f"Imported {len(rows)} official figures from {source}: {created} new, {updated} updated")
    return ImportSummary(len(rows), len(indicators), created, updated)


# Stories -------------------------------------------------------------------------------------

def _published_name(user: User | None, consent: str) -> str:
    if user is None or consent == Consent.ANONYMOUS:
        return ""
    name = user.full_name or user.display_name
    return name.split()[0] if consent == Consent.FIRST_NAME and name.split() else name


@transaction.atomic
def tell_story(actor: User | None, *, title: str, what_happened: str, difference: str,
               consent: str, who_helped: str = "", remove_on_erasure: bool = False,
               places: Iterable[Place] = (), themes: Iterable[Theme] = (),
               capabilities: Iterable[Capability] = (), measures: Iterable[Measure] = ()) -> Story:
    _require("measures.tell_story", actor)
    if consent not in Consent.values:
        raise ValidationError({"consent": _(
            "We can only take a story the teller agrees we may publish: choose to be named, first "
            "name only, or anonymous. Without that consent the story is not saved.")})
    story = Story.objects.create(
        title=_words(title, "title", _("Give your story a short title"), 150),
        what_happened=_words(what_happened, "what_happened", _("Say what happened")),
        difference=_words(difference, "difference", _("Say what made the difference")),
        who_helped=who_helped.strip(), teller=actor, consent=consent,
        teller_name=_published_name(actor, consent), remove_on_erasure=remove_on_erasure)
    story.places.set(places)
    story.themes.set(themes)
    story.capabilities.set(capabilities)
    story.measures.set(measures)
    record(actor, "measures.story.tell", story, f"Told the story '{story.title}'", place=None)
    return story


@transaction.atomic
def moderate_story(actor: User | None, story: Story, *, publish: bool, reason: str = "",
                   rounds: Iterable[Any] = (), recommendations: Iterable[Any] = ()) -> Story:
    _require("measures.moderate_stories", actor)
    if not publish and not reason.strip():
        raise ValidationError({"reason": _("Say why it is not published; the teller sees the reason")})
    story.status = StoryStatus.PUBLISHED if publish else StoryStatus.DECLINED
    story.moderated_by = actor
    story.moderation_reason = reason.strip()
    story.save(update_fields=["status", "moderated_by", "moderation_reason"])
    if rounds:
        story.rounds.add(*rounds)
    if recommendations:
        story.recommendations.add(*recommendations)
    record(actor, "measures.story.moderate", story,
           f"{'Published' if publish else 'Did not publish'} the story '{story.title}'",
           visibility=Visibility.PUBLIC if publish else Visibility.STAFF)
    return story


@transaction.atomic
def pin_story(actor: User | None, story: Story, *, round: Any = None, plan: Plan | None = None,
              new_plan: str = "", place: Place | None = None, note: str = "") -> Pin:
    """Pin a published story to a budget round, an existing plan, or a new plan (by its title)."""
    _require("measures.pin", actor)
    if story.status != StoryStatus.PUBLISHED:
        raise ValidationError(_("Only a published story can be pinned"))
    targets = sum(x is not None and x != "" for x in (round, plan, new_plan.strip() or None))
    if targets != 1:
        raise ValidationError({"round": _("Choose one budget round or one plan, or name a new plan")})
    if new_plan.strip():
        if place is None:
            raise ValidationError({"place": _("Choose the place the new plan is for")})
        plan = Plan.objects.create(title=new_plan.strip()[:200], place=place, created_by=actor)
    pin = Pin.objects.create(story=story, round=round, plan=plan, note=note.strip()[:300], pinned_by=actor)
    target = round.title if round is not None else plan.title  # type: ignore[union-attr]
    record(actor, "measures.story.pin", story, f"Pinned '{story.title}' to {target}",
           visibility=Visibility.PUBLIC)
    return pin


# Practice ------------------------------------------------------------------------------------

STARTER_FRAMEWORK = "Shifting power: ten capabilities"
STARTER_DECK = "Power shifting starter deck"


def install_starter(framework: practice_data.Framework) -> tuple[Framework, Deck]:
    """The shipped framework (version 1) and starter deck, once; later calls return them."""
    fw = Framework.objects.filter(name=STARTER_FRAMEWORK).order_by("version").first()
    if fw is None:
        fw = Framework.objects.create(name=STARTER_FRAMEWORK, version=1)
        Capability.objects.bulk_create(Capability(framework=fw, number=c.number, title=c.title,
                                                  description=c.description)
                                       for c in framework.capabilities)
    deck = Deck.objects.filter(name=STARTER_DECK, team=None).first()
    if deck is None:
        deck = Deck.objects.create(name=STARTER_DECK)
        Card.objects.bulk_create(Card(deck=deck, number=n, capability=c.capability, title=c.title,
                                      task=c.task) for n, c in enumerate(framework.cards, start=1))
    return fw, deck


@transaction.atomic
def edit_framework(actor: User | None, framework: Framework,
                   texts: Mapping[int, tuple[str, str]]) -> Framework:
    """A new version with every capability's (title, description); the old version is kept."""
    _require("measures.edit_framework", actor)
    latest = Framework.objects.filter(name=framework.name).aggregate(v=Max("version"))["v"] or 0
    if framework.version != latest:
        raise ValidationError(_("Someone has edited this framework since; start from the latest version"))
    for number, (title, description) in texts.items():
        if description.strip() and not title.strip():
            raise ValidationError({f"title_{number}": _("Give capability %(n)s a title as well") % {"n": number}})
    new = Framework.objects.create(name=framework.name, version=latest + 1,
                                   organisation=framework.organisation, created_by=actor)
    for cap in framework.capabilities.all():
        title, description = texts.get(cap.number, (cap.title, cap.description))
        Capability.objects.create(framework=new, number=cap.number, title=title.strip()[:200],
                                  description=description.strip())
    record(actor, "measures.framework.edit", new, f"Made version {new.version} of {new.name}")
    return new


@transaction.atomic
def start_team(actor: User | None, *, name: str, place: Place | None = None,
               organisation: Organisation | None = None, members: Sequence[User] = ()) -> Team:
    _require("measures.start_team", actor)
    name = _words(name, "name", _("Give the team a name"), 200)
    team = Team.objects.create(name=name, slug=unique_slug(Team, name, "team"), place=place,
                               organisation=organisation)
    if actor is not None:
        TeamMember.objects.create(team=team, user=actor, is_lead=True)
    for m in members:
        TeamMember.objects.get_or_create(team=team, user=m)
    record(actor, "measures.team.start", team, f"Started the team {name}")
    return team


@transaction.atomic
def add_member(actor: User | None, team: Team, *, email: str) -> TeamMember:
    _require("measures.manage_team", actor, team)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": _("No one has an account with that email address; ask them to create one")})
    member, new = TeamMember.objects.get_or_create(team=team, user=user)
    if not new:
        raise ValidationError({"email": _("%(name)s is already in the team") % {"name": user.display_name}})
    record(actor, "measures.team.add_member", team, f"Added account {user.pk} to {team.name}")
    return member


@transaction.atomic
def load_deck(actor: User | None, team: Team, *, name: str, csv_text: str, source: str = "deck.csv") -> Deck:
    """A team's own deck from CSV (capability,title,task): every row checked before any is saved."""
    _require("measures.use_team", actor, team)
    name = _words(name, "name", _("Give the deck a name"), 200)
    try:
        cards = practice_data.read_deck_csv(csv_text, source)
    except practice_data.PracticeDataError as e:
        raise ValidationError({"upload": str(e)}) from None
    deck = Deck.objects.create(name=name, team=team)
    Card.objects.bulk_create(Card(deck=deck, number=n, capability=c.capability, title=c.title, task=c.task)
                             for n, c in enumerate(cards, start=1))
    record(actor, "measures.deck.load", deck, f"Loaded the deck {name} with {len(cards)} cards")
    return deck


@transaction.atomic
def write_card(actor: User | None, deck: Deck, *, capability: int, title: str, task: str) -> Card:
    if deck.team is None:
        raise PermissionDenied("the starter deck is not edited; load or write your team's own")
    _require("measures.use_team", actor, deck.team)
    try:
        text = practice_data._card(capability, title, task, "card")
    except practice_data.PracticeDataError as e:
        raise ValidationError(str(e).removeprefix("card: ")) from None
    number = (deck.cards.aggregate(n=Max("number"))["n"] or 0) + 1
    card = Card.objects.create(deck=deck, number=number, capability=text.capability, title=text.title,
                               task=text.task)
    record(actor, "measures.deck.card", deck, f"Wrote the card '{card.title}'")
    return card


@transaction.atomic
def draw_card(actor: User | None, team: Team, deck: Deck, *, setting: str, community: str,
              rng: random.Random | None = None) -> Draw:
    """A card from the deck, not one of the team's last few draws where the deck allows."""
    _require("measures.use_team", actor, team)
    if deck.team_id not in (None, team.pk):
        raise PermissionDenied("another team's deck")
    if setting not in Setting.values:
        raise ValidationError({"setting": _("Choose where you are using the card")})
    community = _words(community, "community", _(
        "Say which community you will apply it to: a whole neighbourhood or a small community in it"), 200)
    cards = list(deck.cards.order_by("number"))
    if not cards:
        raise ValidationError(_("This deck has no cards yet"))
    recent = set(team.draws.values_list("card_id", flat=True)[: max(0, len(cards) // 2)])
    choices = [c for c in cards if c.pk not in recent] or cards
    card = rng.choice(choices) if rng is not None else secrets.choice(choices)
    draw = Draw.objects.create(team=team, card=card, drawn_by=actor, setting=setting, community=community)
    record(actor, "measures.card.draw", draw, f"{team.name} drew '{card.title}'")
    return draw


@transaction.atomic
def write_log_entry(actor: User | None, team: Team, *, on: dt.date, what_we_did: str,
                    what_happened: str, what_we_learned: str, card: Card | None = None,
                    capability: int | None = None, community: str = "", shared: bool = False) -> LogEntry:
    _require("measures.use_team", actor, team)
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future")})
    entry = LogEntry.objects.create(
        team=team, author=actor, on=on, card=card,
        capability=capability if capability is not None else (card.capability if card else None),
        community=community.strip()[:200],
        what_we_did=_words(what_we_did, "what_we_did", _("Say what you did")),
        what_happened=_words(what_happened, "what_happened", _("Say what happened")),
        what_we_learned=_words(what_we_learned, "what_we_learned", _("Say what you learned")),
        shared=shared)
    record(actor, "measures.log.write", entry, f"{team.name}: log book entry for {on}")
    return entry


@transaction.atomic
def share_entry(actor: User | None, entry: LogEntry, *, shared: bool) -> LogEntry:
    _require("measures.use_team", actor, entry.team)
    entry.shared = shared
    entry.save(update_fields=["shared"])
    record(actor, "measures.log.share", entry, f"{'Shared' if shared else 'Stopped sharing'} a log book entry")
    return entry


@transaction.atomic
def self_assess(actor: User | None, team: Team, framework: Framework, *, year: int, quarter: int,
                scores: Mapping[int, tuple[int, str]]) -> SelfAssessment:
    """One quarter's scores (1 to 5, with a sentence of evidence) for every written capability."""
    _require("measures.use_team", actor, team)
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4")})
    capabilities = [c for c in framework.capabilities.all() if c.title]
    errors: dict[str, str] = {}
    for cap in capabilities:
        score, evidence = scores.get(cap.number, (0, ""))
        if not 1 <= int(score or 0) <= 5:
            errors[f"score_{cap.number}"] = _("Choose a score from 1 to 5 for capability %(n)s") % {"n": cap.number}
        if not (evidence or "").strip():
            errors[f"evidence_{cap.number}"] = _("Give a sentence of evidence for capability %(n)s") % {"n": cap.number}
    if errors:
        raise ValidationError(errors)
    if team.assessments.filter(year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": _("The team has already assessed itself for %(y)s Q%(q)s")
                               % {"y": year, "q": quarter}})
    assessment = SelfAssessment.objects.create(team=team, framework=framework, year=year, quarter=quarter,
                                               created_by=actor)
    Score.objects.bulk_create(Score(assessment=assessment, capability=cap, score=int(scores[cap.number][0]),
                                    evidence=scores[cap.number][1].strip()[:500]) for cap in capabilities)
    record(actor, "measures.assessment.write", assessment, f"{team.name}: self-assessment for {year} Q{quarter}")
    return assessment


@transaction.atomic
def mark_checklist(actor: User | None, place: Place, *, group: str, item: int, mark: str,
                   evidence: str = "", groups: Mapping[str, int]) -> ChecklistMark:
    """`groups` maps each checklist group to its number of items (from the framework data)."""
    _require("measures.mark_checklist", actor, place)
    if group not in groups or not 1 <= item <= groups[group]:
        raise ValidationError(_("There is no such item on the checklist"))
    if mark not in Mark.values:
        raise ValidationError({"mark": _("Choose how far the partnership has come")})
    if mark in (Mark.PARTLY, Mark.YES) and not evidence.strip():
        raise ValidationError({"evidence": _("Give the evidence: what shows it")})
    obj, _new = ChecklistMark.objects.update_or_create(
        place=place, group=group, item=item,
        defaults={"mark": mark, "evidence": evidence.strip(), "marked_by": actor})
    record(actor, "measures.checklist.mark", obj, f"{place.name}: marked {group} item {item} '{mark}'",
           visibility=Visibility.PUBLIC, place=place)
    return obj

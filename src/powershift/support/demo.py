"""Support's part of Riverside: 40 people with keyworkers, the agencies around them, plans in
their words, referrals to directory groups in every state, a year of ONS4 answers each, and
Dawn's journey: 12 contacts by 6 agencies in the year before she had a keyworker.

Deterministic (fixed seed; dates relative to today). Written with bulk inserts so the whole demo
stays quick to build; the encrypted fields are encrypted on the way in as usual.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from powershift.core.models import Organisation, Place, User
from powershift.directory.models import Service, Status
from powershift.support.models import (
    SNOMED_DECLINED,
    SNOMED_REFERRAL,
    Consent,
    Contact,
    ContactKind,
    Goal,
    GoalRating,
    Instrument,
    InstrumentItem,
    Outcome,
    Person,
    Plan,
    Purpose,
    Referral,
    ReferralEvent,
    ReferralStatus,
    TeamMember,
    UnitCost,
)

SEED = 2026
SOCIAL_PRESCRIBING = "riverside-social-prescribing"
EARLY_HELP = "riverside-early-help"
AGENCIES = [
    (SOCIAL_PRESCRIBING, "Riverside Social Prescribing Service"),
    (EARLY_HELP, "Riverside Early Help"),
    ("millbank-medical-practice", "Millbank Medical Practice"),
    ("riverside-housing-options", "Riverside Housing Options"),
    ("riverside-jobcentre", "Riverside Jobcentre"),
    ("riverside-mental-health-team", "Riverside Community Mental Health Team"),
    ("riverside-adult-social-care", "Riverside Adult Social Care"),
]
# Illustrative unit costs in pence (staff change them on the unit costs page).
UNIT_COSTS = {ContactKind.CONVERSATION: 4500, ContactKind.PHONE: 1500, ContactKind.VISIT: 9000,
              ContactKind.APPOINTMENT: 4200, ContactKind.ASSESSMENT: 25000}

FIRST = ["Amira", "Dawn", "Kwame", "Agnieszka", "Tariq", "Maureen", "Liam", "Shabana", "Derek", "Chloe",
         "Imran", "Bernadette", "Callum", "Ngozi", "Wayne", "Fatima", "Stan", "Leanne", "Yusuf", "Pauline"]
LAST = ["Khan", "Hughes", "Mensah", "Nowak", "Hussain", "Taylor", "Walsh", "Begum", "Price", "Lees"]
PREFERRED = {"Agnieszka": "Aga", "Bernadette": "Bernie", "Maureen": "Mo", "Stan": "Stanley"}
STRENGTHS = ["I'm a good cook, everyone says so", "Fixing bikes", "I make people laugh",
             "Gardening, I had an allotment for 20 years", "I'm good with kids", "Knitting and sewing",
             "I used to run the pub quiz", "Singing", "I know everyone on our street", "Painting"]
MATTERS = ["Seeing my grandchildren", "Getting out of the house", "My dog, Biscuit",
           "Keeping my flat warm", "Feeling useful again", "My faith", "Being near my sister"]
GOOD_DAYS = ["Up early, a walk by the river, a brew with someone", "When I've cooked for people",
             "A day with no letters from the council", "Pottering in the garden and a phone call from my son"]
HOPES = ["Go back to work part-time", "Make some friends round here", "Learn to use a computer",
         "Volunteer somewhere", "Sleep through the night"]
COMMUNITIES = ["Millbank mosque", "St Mary's church", "The Old Mills", "Polish community", "Hollow Lane estate",
               "Carers"]
GOALS = [("I want to get out of the house twice a week", "Try Knit and Natter and the walking group",
          "Them, with Sam for the first visit"),
         ("I want to stop worrying about money", "Debt and benefits advice appointment", "Them and Priya"),
         ("I want to feel useful again", "Look at volunteering at the community garden", "Them"),
         ("I'd like to sleep better", "Talk to the GP about sleep; try the walking group", "Them")]
# Dawn's year before a keyworker: (days ago, agency slug, kind, assessment, note)
DAWN = [
    (400, "millbank-medical-practice", ContactKind.APPOINTMENT, "", "Low mood, not sleeping. Sertraline."),
    (355, "riverside-housing-options", ContactKind.ASSESSMENT, "housing needs", "Damp flat; on the list."),
    (360, "riverside-jobcentre", ContactKind.APPOINTMENT, "", "Work coach: job search, sanction warning."),
    (340, "riverside-mental-health-team", ContactKind.ASSESSMENT, "mental health", "Not eligible; back to GP."),
    (320, "millbank-medical-practice", ContactKind.APPOINTMENT, "", "No better. Referred to talking therapy."),
    (300, "riverside-early-help", ContactKind.ASSESSMENT, "family needs", "Son missing school."),
    (280, "riverside-housing-options", ContactKind.ASSESSMENT, "housing needs", "Reassessed; no change."),
    (250, "riverside-adult-social-care", ContactKind.ASSESSMENT, "care needs", "No eligible needs."),
    (220, "riverside-jobcentre", ContactKind.APPOINTMENT, "", "Fit note; work capability assessment booked."),
    (200, "riverside-mental-health-team", ContactKind.ASSESSMENT, "mental health", "Waiting list, 18 weeks."),
    (180, "riverside-early-help", ContactKind.VISIT, "", "Home visit: family plan; nobody asked what Dawn wants."),
    (160, "millbank-medical-practice", ContactKind.APPOINTMENT, "", "Referred to social prescribing."),
]


def _agencies(locality: Place) -> dict[str, Organisation]:
    out = {}
    for slug, name in AGENCIES:
        out[slug], _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "place": locality, "is_public_service": True})
    return out


def build(accounts: dict[str, User]) -> None:
    if Person.objects.exists():  # a refresh keeps what people did in the demo
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    locality = Place.objects.get(code="RV-LOC")
    agencies = _agencies(locality)
    sp, early_help = agencies[SOCIAL_PRESCRIBING], agencies[EARLY_HELP]
    keyworker, linkworker, staff = accounts["keyworker"], accounts["linkworker"], accounts["staff"]

    UnitCost.objects.bulk_create(UnitCost(kind=k, pence=p, source="Riverside demo figures (illustrative)")
                                 for k, p in UNIT_COSTS.items())
    people = []
    for i in range(40):
        first, last = FIRST[i % len(FIRST)], LAST[(i + 3 * (i // len(FIRST))) % len(LAST)]
        people.append(Person(
            full_name=f"{first} {last}", preferred_name=PREFERRED.get(first, first),
            communities=COMMUNITIES[i % len(COMMUNITIES)], strengths=STRENGTHS[i % len(STRENGTHS)],
            what_matters=MATTERS[i % len(MATTERS)], good_day=GOOD_DAYS[i % len(GOOD_DAYS)],
            aspirations=HOPES[i % len(HOPES)], keyworker=keyworker if i % 2 == 0 else linkworker,
            place=locality, created_at=now - dt.timedelta(days=150 - i),
            user=accounts.get("resident") if i == 0 else None,
            discharged_on=today - dt.timedelta(days=10) if i == 39 else None))
    people = Person.objects.bulk_create(people)

    team, consents, contacts, outcomes = [], [], [], []
    for i, p in enumerate(people):
        team.append(TeamMember(person=p, user=linkworker, organisation=sp, role="Link worker"))
        team.append(TeamMember(person=p, user=keyworker, organisation=sp, role="Keyworker"))
        consents.append(Consent(person=p, organisation=sp, purpose=Purpose.SUPPORT,
                                starts_on=today - dt.timedelta(days=150 - i),
                                expires_on=today + dt.timedelta(days=200 + i), recorded_by=linkworker))
        if i % 5 == 1:  # Early Help is in the team; the person agreed to it for some, not others
            team.append(TeamMember(person=p, user=staff, organisation=early_help, role="Family worker"))
            if i % 10 == 1:
                consents.append(Consent(person=p, organisation=early_help, purpose=Purpose.SUPPORT,
                                        starts_on=today - dt.timedelta(days=100),
                                        expires_on=today + dt.timedelta(days=180), recorded_by=keyworker))
        contacts.append(Contact(
            person=p, organisation=sp, author=keyworker if i % 2 == 0 else linkworker,
            kind=ContactKind.CONVERSATION, happened_on=today - dt.timedelta(days=140 - i),
            note=f"What are you good at? \"{p.strengths}\". A good day: {p.good_day.lower()}."))
        # A year of ONS4 answers, monthly, slowly getting better.
        start = rng.randint(2, 5)
        for m in range(12):
            lift = m * rng.uniform(0.15, 0.4)
            answers = {k: max(0, min(10, round(start + lift + rng.uniform(-1.5, 1.5))))
                       for k in ("life_satisfaction", "worthwhile", "happiness")}
            answers["anxiety"] = max(0, min(10, round(8 - lift + rng.uniform(-1.5, 1.5))))
            outcomes.append(Outcome(person=p, taken_on=today - dt.timedelta(days=30 * (11 - m) + i % 7),
                                    answers=answers, recorded_by=keyworker))

    dawn = people[1]
    dawn.keyworker = keyworker
    dawn.created_at = now - dt.timedelta(days=150)
    dawn.save(update_fields=["keyworker", "created_at"])
    for days, slug, kind, assessment, note in DAWN:
        contacts.append(Contact(person=dawn, organisation=agencies[slug], kind=kind, assessment=assessment,
                                happened_on=today - dt.timedelta(days=days), note=note))
    TeamMember.objects.bulk_create(team)
    Consent.objects.bulk_create(consents)
    Contact.objects.bulk_create(contacts)
    Outcome.objects.bulk_create(outcomes)

    plans = Plan.objects.bulk_create(Plan(person=p, review_on=today + dt.timedelta(days=30 + i),
                                           updated_by=keyworker) for i, p in enumerate(people))
    goals = []
    for i, plan in enumerate(plans):
        for k in range(2 + i % 2):
            text, action, who = GOALS[(i + k) % len(GOALS)]
            goals.append(Goal(plan=plan, text=text, action=action, who=who, order=k,
                              review_on=today + dt.timedelta(days=14 + 7 * k)))
    goals = Goal.objects.bulk_create(goals)
    GoalRating.objects.bulk_create(GoalRating(goal=g, rating=min(10, 2 + n % 7), by_person=True,
                                              rated_on=today - dt.timedelta(days=n % 20))
                                   for n, g in enumerate(goals) if n % 3 != 2)
    _referrals(people, sp, linkworker, today, now)
    _instrument(sp)


def _referrals(people: list[Person], sp: Organisation, linkworker: User, today: dt.date,
               now: dt.datetime) -> None:
    services = list(Service.objects.filter(status=Status.ACTIVE, merged_into__isnull=True)
                    .select_related("organisation").order_by("pk")[:40])
    knit = next((s for s in services if s.organisation.slug == "riverside-knit-and-natter"), services[0])
    states = [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.ATTENDED,
              ReferralStatus.PERSON_DECLINED, ReferralStatus.DISCHARGED]
    referrals, consents = [], []
    for i, p in enumerate(people[:30]):
        state = states[i % len(states)]
        service = knit if i % 4 == 0 else services[(i * 7) % len(services)]
        sent = now - dt.timedelta(days=3 + (i * 5) % 40)
        if i == 0:  # Amira's referral to Knit and Natter waits for the group, sent 9 days ago
            state, service, sent = ReferralStatus.SENT, knit, now - dt.timedelta(days=9)
        r = Referral(person=p, service=service, organisation=service.organisation, referred_by=linkworker,
                     agency=sp, status=state, sent_at=sent,
                     note=f"{p.preferred_name} would like some company and to try something new.")
        if state != ReferralStatus.SENT:
            r.answered_at = sent + dt.timedelta(days=2)
        if state == ReferralStatus.DECLINED:
            r.reason = "Sorry, the group is for over-50s only."
        if state in (ReferralStatus.ATTENDED, ReferralStatus.DISCHARGED):
            r.first_attended_on = (sent + dt.timedelta(days=5)).date()
            r.note_back = f"{p.preferred_name} came along and fitted right in."
        if state in (ReferralStatus.PERSON_DECLINED, ReferralStatus.DISCHARGED):
            r.closed_at = sent + dt.timedelta(days=20)
        referrals.append(r)
        consents.append(Consent(person=p, organisation=service.organisation, purpose=Purpose.REFERRAL,
                                starts_on=sent.date(), expires_on=today + dt.timedelta(days=180),
                                recorded_by=linkworker))
    referrals = Referral.objects.bulk_create(referrals)
    Consent.objects.bulk_create(consents)
    events = []
    for r in referrals:
        events.append(ReferralEvent(referral=r, kind="referred", snomed=SNOMED_REFERRAL, by=linkworker,
                                    at=r.sent_at))
        steps = {ReferralStatus.ACCEPTED: ["accepted"], ReferralStatus.DECLINED: ["declined_by_group"],
                 ReferralStatus.ATTENDED: ["accepted", "attended", "note_back"],
                 ReferralStatus.PERSON_DECLINED: ["accepted", "person_declined"],
                 ReferralStatus.DISCHARGED: ["accepted", "attended", "note_back", "discharge"]}
        for n, kind in enumerate(steps.get(ReferralStatus(r.status), []), 1):
            events.append(ReferralEvent(referral=r, kind=kind, at=r.sent_at + dt.timedelta(days=2 * n),
                                        snomed=SNOMED_DECLINED if kind == "person_declined" else ""))
    ReferralEvent.objects.bulk_create(events)


def _instrument(sp: Organisation) -> None:
    """SWEMWBS entered as a licensed organisation would, but with placeholders: its wording is
    licensed and is not part of Powershift."""
    instrument = Instrument.objects.create(
        name="SWEMWBS (enter your licensed wording)", organisation=sp, scoring="swemwbs", low=1, high=5,
        licence="Demo only: an organisation with a licence replaces these with the real items")
    InstrumentItem.objects.bulk_create(
        InstrumentItem(instrument=instrument, number=n, wording=f"Statement {n} from your licensed copy")
        for n in range(1, 8))

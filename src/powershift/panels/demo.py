"""Panels' part of Riverside: a panel of 30 recruiting from 400 volunteers (seed committed, not
yet drawn), and last spring's panel, drawn, with its recommendations and the council's answers.
Deterministic; volunteers are invented and skewed as real ones are (older people and women
volunteer more)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from powershift.core.models import Place, User
from powershift.panels import actions
from powershift.panels.models import Panel, PanelStage, ResponseStatus, Volunteer, VolunteerStatus

SEED = 2026
NOW_QUESTION = "How should Riverside spend less on energy and stay warm?"
PAST_QUESTION = "How can Riverside's high street thrive again?"

# feature -> [(value, census share, how much more likely such people volunteer)]
FEATURES = {
    "Age": [("16-29", 0.22, 0.6), ("30-44", 0.25, 0.9), ("45-64", 0.31, 1.2), ("65+", 0.22, 1.5)],
    "Gender": [("Woman", 0.51, 1.3), ("Man", 0.49, 0.8)],
    "Ward": [("Millbank", 0.27, 1.0), ("Weavers Green", 0.24, 1.1), ("Castle Hill", 0.23, 0.9),
             ("Southgate", 0.26, 0.8)],
    "Ethnicity": [("White British", 0.78, 1.05), ("Other ethnic groups", 0.22, 0.8)],
}
FIRST = ["Aisha", "Ben", "Chloe", "Dan", "Ella", "Femi", "Grace", "Harry", "Imran", "Jade", "Kofi",
         "Lily", "Mo", "Nina", "Owen", "Priya", "Raj", "Sara", "Tom", "Uma", "Vic", "Wes", "Yusuf", "Zoe"]
LAST = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Hussain", "Jones", "Khan", "Lee", "Patel",
        "Roberts", "Smith", "Taylor", "Walker", "Wilson", "Wright"]
STREETS = ["Mill Street", "Canal Row", "Station Road", "Castle Lane", "Weavers Way", "Hollow Lane",
           "Park View", "Bridge Street"]


def _quotas(size: int) -> list[actions.QuotaPlan]:
    plans = []
    for feature, values in FEATURES.items():
        for value, share, _bias in values:
            seats = share * size
            plans.append(actions.QuotaPlan(feature, value, max(0, int(seats) - 1), int(seats) + 2, share))
    return plans


def _volunteers(panel: Panel, n: int, rng: random.Random) -> None:
    people = []
    for i in range(n):
        features = {f: rng.choices([v for v, _s, _b in vals], weights=[s * b for _v, s, b in vals])[0]
                    for f, vals in FEATURES.items()}
        address = f"{rng.randint(1, 140)} {rng.choice(STREETS)}, Riverside"
        people.append(Volunteer(
            panel=panel, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", email=f"volunteer{i}@example.org",
            features=features, household=actions.household_key(address), consent=True))
    Volunteer.objects.bulk_create(people)


def build(accounts: dict[str, User]) -> None:
    if Panel.objects.filter(question=NOW_QUESTION).exists():
        return
    rng = random.Random(SEED)
    town = Place.objects.get(code="RV-LOC")
    today = timezone.localdate()
    facilitator, commissioner = accounts["facilitator"], accounts["commissioner"]

    past = actions.create_panel(
        None, place=town, question=PAST_QUESTION, size=16, quotas=_quotas(16),
        description="Sixteen residents met over four Saturdays, heard from traders, planners and "
                    "young people, and agreed five recommendations.",
        recruitment_closes=dt.date(2026, 3, 1), meets_from=dt.date(2026, 3, 14), meets_to=dt.date(2026, 4, 4))
    past.facilitator = facilitator
    past.save(update_fields=["facilitator"])
    _volunteers(past, 90, rng)
    actions.commit_to_seed(None, past, "riverside high street panel 2026 dice 4-1-6-6-2-3")
    past = actions.run_selection(past)
    for v in past.volunteers.filter(status=VolunteerStatus.SELECTED):
        actions.answer(past, v, accept=True)
    for s in (PanelStage.WORKING, PanelStage.RESPONDED):
        actions.advance(None, past, s)
    for d, title in [(dt.date(2026, 3, 14), "What is the high street for?"),
                     (dt.date(2026, 3, 21), "Evidence: traders, footfall and rents"),
                     (dt.date(2026, 3, 28), "Young people's views; options"),
                     (dt.date(2026, 4, 4), "Deciding our recommendations")]:
        actions.add_meeting(facilitator, past, date=d, title=title,
                            materials="Notes and slides are shared with panel members before each meeting.")
    answers = [
        ("Let empty shops to community groups rent-free for a year while they are vacant.", 14, 1,
         ResponseStatus.ACCEPTED, "Agreed. Three units will be offered from June through a simple application.",
         "Two groups have moved in: a repair café and a youth art studio."),
        ("Make the high street car-free on summer Sundays.", 10, 5, ResponseStatus.PARTLY,
         "We will trial four Sundays this summer and ask traders and residents before deciding more.", ""),
        ("Free parking for the first hour to help small shops.", 9, 6, ResponseStatus.NOT_ACCEPTED,
         "We cannot fund the lost income this year; we will look again in next year's budget.", ""),
        ("A monthly market run with local makers and food growers.", 15, 0, ResponseStatus.ACCEPTED,
         "Yes: the first market is on the first Saturday of September.", "Licences agreed with 22 stallholders."),
        ("Involve young people in the design of the square's refurbishment.", 16, 0, ResponseStatus.WAITING, "", ""),
    ]
    for text, yes, no, status, response, update in answers:
        r = actions.add_recommendation(None, past, text=text, votes_for=yes, votes_against=no,
                                       votes_abstain=16 - yes - no)
        if status != ResponseStatus.WAITING:
            actions.respond(commissioner, r, status=status, response=response)
        if update:
            actions.post_progress(commissioner, r, update)

    now = actions.create_panel(
        None, place=town, question=NOW_QUESTION, size=30, quotas=_quotas(30),
        description="Thirty residents, chosen by lottery to look like Riverside, will meet over five "
                    "evenings and recommend what the council and residents should do.",
        recruitment_closes=today + dt.timedelta(days=10), meets_from=today + dt.timedelta(days=24),
        meets_to=today + dt.timedelta(days=60))
    now.facilitator = facilitator
    now.save(update_fields=["facilitator"])
    _volunteers(now, 400, rng)
    actions.commit_to_seed(None, now)

"""Budgets' part of Riverside: this year's round in voting (25 projects, 2,000 ballots already
in), last year's round counted and being delivered, and a community grants round taking
applications. Deterministic: the same seed gives the same projects and votes."""

from __future__ import annotations

import datetime as dt
import random

from powershift.budgets import actions
from powershift.budgets.models import DeliveryStatus, Project, Round, RoundKind, Stage
from powershift.core.models import Organisation, Place, User

SEED = 2026
THIS_YEAR, LAST_YEAR, GRANTS = "riverside-community-budget-2026", "riverside-community-budget-2025", "riverside-community-grants-2026"

# (title, category, cost, ward code or None for the whole town, how popular 0..1)
PROJECTS_2026 = [
    ("Benches and shade along the river path", "Green spaces", 18_000, None, 0.55),
    ("Mill Street play area refurbishment", "Young people", 42_000, "RV-W-MILL", 0.45),
    ("Weavers Green community orchard", "Green spaces", 9_500, "RV-W-WEAV", 0.35),
    ("Castle Hill youth club evenings", "Young people", 24_000, "RV-W-CAST", 0.40),
    ("Southgate safer crossing on Station Road", "Streets", 38_000, "RV-W-SGATE", 0.42),
    ("Free swimming for under-16s in the holidays", "Health", 30_000, None, 0.50),
    ("Repair café in the old library", "Community", 7_500, None, 0.30),
    ("Bulb planting on every estate", "Green spaces", 6_000, None, 0.38),
    ("Warm space lunches at St Mary's", "Food", 12_000, "RV-W-MILL", 0.33),
    ("Hollow Lane estate street lighting", "Streets", 45_000, "RV-W-SGATE", 0.28),
    ("Accessible toilets in Riverside Park", "Health", 55_000, None, 0.36),
    ("Community fridge in Weavers Green", "Food", 4_500, "RV-W-WEAV", 0.25),
    ("Boxing club kit and coaching", "Young people", 11_000, "RV-W-CAST", 0.22),
    ("Dementia-friendly walking group", "Health", 5_000, None, 0.27),
    ("Cycle racks at the high street shops", "Streets", 8_000, None, 0.24),
    ("Mural by local young artists under the rail bridge", "Arts", 14_000, "RV-W-SGATE", 0.26),
    ("Allotment water supply", "Green spaces", 16_000, "RV-W-WEAV", 0.18),
    ("Women's English conversation classes", "Learning", 9_000, "RV-W-MILL", 0.21),
    ("Riverside summer festival", "Arts", 20_000, None, 0.34),
    ("Defibrillators at four community venues", "Health", 10_000, None, 0.44),
    ("Litter pickers' equipment store", "Green spaces", 3_000, None, 0.20),
    ("Castle Hill bus shelter with seating", "Streets", 13_000, "RV-W-CAST", 0.23),
    ("Homework club with free breakfast", "Young people", 17_500, "RV-W-MILL", 0.29),
    ("Men's shed workshop tools", "Community", 6_500, "RV-W-SGATE", 0.19),
    ("Wildflower meadow on the old tip", "Green spaces", 21_000, "RV-W-WEAV", 0.31),
]

PROJECTS_2025 = [
    ("New goalposts and pitch drainage at Castle Park", "Young people", 28_000, "RV-W-CAST", 0.42),
    ("Riverside path resurfacing", "Streets", 40_000, None, 0.48),
    ("Millbank food bank freezer and van", "Food", 15_000, "RV-W-MILL", 0.39),
    ("Weavers Green library reading garden", "Green spaces", 12_000, "RV-W-WEAV", 0.30),
    ("Southgate community café fit-out", "Community", 35_000, "RV-W-SGATE", 0.33),
    ("Street tree planting", "Green spaces", 22_000, None, 0.41),
    ("Free bike repair days", "Streets", 5_000, None, 0.27),
    ("Youth radio station", "Young people", 19_000, None, 0.25),
    ("Chair-based exercise classes", "Health", 6_000, None, 0.29),
    ("Christmas lights for the high street", "Arts", 25_000, None, 0.37),
    ("Play street closures kit", "Young people", 4_000, "RV-W-MILL", 0.21),
    ("Castle Hill community noticeboards", "Community", 3_500, "RV-W-CAST", 0.18),
]

UPDATES = [
    (DeliveryStatus.UNDER_WAY, "Contractor appointed after three quotes; work starts in the spring."),
    (DeliveryStatus.DELIVERED, "Finished and opened with the people who proposed it. Thank you to everyone who voted."),
    (DeliveryStatus.DELAYED, "Delayed by the wet winter: the ground was too soft. New start date agreed with residents."),
]


def _ward_point(rng: random.Random, ward: Place | None, town: Place) -> tuple[float, float]:
    place = ward or town
    lat = rng.uniform(place.min_lat or 0, place.max_lat or 0)
    lon = rng.uniform(place.min_lon or 0, place.max_lon or 0)
    return round(lat, 5), round(lon, 5)


def _projects(rnd: Round, specs: list[tuple[str, str, int, str | None, float]],
              rng: random.Random, proposers: list[User]) -> list[Project]:
    town = rnd.place
    wards = {p.code: p for p in Place.objects.filter(code__startswith="RV-W-")}
    made = []
    for i, (title, category, cost, ward_code, _) in enumerate(specs):
        lat, lon = _ward_point(rng, wards.get(ward_code or ""), town)
        works = round(cost * 0.8 / 100) * 100
        made.append(actions.propose_project(
            None, rnd, title=title, category=category, latitude=lat, longitude=lon,
            description=(f"{title}. Proposed by residents who want to see it happen"
                         f"{' in ' + wards[ward_code].name if ward_code else ' across Riverside'}."),
            cost_breakdown=[{"item": "Works and equipment", "amount": works},
                            {"item": "Design, permissions and contingency", "amount": cost - works}],
            status="feasible"))
        made[-1].proposer = proposers[i % len(proposers)]
        made[-1].feasibility_reason = "Checked by the council's parks, highways and property teams: this can be done within the cost given."
        made[-1].save(update_fields=["proposer", "feasibility_reason"])
    return made


def _ballots(specs: list[tuple[str, str, int, str | None, float]], projects: list[Project],
             n: int, budget: int, rng: random.Random) -> list[dict[int, int]]:
    """Each voter lives in a ward, likes projects there more, and stays within the budget."""
    wards = ["RV-W-MILL", "RV-W-WEAV", "RV-W-CAST", "RV-W-SGATE"]
    ballots = []
    for _ in range(n):
        home = rng.choice(wards)
        chosen: dict[int, int] = {}
        spent = 0
        order = list(zip(specs, projects, strict=True))
        rng.shuffle(order)
        for (_, _, cost, ward, popularity), project in order:
            like = popularity * (1.8 if ward == home else 0.6 if ward else 1.0)
            if rng.random() < like and spent + cost <= budget:
                chosen[project.number] = 1
                spent += cost
        if not chosen:
            cheapest = min(projects, key=lambda p: p.cost)
            chosen[cheapest.number] = 1
        ballots.append(chosen)
    return ballots


def build(accounts: dict[str, User]) -> None:
    if Round.objects.filter(slug=THIS_YEAR).exists():
        return  # a refresh keeps the rounds (and any votes cast in the demo)
    rng = random.Random(SEED)
    town = Place.objects.get(code="RV-LOC")
    facilitator = accounts["facilitator"]
    proposers = [accounts["resident"], accounts["leader"], accounts["member"]]

    last = actions.create_round(
        None, place=town, title="Riverside Community Budget 2025", budget=150_000,
        description="Last year's community budget: £150,000 for projects residents proposed and chose.",
        phases=[actions.PhasePlan(Stage.PROPOSALS, dt.date(2025, 3, 1), dt.date(2025, 4, 30)),
                actions.PhasePlan(Stage.VOTING, dt.date(2025, 6, 1), dt.date(2025, 6, 30))])
    projects = _projects(last, PROJECTS_2025, rng, proposers)
    for s in (Stage.REVIEW, Stage.VOTING):
        actions.advance_stage(None, last, s)
    actions.import_ballots(None, last, _ballots(PROJECTS_2025, projects, 1_400, 150_000, rng),
                           source="Riverside 2025 count", mark_voters=True)
    last = actions.advance_stage(None, last, Stage.RESULTS)
    last = actions.advance_stage(None, last, Stage.DELIVERY)
    for i, number in enumerate((last.result or {}).get("selected", [])):
        status, text = UPDATES[i % len(UPDATES)]
        actions.post_update(facilitator, Project.objects.get(round=last, number=number),
                            status=status, text=text)

    this = actions.create_round(
        None, place=town, title="Riverside Community Budget 2026", budget=250_000,
        description=("£250,000 for projects proposed by Riverside residents and groups. Choose the "
                     "projects you want, up to the budget. Every resident aged 16 or over can vote."),
        phases=[actions.PhasePlan(Stage.PROPOSALS, dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
                actions.PhasePlan(Stage.REVIEW, dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
                actions.PhasePlan(Stage.VOTING, dt.date(2026, 11, 1), dt.date(2026, 12, 15)),
                actions.PhasePlan(Stage.RESULTS, dt.date(2026, 12, 16), dt.date(2026, 12, 31))])
    this.facilitator = facilitator
    this.save(update_fields=["facilitator"])
    projects = _projects(this, PROJECTS_2026, rng, proposers)
    for s in (Stage.REVIEW, Stage.VOTING):
        actions.advance_stage(None, this, s)
    actions.import_ballots(None, this, _ballots(PROJECTS_2026, projects, 2_000, 250_000, rng),
                           source="Riverside 2026 votes so far", mark_voters=True)
    # The demo resident is on the register, so they can vote in the browser.
    actions.import_register(None, this, [actions.RegisterEntry(1, accounts["resident"].email,
                                                               dt.date(1988, 4, 12))],
                            source="Riverside electoral register")

    grants = actions.create_round(
        None, place=town, kind=RoundKind.GRANTS, title="Riverside Community Grants 2026",
        budget=30_000, description="Grants of up to £5,000 for community groups. Groups apply; residents vote.")
    knit = Organisation.objects.get(slug="riverside-knit-and-natter")
    actions.propose_project(
        accounts["leader"], grants, title="Knit and Natter at the library, twice a week",
        description="Wool, needles, tea and a room hire for two sessions a week, open to anyone lonely or new to the area.",
        category="Community", organisation=knit,
        cost_breakdown=[{"item": "Room hire", "amount": 2_400}, {"item": "Wool and needles", "amount": 600},
                        {"item": "Tea and biscuits", "amount": 300}])

"""The directory's part of Riverside: 100 organisations and 200 groups (198 and two duplicates), activities and services
across the town, some not confirmed for months (a few for over a year, so they leave default
search), and two pairs of duplicates waiting for an administrator. Deterministic (fixed seed),
written through the importer in one go so `build()` stays fast."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from powershift.core.models import Organisation, User
from powershift.directory import actions
from powershift.formats import oruk

SEED = 2026
KNIT_GROUP = "Knit and Natter at the Old Mills"
SOURCE = "riverside-demo"

# Venues: (name, address, postcode, latitude, longitude); the first is in The Old Mills.
VENUES = [
    ("Old Mills Community Room", "2 Spinners Yard", "RV1 2MS", 53.5497, -1.9728),
    ("St Mary's Church Hall", "14 Church Street", "RV1 3SM", 53.5565, -1.9690),
    ("Weavers Green Library", "1 Loom Lane", "RV2 1WL", 53.5560, -1.9440),
    ("Castle Hill Community Centre", "40 Keep Road", "RV3 4CH", 53.5420, -1.9700),
    ("Southgate Hub", "9 Station Road", "RV4 2SG", 53.5405, -1.9420),
    ("Riverside Park Pavilion", "Park Drive", "RV4 1PP", 53.5500, -1.9330),
    ("Hollow Lane Tenants' Room", "3 Hollow Lane", "RV2 5HL", 53.5580, -1.9520),
    ("Town Hall Annexe", "1 High Street", "RV1 1TH", 53.5490, -1.9570),
    ("Greenfields Scout Hut", "Meadow Close", "RV3 2GF", 53.5410, -1.9610),
    ("Millbank Mosque Community Suite", "22 Mill Road", "RV1 4MM", 53.5530, -1.9800),
]

# (name, description, what-matters terms, day, opens, closes, free, minimum age, maximum age)
ACTIVITIES = [
    ("Knit and Natter", "Bring your knitting or learn from scratch. Tea, biscuits and a good chat: "
     "a friendly afternoon if you are feeling lonely or new to the area.", ["company", "creativity"],
     "TU", "13:30", "15:30", True, 18, None),
    ("Chatter Café", "Drop in for a cuppa and conversation with neighbours. No need to book.",
     ["company"], "WE", "10:00", "12:00", True, None, None),
    ("Walking for Health", "Gentle led walks of about an hour along the river path.",
     ["being-active", "nature"], "TH", "10:00", "11:30", True, None, None),
    ("Community Pantry", "Choose ten items of food for a small weekly membership.",
     ["food", "money"], "FR", "12:00", "15:00", False, None, None),
    ("Food Bank Session", "Emergency food parcels with a voucher from a referral partner.",
     ["food"], "MO", "11:00", "13:00", True, None, None),
    ("Debt and Benefits Advice", "One-to-one advice on debts, bills and benefits. Bring letters.",
     ["money"], "TU", "09:30", "12:30", True, 18, None),
    ("Men's Shed", "Woodwork, repairs and company in a friendly workshop.",
     ["company", "creativity"], "TH", "13:00", "16:00", True, 18, None),
    ("Peer Support Circle", "A safe space to talk about how you are feeling, led by people "
     "with lived experience of anxiety and depression.", ["mental-health", "company"],
     "MO", "18:00", "19:30", True, 18, None),
    ("Chair-based Exercise", "Seated exercise to music for all abilities.",
     ["being-active"], "WE", "14:00", "15:00", False, 50, None),
    ("Stay and Play", "Songs, toys and tea for parents and toddlers.", ["families", "company"],
     "FR", "09:30", "11:00", True, 0, 5),
    ("Youth Club", "Games, cooking and trips for young people.", ["families", "being-active"],
     "TH", "18:00", "20:30", True, 11, 18),
    ("Conversation English", "Practise speaking English in a relaxed group.",
     ["learning", "company"], "TU", "18:30", "20:00", True, 16, None),
    ("Community Garden Volunteers", "Grow food and flowers together; all tools provided.",
     ["nature", "volunteering"], "SA", "10:00", "13:00", True, None, None),
    ("Carers' Coffee Morning", "Time out and support for people caring for someone.",
     ["carers", "company"], "WE", "10:30", "12:00", True, 18, None),
    ("Digital Drop-in", "Help with phones, tablets and online forms.", ["learning", "money"],
     "MO", "14:00", "16:00", True, None, None),
    ("Choir for Wellbeing", "Sing together; no experience or reading music needed.",
     ["creativity", "mental-health"], "TH", "19:00", "20:30", False, None, None),
    ("Warm Space Lunch", "A hot lunch and a warm room in winter.", ["food", "company"],
     "TU", "12:00", "14:00", True, None, None),
    ("Repair Café", "Bring broken things; volunteers fix them with you.",
     ["volunteering", "learning"], "SA", "10:00", "12:30", True, None, None),
    ("Housing Advice Surgery", "Advice on renting, repairs and homelessness.", ["housing", "money"],
     "FR", "10:00", "12:00", True, 16, None),
    ("Dance Fit", "Upbeat dance workout for all levels.", ["being-active"], "MO", "19:00", "20:00",
     False, 16, None),
]

AREAS = ["Millbank", "Weavers Green", "Castle Hill", "Southgate", "Hollow Lane", "Greenfields",
         "Old Mills", "Riverside", "Town Centre", "Station Road"]
KINDS = ["Community Association", "Friends Group", "Tenants and Residents", "Good Neighbours",
         "Wellbeing Network", "Family Hub", "Mutual Aid", "Community Trust", "Faith Forum",
         "Volunteers"]


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def organisations() -> list[tuple[str, str]]:
    """100 organisations: Riverside's two, then 98 made from areas and kinds (name, charity no.)."""
    base = [(o.name, o.charity_number) for o in Organisation.objects.filter(
        slug__in=["riverside-knit-and-natter", "millbank-food-bank"]).order_by("slug")]
    made = [(f"{area} {kind}", f"11{9000 + i:05d}" if i % 3 == 0 else "")
            for i, (area, kind) in enumerate((a, k) for k in KINDS for a in AREAS)]
    return (base + made)[:100]


def services(today: dt.date) -> list[oruk.Service]:
    rng = random.Random(SEED)
    orgs = organisations()
    # Each activity at each venue at most once (20 x 10 pairs), the leader's group first.
    pairs = [(a, v) for a in range(len(ACTIVITIES)) for v in range(len(VENUES)) if (a, v) != (0, 0)]
    rng.shuffle(pairs)
    pairs.insert(0, (0, 0))
    out: list[oruk.Service] = []
    for n in range(198):
        name, description, terms, day, opens, closes, free, lo, hi = ACTIVITIES[pairs[n][0]]
        venue = VENUES[pairs[n][1]]
        org_name, charity = ("Riverside Knit and Natter", orgs[1][1]) if n == 0 else orgs[n % len(orgs)]
        title = KNIT_GROUP if n == 0 else name
        if n % 40 == 13:  # a few meet on another day too
            day = f"{day},{rng.choice(['MO', 'WE', 'FR'])}" if day != "MO" else "MO,TH"
        # Most confirmed this season; one in eight unconfirmed for 6-11 months; 1 in 20 over a year.
        age_days = rng.randint(1, 120)
        if n % 8 == 5:
            age_days = rng.randint(190, 330)
        if n % 20 == 7:
            age_days = rng.randint(380, 700)
        out.append(oruk.Service(
            id=f"{SOURCE}-{n + 1:03d}", line=n + 1, name=title, description=description,
            organisation=oruk.Organisation(f"{SOURCE}-org-{org_name}", org_name, charity_number=charity),
            free=free, fees="" if free else "£2 a session", minimum_age=lo, maximum_age=hi,
            capacity=None if n % 3 else rng.randint(0, 12), assured_date=today - dt.timedelta(days=age_days),
            terms=tuple(oruk.Term(t, oruk.WHAT_MATTERS[t][0], oruk.OUR_VOCABULARY) for t in terms),
            languages=("English", "Urdu") if n % 9 == 4 else ("English",),
            locations=(oruk.Location(f"{SOURCE}-loc-{n + 1:03d}", venue[0], venue[1], venue[2],
                                     round(venue[3] + rng.uniform(-0.0004, 0.0004), 6),
                                     round(venue[4] + rng.uniform(-0.0004, 0.0004), 6),
                                     ("Step-free access",) if n % 2 == 0 else ()),),
            schedules=(oruk.Schedule(byday=tuple(day.split(",")), opens_at=_time(opens),
                                     closes_at=_time(closes)),)))
    # Two duplicates: the same groups listed again by someone else, with slightly different names.
    for k, (activity, rename) in enumerate([("Food Bank Session", "Foodbank session"),
                                            ("Warm Space Lunch", "Warm-space lunches")]):
        i = next(j for j, s in enumerate(out) if s.name == activity)
        original = out[i]
        out.append(oruk.Service(
            id=f"{SOURCE}-dup-{k + 1}", line=199 + k, name=rename,
            description=original.description, organisation=oruk.Organisation(
                f"{SOURCE}-org-dup-{k}", orgs[(i + 7) % len(orgs)][0]),
            free=original.free, assured_date=original.assured_date, terms=original.terms,
            locations=original.locations, schedules=original.schedules))
    return out


def build(accounts: dict[str, User]) -> None:
    today = timezone.localdate()
    feed = oruk.Feed(SOURCE, "hsds3", services=services(today))
    actions.import_feed(None, feed, today=today)
    actions.detect_duplicates()

"""Measures' part of Riverside: official figures beside five community measures with a year of
observations, 30 stories of what works (a few waiting for a facilitator, some pinned to a plan
and a budget round), and a neighbourhood team with two quarters of log book and self-assessment.
Deterministic (fixed seed); dates are counted back from today so the year is always the last one.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from powershift.core.models import Organisation, Place, User
from powershift.measures import actions, queries
from powershift.measures.models import (
    CollectedBy,
    Consent,
    Deck,
    Indicator,
    Measure,
    Team,
    Theme,
)

SEED = 2026
TEAM = "Riverside North Neighbourhood Team"

# (title, place, description, why, method, value type, low, high, unit, better, start, monthly
#  drift, noise, indicator beside, annotation (months from start, text))
MEASURES = [
    ("Young people who feel safe walking home after dark", "RV-N-HOLLOW",
     "Of the young people (13 to 19) asked at the youth club door and on the estate each month, how many say they feel safe walking home after dark.",
     "Young people told the residents' meeting that the walk home decides whether they go out at all.",
     "survey", "percent", 0, 100, "% of those asked", "higher", 38, 2.2, 4, None, (5, "New youth club opened")),
    ("Neighbours who know someone they could ask for help", "RV-W-MILL",
     "A short doorstep survey on three streets each month: do you know someone nearby you could ask for help?",
     "After the floods people said what got them through was knowing their neighbours.",
     "survey", "percent", 0, 100, "% of households", "higher", 52, 1.4, 3, "ae-per-1000", (4, "Street parties on three roads")),
    ("Streets with fly-tipping on the monthly walk-round", "RV-N-MILLS",
     "Volunteers walk the same 40 streets on the first Saturday of each month and count the streets with fly-tipping.",
     "Fly-tipping is the first thing people mention about the Old Mills; the count shows whether the clean-ups work.",
     "count", "whole", 0, 40, "streets of 40", "lower", 17, -0.8, 2, None, (3, "Bulky waste amnesty week")),
    ("Older people who went out to a group in the last week", "RV-N-TOWN",
     "Asked at the library, the market and the knit and natter: if you are over 65, did you go out to a group or activity in the last week?",
     "Loneliness keeps older people at home and in the GP's waiting room; getting out is what they say helps.",
     "survey", "percent", 0, 100, "% of those asked", "higher", 44, 1.6, 4, "gp-per-1000", (6, "Free bus pass trips to groups began")),
    ("Hours volunteered locally each month", "RV-N-PARK",
     "Hours given by volunteers at the park, the pantry and the two community centres, from the groups' own sign-in sheets.",
     "Volunteering is how people in Riverside Park look after each other and the place.",
     "count", "whole", 0, 3000, "hours", "higher", 820, 35, 60, None, (7, "Park friends group formed")),
]

THEMES = [("loneliness", "Loneliness and connection"), ("young-people", "Young people"),
          ("food", "Food"), ("green-spaces", "Green spaces"), ("health", "Health and wellbeing"),
          ("money", "Money and debt"), ("housing", "Housing"), ("volunteering", "Volunteering")]

# (title, place, theme, what happened, what made the difference, who helped)
STORIES = [
    ("Knitting got me out of the house", "RV-N-TOWN", "loneliness",
     "After my husband died I stopped going out. My daughter found the knit and natter at the library and walked me there the first time.",
     "Nobody asked me anything I didn't want to answer. They just passed me some wool and put the kettle on.", "Riverside Knit and Natter"),
    ("A bench outside the chemist", "RV-W-MILL", "health",
     "Older people were struggling to wait outside the chemist on Station Road. We asked the council for a bench and then fitted one ourselves with the men's shed.",
     "Being allowed to just do it, with the council's blessing rather than a form.", "The men's shed and the ward officer"),
    ("The youth club that young people designed", "RV-N-HOLLOW", "young-people",
     "Young people on the estate had nowhere warm to go. They wrote the plan for the youth club, chose the nights and interviewed the youth workers.",
     "They were in charge from the start, so they told their friends it was theirs.", "Hollow Lane Tenants' Association"),
    ("Free breakfast, and then the homework club", "RV-W-CAST", "food",
     "The school started a free breakfast. Parents who came to help started staying for a cup of tea, and then ran a homework club.",
     "Food first. People came for breakfast and stayed for each other.", "Castle Hill Primary parents"),
    ("Fixing the damp together", "RV-W-SGATE", "housing",
     "Five households on our street had black mould. One of us had the landlord's complaint form; we filled them in together and took photographs on the same day.",
     "Doing it together. The landlord could ignore one of us, not five.", "Southgate Community Centre"),
    ("The pantry that takes no referrals", "RV-N-PARK", "food",
     "The community pantry lets anyone join for £3.50 a week. I went when my hours were cut and nobody asked me to prove anything.",
     "Paying a little meant it felt like shopping, not charity.", "Millbank Community Food Bank"),
    ("Walking football at 70", "RV-N-GREEN", "health",
     "My GP suggested a walking football session. I went once to please her and now I help run it on Thursdays.",
     "The link worker came with me the first time and introduced me to the lads.", "Sam, the link worker"),
    ("Clean-up Saturdays", "RV-N-MILLS", "green-spaces",
     "A few of us started picking litter on the first Saturday of the month. Now forty people come and the council lends us the grabbers and collects the bags.",
     "The council following our lead instead of the other way round.", "Riverside Council street scene team"),
    ("Debt advice in the café", "RV-N-TOWN", "money",
     "I was too ashamed to go to an advice office. The adviser sat in the market café every Tuesday and I got talking to her over a coffee.",
     "Meeting her somewhere ordinary, where nobody knew why I was there.", "Citizens Advice outreach"),
    ("Allotment for the refugee families", "RV-W-WEAV", "green-spaces",
     "We had a spare allotment plot. Three families from Syria and Eritrea now grow vegetables we had never heard of, and teach us to cook them.",
     "Giving the plot with no conditions, and then being curious.", "Weavers Green Allotment Society"),
    ("Someone who knew my name", "RV-W-MILL", "loneliness",
     "After hospital I was on my own and frightened. The keyworker came every week for a month and always asked about my cat by name.",
     "She remembered what mattered to me, not just my medication.", "Priya, the keyworker"),
    ("Young carers' night off", "RV-W-SGATE", "young-people",
     "Young carers at the high school get one evening a month off. Volunteers sit with their mums and dads so they can go bowling.",
     "Someone noticing that we are children too.", "Southgate young carers group"),
    ("Repair café", "RV-N-TOWN", "money",
     "We opened a repair café in the church hall. People bring toasters and trousers and sit with the fixer while it is mended.",
     "People learn to mend things themselves, and they talk while they wait.", "St Mary's church and local retired engineers"),
    ("The bus that goes to the groups", "RV-N-GREEN", "loneliness",
     "There was no bus from Greenfields to the town centre in the afternoon. Residents showed the council the bus times nobody could use; the route changed.",
     "Residents counting the people at the stop, not waiting for a consultation.", "Greenfields residents and the transport officer"),
    ("Cooking on a budget, taught by a mum", "RV-W-CAST", "food",
     "A mum who feeds five on very little started teaching others in the community kitchen. The course is full every term.",
     "Learning from someone in the same boat, not a professional.", "Castle Hill Community Kitchen"),
    ("Painting the underpass", "RV-N-HOLLOW", "young-people",
     "The underpass was where people got mugged. Young people painted it with an artist and now it is lit and people use it.",
     "The young people chose the design and the council paid for the lights.", "Hollow Lane youth club and the street lighting team"),
    ("Tea after the funeral", "RV-N-MILLS", "loneliness",
     "When Mr Haworth died there was nobody to organise the wake. Neighbours made the tea in the community room and forty people came.",
     "People already knowing each other from the clean-ups.", "Old Mills neighbours"),
    ("A GP who asked what matters", "RV-W-WEAV", "health",
     "My GP asked me what matters to me instead of what is the matter with me. I said my garden. She referred me to the gardening group, not more tablets.",
     "Being asked a different question.", "Weavers Green surgery and the link worker"),
    ("Park friends", "RV-N-PARK", "volunteering",
     "Five of us started the friends of Riverside Park. We now plant bulbs, run the summer fun day and the council asks us before it changes anything.",
     "Being treated as partners, invited to the meetings where the park budget is decided.", "Riverside Park friends group"),
    ("Help with the forms", "RV-W-SGATE", "money",
     "I couldn't face the benefits forms. A volunteer at the community centre sat with me for three afternoons.",
     "Patience, and never making me feel stupid.", "Southgate Community Centre volunteers"),
    ("Dads' group at the library", "RV-N-TOWN", "loneliness",
     "New dads had nowhere to go. A Saturday morning dads and babies group at the library started with three of us and now has twenty.",
     "A dad started it, so it felt like it was for us.", "Riverside library"),
    ("Warm space, warm welcome", "RV-W-MILL", "housing",
     "Last winter the mosque opened a warm space every afternoon. I went to save on heating and ended up helping in the kitchen.",
     "No questions, and something useful to do.", "Millbank mosque and volunteers"),
    ("Community choir", "RV-N-GREEN", "health",
     "Singing with the community choir has helped my breathing more than anything since my COPD diagnosis.",
     "The nurse at the practice suggested it and the choir leader made me welcome.", "Greenfields community choir"),
    ("Football for girls", "RV-W-CAST", "young-people",
     "There was no girls' team in Castle Hill. Two mums got coached, booked the pitch and now there are three teams.",
     "A small grant from the community budget and the pitch for free.", "Castle Hill mums and the community budget"),
    ("Mending the river path", "RV-N-PARK", "green-spaces",
     "The river path flooded every winter. Residents showed the council where the water came from and helped lay the new drains.",
     "The engineers listened to people who walk the path every day.", "Riverside Park friends and the council's engineers"),
    ("Lunch club by the people who eat there", "RV-N-MILLS", "food",
     "The lunch club was going to close. The people who eat there took it over; they choose the menu and do the washing up.",
     "It became theirs rather than a service for them.", "Old Mills lunch club members"),
    ("Talking about money at the school gate", "RV-W-WEAV", "money",
     "A parent who had been in debt started a money chat at the school gate on Fridays. People come because she has been there.",
     "Someone who understands, with no judgement.", "Weavers Green parents"),
    ("First job through the apprenticeships", "RV-N-TOWN", "young-people",
     "I left school with nothing. The paid apprenticeship with a local builder was the first time anyone trusted me with anything.",
     "Being paid from the first day, and a boss who had done the same.", "Riverside builders' apprenticeship scheme"),
    ("The estate's own newsletter", "RV-N-HOLLOW", "volunteering",
     "We started a one-page newsletter for the estate. Now everyone knows when the youth club is on and who to ask about repairs.",
     "Written by people on the estate, put through every door.", "Hollow Lane Tenants' Association"),
    ("Back to swimming", "RV-W-SGATE", "health",
     "The pool opened early for women-only sessions. I had not swum for twenty years; now I go twice a week with my sister.",
     "Women asked for it and the leisure centre changed the timetable.", "Riverside leisure centre"),
]

# (group, item, mark, evidence) for Riverside's destination checklist.
MARKS = [
    ("people", 4, "partly", "Link workers and keyworkers in both neighbourhoods; 60% of people supported name someone they can rely on."),
    ("communities", 4, "yes", "The community budget and grants: £250,000 decided by residents this year."),
    ("staff", 1, "partly", "Half the north team has had strengths-based conversation training; see the team log book."),
    ("commissioners", 2, "starting", "Stories of what works are now read at the start of the health and wellbeing plan meetings."),
]

LOG = [  # (days back from the start of this quarter, card number, what we did, happened, learned)
    (170, 1, "Each of us asked one person we support what made the biggest difference this month.",
     "Nobody mentioned our service first. Four of six talked about a neighbour or a group.",
     "We are one part of people's lives, not the centre. Ask about the rest."),
    (150, 5, "Mapped every community group we know of in Millbank.", "We knew 11; the tenants' association knew 34.",
     "Ask community leaders first; they know the place better than our lists."),
    (128, 13, "Asked three people what would show them our service is working.",
     "'Not having to tell my story again' came up every time.", "We measure waiting times; people care about being known."),
    (112, 17, "In supervision, noticed the moments our role gives us the final say.",
     "There were more than we thought: appointment times, where we meet, when we close a case.",
     "We can hand some of these back: people now choose where we meet."),
    (80, 6, "Invited the chair of the tenants' association to the neighbourhood planning meeting.",
     "She asked why the meeting was at 10am on a weekday. We moved the next one to the evening.",
     "Meeting times decide who can come."),
    (64, 2, "Read a story from the pantry at the start of the team meeting, before the figures.",
     "The discussion turned to why people do not come to us until crisis.", "Stories change the question we ask."),
    (40, 14, "Took our 'contacts per month' indicator to the residents' meeting.",
     "Nobody thought it meant anything. They suggested 'people who know who to ask for help'.",
     "Residents' own measure is now tracked in Millbank."),
    (20, 10, "Wrote a plain-words explanation of why the drop-in moved to appointments.",
     "People were still unhappy but understood, and suggested a Friday drop-in we could manage.",
     "Explaining the reasoning opened a better option."),
]

SCORES = [  # per quarter, older first: capability -> (score, evidence)
    {6: (2, "We hear stories but rarely write them down or take them anywhere."),
     7: (2, "We know few community groups beyond the big ones."),
     8: (2, "Our reports go up to the board, not out to residents."),
     9: (1, "All our measures are contacts and waiting times."),
     10: (2, "We have started talking about power in supervision.")},
    {6: (3, "Stories are read at the start of team meetings and logged."),
     7: (3, "We mapped 34 groups with the tenants' association and meet two a month."),
     8: (2, "We explained one unpopular decision in plain words; more to do."),
     9: (3, "Millbank's residents now track their own measure beside ours."),
     10: (3, "People choose where we meet; we noticed and handed back other decisions.")},
]


def _months_back(today: dt.date, n: int) -> dt.date:
    """The 15th of the month n months before this one."""
    year, month = today.year, today.month - n
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 15)


def _indicators(today: dt.date, rng: random.Random) -> None:
    rows = ["indicator,name,unit,place,date,value"]
    codes = ["RV-LOC", "RV-W-MILL", "RV-W-WEAV", "RV-W-CAST", "RV-W-SGATE", "RV-N-TOWN", "RV-N-MILLS",
             "RV-N-HOLLOW", "RV-N-GREEN", "RV-N-PARK"]
    for code in codes:
        ae, gp = rng.uniform(26, 36), rng.uniform(380, 470)
        for n in range(12, 0, -1):
            month = _months_back(today, n).strftime("%Y-%m")
            ae += rng.uniform(-1.2, 0.9)
            gp += rng.uniform(-9, 7)
            rows.append(f"ae-per-1000,A&E attendances per 1000 people,per 1000 people a month,{code},{month},{ae:.1f}")
            rows.append(f"gp-per-1000,GP appointments per 1000 people,per 1000 people a month,{code},{month},{gp:.0f}")
    actions.import_indicators(None, "\n".join(rows) + "\n", source="riverside-demo-indicators.csv",
                              source_name="Riverside Valley health and care partnership (demo figures)",
                              today=today)


def _measures(accounts: dict[str, User], today: dt.date, rng: random.Random) -> list[Measure]:
    made = []
    proposers = ["resident", "leader", "member", "member", "leader"]
    endorsers = ["member", "leader", "resident", "staff", "linkworker", "keyworker"]
    knit = Organisation.objects.get(slug="riverside-knit-and-natter")
    for i, (title, code, desc, why, method, vtype, low, high, unit, better, start, drift, noise, beside,
            note) in enumerate(MEASURES):
        place = Place.objects.get(code=code)
        m = actions.propose_measure(
            accounts[proposers[i]], place=place, title=title, description=desc, why=why, method=method, value_type=vtype,
            min_value=Decimal(low), max_value=Decimal(high), better=better, unit=unit,
            organisation=knit if code == "RV-N-TOWN" else None,
            beside=Indicator.objects.get(code=beside) if beside else None)
        for who in endorsers:
            if accounts[who] != m.proposed_by:
                actions.endorse(accounts[who], m, connected=True)
        actions.agree(accounts["facilitator"], m, note="Agreed at the residents' meeting; "
                      f"{rng.randint(14, 40)} people there.")
        value = float(start)
        for n in range(12, 0, -1):
            value = min(float(high), max(float(low), value + drift + rng.uniform(-noise, noise)))
            observed = _months_back(today, n)
            shown = round(value) if vtype == "whole" else round(value, 1)
            paper = n % 4 == 0
            obs = actions.record_observation(
                accounts["member"] if n % 2 else accounts["resident"], m, value=Decimal(str(shown)),
                observed_on=observed, how=CollectedBy.PAPER if paper else CollectedBy.PHONE,
                collector="Hollow Lane youth club volunteers" if code == "RV-N-HOLLOW" else "")
            if paper:  # paper forms are typed in a few days later
                type(obs).objects.filter(pk=obs.pk).update(
                    entered_at=timezone.make_aware(dt.datetime.combine(observed + dt.timedelta(days=9), dt.time(10))))
        months, text = note
        actions.annotate(accounts["facilitator"], m, on=_months_back(today, 12 - months), text=text)
        made.append(m)
    return made


def _stories(accounts: dict[str, User], measures: list[Measure]) -> None:
    themes = {slug: Theme.objects.update_or_create(slug=slug, defaults={"name": name})[0] for slug, name in THEMES}
    fw = queries.current_framework()
    caps = {c.number: c for c in fw.capabilities.all()}
    by_place = {m.place.code: m for m in measures}
    tellers = ["resident", "member", "leader"]
    consents = [Consent.FIRST_NAME, Consent.ANONYMOUS, Consent.NAMED]
    from powershift.budgets.models import Round

    budget_round = Round.objects.filter(slug="riverside-community-budget-2025").first()
    from powershift.panels.models import Recommendation

    high_street = Recommendation.objects.filter(panel__slug="how-can-riversides-high-street-thrive-again").first()
    stories = []
    for i, (title, code, theme, happened, difference, helped) in enumerate(STORIES):
        place = Place.objects.get(code=code)
        measure = by_place.get(code)
        s = actions.tell_story(
            accounts[tellers[i % 3]], title=title, what_happened=happened, difference=difference,
            who_helped=helped, consent=consents[i % 3], places=[place], themes=[themes[theme]],
            capabilities=[caps[6]] + ([caps[9]] if measure else []), measures=[measure] if measure else [])
        if i >= 27:
            continue  # three stories wait for the facilitator
        actions.moderate_story(accounts["facilitator"], s, publish=True,
                               rounds=[budget_round] if budget_round and theme in ("young-people", "green-spaces") else [],
                               recommendations=[high_street] if high_street and theme == "money" else [])
        stories.append(s)
    commissioner = accounts["commissioner"]
    locality = Place.objects.get(code="RV-LOC")
    first = actions.pin_story(commissioner, stories[0], new_plan="Riverside Health and Wellbeing Plan 2027",
                              place=locality, note="Loneliness: what gets people out of the house")
    for s in (stories[6], stories[17]):
        actions.pin_story(commissioner, s, plan=first.plan, note="Social prescribing that works")
    round_2026 = Round.objects.filter(slug="riverside-community-budget-2026").first()
    if round_2026 is not None:
        actions.pin_story(commissioner, stories[2], round=round_2026, note="Young people leading the design")


def _team(accounts: dict[str, User], today: dt.date) -> None:
    team = actions.start_team(accounts["staff"], name=TEAM, place=Place.objects.get(code="RV-SN-N"),
                              members=[accounts["linkworker"], accounts["keyworker"]])
    fw = queries.current_framework()
    deck = Deck.objects.get(team=None)
    cards = {c.number: c for c in deck.cards.all()}
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    authors = ["staff", "linkworker", "keyworker"]
    for i, (back, number, did, happened, learned) in enumerate(LOG):
        card = cards[number]
        on = quarter_start - dt.timedelta(days=back)
        community = ["Millbank", "Hollow Lane Estate", "older people in Weavers Green", "Millbank"][i % 4]
        actions.write_log_entry(accounts[authors[i % 3]], team, on=on, card=card, community=community,
                                what_we_did=did, what_happened=happened, what_we_learned=learned,
                                shared=i in (2, 6))
    for n, scores in enumerate(SCORES):
        day = quarter_start - dt.timedelta(days=1 + 92 * (1 - n))
        actions.self_assess(accounts["staff"], team, fw, year=day.year, quarter=(day.month - 1) // 3 + 1,
                            scores=scores)
    locality = Place.objects.get(code="RV-LOC")
    for group, item, mark, evidence in MARKS:
        actions.mark_checklist(accounts["commissioner"], locality, group=group, item=item, mark=mark,
                               evidence=evidence, groups=queries.checklist_sizes())


def build(accounts: dict[str, User]) -> None:
    if Team.objects.filter(name=TEAM).exists():
        return  # already built; a refresh keeps what people have added since
    rng = random.Random(SEED)
    today = timezone.localdate()
    queries.current_framework()
    _indicators(today, rng)
    measures = _measures(accounts, today, rng)
    _stories(accounts, measures)
    _team(accounts, today)


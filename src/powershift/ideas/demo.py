"""Ideas Shop's part of Riverside: one conversation with 300 participants, 60 statements and
votes from three groups of opinion that still share common ground. Deterministic."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from powershift.core.models import Place, User
from powershift.ideas import actions
from powershift.ideas.analysis import store_analysis
from powershift.ideas.models import (
    ActionStatus,
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

SEED = 2026
QUESTION = "What would make Riverside a better place to live?"
PARTICIPANTS = 300

# (text, chance of agreeing in groups A, B, C). A: green streets and fewer cars; B: safety and
# enforcement; C: young people and community spaces. High in all three: common ground.
STATEMENTS: list[tuple[str, float, float, float]] = [
    ("The river path should be lit and safe to walk after dark.", 0.9, 0.9, 0.85),
    ("Young people need somewhere warm to go in the evenings that isn't a shop doorway.", 0.8, 0.55, 0.95),
    ("There should be more benches so older people can rest on the way to the shops.", 0.9, 0.85, 0.8),
    ("Close Mill Street to through traffic so children can play out.", 0.9, 0.15, 0.6),
    ("We need more police on foot in the town centre.", 0.25, 0.95, 0.4),
    ("Speed cameras on Station Road would make crossing safer.", 0.75, 0.8, 0.6),
    ("Residents' parking permits should be free.", 0.1, 0.7, 0.45),
    ("Turn the empty shop units into community spaces run by local groups.", 0.8, 0.35, 0.9),
    ("Plant street trees on every road in Southgate.", 0.95, 0.4, 0.6),
    ("Bring back the youth club at Castle Hill.", 0.7, 0.45, 0.95),
    ("CCTV in the park would make it safer.", 0.2, 0.9, 0.3),
    ("Fly-tipping should get much bigger fines.", 0.7, 0.95, 0.55),
    ("The council should ask residents before deciding, not after.", 0.9, 0.85, 0.9),
    ("Bus services in the evening are too infrequent.", 0.85, 0.6, 0.85),
    ("A protected cycle lane along the high street.", 0.95, 0.1, 0.5),
    ("Free holiday activities with a hot meal for every child who wants one.", 0.8, 0.5, 0.95),
    ("The market should come back to the square on Saturdays.", 0.8, 0.75, 0.7),
    ("Landlords who leave homes damp should be named publicly.", 0.75, 0.5, 0.85),
    ("More bins and more frequent collections in the town centre.", 0.6, 0.9, 0.6),
    ("Skate park by the river, designed with the young people who would use it.", 0.55, 0.2, 0.95),
    ("Dog fouling is the biggest problem on our streets.", 0.35, 0.9, 0.3),
    ("Community gardens on the spare land by the old mill.", 0.95, 0.45, 0.75),
    ("Everyone should be able to see a GP within a week.", 0.85, 0.85, 0.85),
    ("The library should open on Sundays.", 0.75, 0.5, 0.8),
    ("Lower the speed limit to 20 mph on all residential streets.", 0.9, 0.3, 0.65),
    ("Security guards at the shopping parade in the evenings.", 0.15, 0.85, 0.25),
    ("Paid apprenticeships with local businesses for school leavers.", 0.7, 0.7, 0.95),
    ("A repair café so things get mended instead of thrown away.", 0.9, 0.4, 0.7),
    ("Stop building on green fields around the town.", 0.9, 0.6, 0.5),
    ("Tackle anti-social behaviour before anything else.", 0.3, 0.95, 0.35),
    ("More affordable homes for young families who grew up here.", 0.8, 0.6, 0.9),
    ("Public toilets in the park and the town centre.", 0.85, 0.85, 0.8),
    ("The council should publish what it spends in each ward.", 0.8, 0.8, 0.75),
    ("Car-free Sundays on the high street in summer.", 0.9, 0.1, 0.55),
    ("A mentoring scheme pairing young people with local volunteers.", 0.7, 0.55, 0.9),
    ("Better lighting on the estates.", 0.75, 0.9, 0.8),
    ("Wildflower verges instead of mown grass.", 0.9, 0.35, 0.55),
    ("Neighbourhood watch schemes on every street.", 0.3, 0.9, 0.4),
    ("A festival that celebrates all the communities in Riverside.", 0.8, 0.45, 0.9),
    ("Free wifi in the community centres.", 0.65, 0.45, 0.9),
    ("Electric vehicle charging points on residential streets.", 0.8, 0.35, 0.5),
    ("Boarded-up houses should be brought back into use within a year.", 0.8, 0.8, 0.8),
    ("More school crossing patrols.", 0.75, 0.8, 0.7),
    ("Sports pitches should be free for local teams.", 0.6, 0.55, 0.9),
    ("Warm spaces in winter for anyone who cannot afford heating.", 0.85, 0.65, 0.9),
    ("Fines for parking on pavements.", 0.9, 0.4, 0.6),
    ("A youth council with a real budget.", 0.7, 0.3, 0.95),
    ("Stop and search should be used more.", 0.1, 0.85, 0.15),
    ("Shops on the high street should get lower business rates.", 0.6, 0.8, 0.6),
    ("A bus that links the estates to the hospital.", 0.8, 0.7, 0.8),
    ("The canal towpath should be resurfaced for wheelchairs and buggies.", 0.9, 0.75, 0.75),
    ("Graffiti walls where young artists can paint legally.", 0.65, 0.15, 0.9),
    ("Residents should be able to report problems and see them fixed online.", 0.8, 0.85, 0.8),
    ("Rewild the riverbank and let it flood naturally.", 0.85, 0.2, 0.45),
    ("Free swimming for under-16s.", 0.7, 0.5, 0.9),
    ("Curfews for under-16s in the town centre.", 0.05, 0.7, 0.05),
    ("A tool library so neighbours can borrow instead of buy.", 0.85, 0.4, 0.65),
    ("More drinking fountains in parks.", 0.8, 0.6, 0.7),
    ("Support local food growing in schools.", 0.9, 0.5, 0.8),
    ("Make council meetings open and held in the evenings.", 0.8, 0.7, 0.8),
]

PENDING = ["We should have a monthly litter pick with free tea afterwards.",
           "The bridge needs a ramp for wheelchairs."]
META = "This conversation should have been run in schools too."
REJECTED = ("Councillor X is useless.", "Statements about named people are not accepted; say what "
            "should change instead.")


def build(accounts: dict[str, User]) -> None:
    if Conversation.objects.filter(question=QUESTION).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    facilitator = accounts["facilitator"]
    c = actions.create_conversation(
        None, place=Place.objects.get(code="RV-LOC"), question=QUESTION,
        description=("Riverside's Ideas Shop, online. Add your ideas and say what you think of "
                     "other people's. What we agree on goes to the neighbourhood partnership in "
                     "January; you will see here what is done about it."),
        opens_on=today - dt.timedelta(days=21), closes_on=today + dt.timedelta(days=30),
        seed_statements=[s[0] for s in STATEMENTS[:12]])
    c.facilitator = facilitator
    c.save(update_fields=["facilitator"])

    staff = actions.join(accounts["staff"], c).participant
    people = [staff] + [
        Participant(conversation=c, pseudonym=f"Participant {i}", token_hash=f"demo-{i}")
        for i in range(1, PARTICIPANTS)]
    Participant.objects.bulk_create(people[1:])
    people = list(c.participants.order_by("id"))
    statements = list(c.statements.order_by("number"))
    number = len(statements)
    for i, (text, *_) in enumerate(STATEMENTS[12:]):
        number += 1
        author = people[(i * 7) % len(people)]
        statements.append(Statement.objects.create(
            conversation=c, number=number, text=text, author=author, status=StatementStatus.ACCEPTED,
            is_staff_voice=author.is_staff_voice, moderated_by=facilitator))
    extra = [(META, StatementStatus.ACCEPTED, "", True), (REJECTED[0], StatementStatus.REJECTED, REJECTED[1], False)]
    extra += [(text, StatementStatus.PENDING, "", False) for text in PENDING]
    for text, status, reason, meta in extra:
        number += 1
        Statement.objects.create(conversation=c, number=number, text=text, author=people[number % 50 + 1],
                                 status=status, moderation_reason=reason, is_meta=meta,
                                 moderated_by=facilitator if status != StatementStatus.PENDING else None)

    leanings = [s[1:] for s in STATEMENTS]
    votes = []
    for person in people:
        group = rng.choices([0, 1, 2], weights=[0.4, 0.35, 0.25])[0]
        engagement = rng.uniform(0.15, 1.0)  # some vote on a few statements, some on all
        for statement, leaning in zip(statements[:len(STATEMENTS)], leanings, strict=True):
            if rng.random() > engagement:
                continue
            p_agree = leaning[group]
            r = rng.random()
            value = 0 if r < 0.1 else (1 if rng.random() < p_agree else -1)
            votes.append(Vote(participant=person, statement=statement, value=value))
    Vote.objects.bulk_create(votes, batch_size=2000)
    store_analysis(c)

    lit = statements[0]
    item = actions.follow_up(facilitator, lit, title="Lighting along the river path",
                             owner="Riverside highways team")
    actions.update_follow_up(facilitator, item, status=ActionStatus.UNDER_WAY,
                             text="Survey done: 14 new lamps planned between the bridge and the mill. "
                                  "Work starts in February.")

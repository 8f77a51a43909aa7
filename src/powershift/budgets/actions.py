"""Budgets' action functions: the only code that changes a round's state.

Each checks permission, validates, writes in one transaction and appends an audit record.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from powershift.budgets import counting
from powershift.budgets.ballots import BallotRules, clean_ballot
from powershift.budgets.models import (
    STAGE_ORDER,
    Ballot,
    BallotKind,
    BallotSource,
    DeliveryStatus,
    PaperEntry,
    Phase,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Proof,
    Round,
    RoundKind,
    Stage,
    Voter,
    VoteRecord,
)
from powershift.core.audit import record
from powershift.core.codes import code_hash, new_code, unique_slug
from powershift.core.errors import BadInput
from powershift.core.models import Organisation, Place, Role, User, Visibility
from powershift.core.permissions import holds_org_role
from powershift.formats import pabulib


def _require(perm: str, actor: User | None, obj: Any = None) -> None:
    if actor is not None and not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(perm)


def _fresh(project: Project) -> Project:
    """The project and its round as they are now, the project locked until the transaction ends
    (a caller's copy may predate a stage change)."""
    return Project.objects.select_for_update().select_related("round", "round__place").get(pk=project.pk)


def _fresh_round(round: Round) -> Round:
    return Round.objects.select_related("place").get(pk=round.pk)


@dataclass(frozen=True)
class PhasePlan:
    stage: str
    starts_on: dt.date
    ends_on: dt.date


@transaction.atomic
def create_round(
    actor: User | None, *, place: Place, title: str, budget: int, description: str = "",
    kind: str = RoundKind.BUDGET, currency: str = "GBP", ballot_kind: str = BallotKind.APPROVAL,
    max_choices: int | None = None, points: int | None = None, rule: str = "mes",
    completion: bool = True, min_age: int = 16, phases: Sequence[PhasePlan] = (),
) -> Round:
    """Open a round for proposals. `actor` None is the system (the demo, an import)."""
    if actor is not None and not (rules.has_perm("budgets.create_round", actor)
                                  and _manages_place(actor, place)):
        raise PermissionDenied("only facilitators and administrators of the place open rounds")
    if budget <= 0:
        raise ValidationError({"budget": _("Enter a budget above zero")})
    if ballot_kind == BallotKind.K_APPROVAL and not max_choices:
        raise ValidationError({"max_choices": _("Say how many projects each person may choose")})
    if ballot_kind == BallotKind.CUMULATIVE and not points:
        raise ValidationError({"points": _("Say how many points each person shares out")})
    for p in phases:
        if p.ends_on < p.starts_on:
            raise ValidationError({"phases": _("A phase cannot end before it starts")})
    r = Round.objects.create(
        place=place, title=title, slug=unique_slug(Round, title, "round"), description=description,
        budget=budget, kind=kind, currency=currency.upper(), ballot_kind=ballot_kind,
        max_choices=max_choices if ballot_kind == BallotKind.K_APPROVAL else None,
        points=points if ballot_kind == BallotKind.CUMULATIVE else None,
        rule=rule, completion=completion, min_age=min_age, facilitator=actor,
    )
    Phase.objects.bulk_create([Phase(round=r, stage=p.stage, starts_on=p.starts_on,
                                     ends_on=p.ends_on) for p in phases])
    record(actor, "budgets.round.create", r, f"Opened {r.title} for {place.name}",
           visibility=Visibility.PUBLIC, place=place)
    return r


def _manages_place(actor: User, place: Place) -> bool:
    from powershift.budgets.permissions import ROUND_MANAGERS
    from powershift.core.permissions import holds_role

    return actor.is_superuser or holds_role(actor, ROUND_MANAGERS, place)


@transaction.atomic
def advance_stage(actor: User | None, round: Round, to: str) -> Round:
    """Move a round forward to `to` (never back). Moving to results counts the votes, once."""
    _require("budgets.manage_round", actor, round)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if to not in STAGE_ORDER or STAGE_ORDER.index(to) <= STAGE_ORDER.index(round.stage):
        raise ValidationError({"stage": _("A round only moves forward")})
    if STAGE_ORDER.index(to) >= STAGE_ORDER.index(Stage.VOTING):
        if round.projects.filter(status=ProjectStatus.SUBMITTED).exists():
            raise ValidationError({"stage": _("Review every project before voting opens")})
        if not round.projects.filter(status=ProjectStatus.FEASIBLE).exists():
            raise ValidationError({"stage": _("At least one project must be on the ballot")})
    if to in (Stage.RESULTS, Stage.DELIVERY) and round.result is None:
        round.result = counting.count_round(round)
        round.projects.filter(number__in=round.result["selected"]).update(
            delivery_status=DeliveryStatus.NOT_STARTED)
    round.stage = to
    round.save(update_fields=["stage", "result"])
    record(actor, "budgets.round.stage", round, f"{round.title} moved to {Stage(to).label}",
           visibility=Visibility.PUBLIC, place=round.place)
    return round


def _clean_project_fields(round: Round, title: str, description: str,
                          cost_breakdown: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Enter a name for the project")
    if not description.strip():
        errors["description"] = _("Say what the project would do")
    items: list[dict[str, Any]] = [{"item": str(i["item"]).strip(), "amount": int(i["amount"])}
                                   for i in cost_breakdown]
    if not items:
        errors["costs"] = _("Add at least one cost")
    elif any(i["amount"] <= 0 or not i["item"] for i in items):
        errors["costs"] = _("Each cost needs a description and an amount above zero")
    cost = sum(i["amount"] for i in items)
    if items and cost > round.budget:
        errors["costs"] = _("The project costs %(cost)s, more than the whole budget of "
                                     "%(budget)s; make it smaller") % {
            "cost": f"{cost:,}", "budget": f"{round.budget:,}"}
    if errors:
        raise ValidationError(errors)
    return items, cost


@transaction.atomic
def propose_project(
    actor: User | None, round: Round, *, title: str, description: str,
    cost_breakdown: Sequence[Mapping[str, Any]], category: str = "",
    latitude: float | None = None, longitude: float | None = None,
    organisation: Organisation | None = None, status: str = ProjectStatus.SUBMITTED,
) -> Project:
    """A resident or a community group proposes a project (a grant application in grant rounds)."""
    if actor is not None:
        if not actor.is_authenticated:
            raise PermissionDenied("sign in to propose")
        if _fresh_round(round).stage != Stage.PROPOSALS:
            raise ValidationError(_("This round is not taking proposals"))
        if organisation is not None and not holds_org_role(
                actor, [Role.ORG_LEADER, Role.ORG_MEMBER], organisation):
            raise PermissionDenied("only its members apply for an organisation")
    if round.kind == RoundKind.GRANTS and organisation is None:
        raise ValidationError({"organisation": _("Grants go to community organisations; "
                                                 "choose the organisation applying")})
    items, cost = _clean_project_fields(round, title, description, cost_breakdown)
    number = (round.projects.aggregate(n=Max("number"))["n"] or 0) + 1
    project = Project.objects.create(
        round=round, number=number, title=title.strip(), description=description.strip(),
        category=category, cost_breakdown=items, cost=cost, latitude=latitude,
        longitude=longitude, proposer=actor, organisation=organisation, status=status,
    )
    record(actor, "budgets.project.propose", project, f"Proposed {project.title} in {round.title}",
           visibility=Visibility.PUBLIC, place=round.place)
    return project


@transaction.atomic
def revise_project(actor: User, project: Project, *, title: str, description: str,
                   cost_breakdown: Sequence[Mapping[str, Any]], category: str = "",
                   latitude: float | None = None, longitude: float | None = None) -> Project:
    """The proposer revises their project, e.g. after a 'not feasible' review; it is reviewed again."""
    _require("budgets.revise_project", actor, project)
    project = _fresh(project)
    round = project.round
    if round.reached(Stage.VOTING):
        raise ValidationError(_("Projects cannot change once voting has opened"))
    if project.status not in (ProjectStatus.SUBMITTED, ProjectStatus.NOT_FEASIBLE):
        raise ValidationError(_("Only projects waiting for review or found not feasible can change"))
    items, cost = _clean_project_fields(round, title, description, cost_breakdown)
    project.title, project.description, project.category = title.strip(), description.strip(), category
    project.cost_breakdown, project.cost = items, cost
    project.latitude, project.longitude = latitude, longitude
    project.status = ProjectStatus.SUBMITTED
    project.revision += 1
    project.save()
    record(actor, "budgets.project.revise", project,
           f"Revised {project.title} (version {project.revision})",
           visibility=Visibility.PUBLIC, place=round.place)
    return project


@transaction.atomic
def review_project(actor: User | None, project: Project, *, feasible: bool, reason: str) -> Project:
    """Staff decide whether a project can go on the ballot, and publish why."""
    _require("budgets.review_project", actor, project)
    project = _fresh(project)
    if project.round.reached(Stage.VOTING):
        raise ValidationError(_("Voting has opened; the ballot cannot change"))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; it is published with the decision")})
    project.status = ProjectStatus.FEASIBLE if feasible else ProjectStatus.NOT_FEASIBLE
    project.feasibility_reason = reason.strip()
    project.save(update_fields=["status", "feasibility_reason", "updated_at"])
    record(actor, "budgets.project.review", project,
           f"{project.title}: {project.get_status_display()}",
           visibility=Visibility.PUBLIC, place=project.round.place)
    return project


# Who may vote.


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _check_age(round: Round, born: dt.date | None, field: str = "date_of_birth") -> None:
    if born is None or _age_on(born, dt.date.today()) < round.min_age:
        raise ValidationError({field: _("Voting in this round is for people aged %(age)s or over")
                               % {"age": round.min_age}})


@transaction.atomic
def issue_letter_codes(actor: User | None, round: Round, count: int) -> list[tuple[str, str]]:
    """Make `count` one-time codes for letters to residents. Returns (reference, code) pairs
    for the mail merge: the codes are shown this once and only their hashes are kept."""
    _require("budgets.manage_round", actor, round)
    if not 1 <= count <= 100_000:
        raise ValidationError({"count": _("Make between 1 and 100,000 codes at a time")})
    start = round.voters.filter(proof=Proof.LETTER).count()
    issued = []
    for i in range(start + 1, start + count + 1):
        issued.append((f"L{i:06d}", new_code()))
    Voter.objects.bulk_create([Voter(round=round, proof=Proof.LETTER, reference=ref,
                                     code_hash=code_hash(code)) for ref, code in issued])
    record(actor, "budgets.voters.letters", round, f"Issued {count} letter codes for {round.title}",
           visibility=Visibility.STAFF, place=round.place)
    return issued


def _claim(round: Round, user: User) -> None:
    if Voter.objects.filter(round=round, user=user).exists():
        raise ValidationError(_("You can already vote in this round"))


@transaction.atomic
def claim_letter_code(actor: User, round: Round, code: str, date_of_birth: dt.date | None) -> Voter:
    """A resident enters the code from their letter: they may now vote (once)."""
    if not actor.is_authenticated:
        raise PermissionDenied("sign in first")
    _check_age(round, date_of_birth)
    _claim(round, actor)
    voter = (Voter.objects.select_for_update()
             .filter(round=round, proof=Proof.LETTER, code_hash=code_hash(code)).first())
    if voter is None or voter.user_id is not None:
        raise ValidationError({"code": _("That code is not right or has been used; check the "
                                         "letter, or ask staff to check you at a venue")})
    voter.user = actor
    voter.save(update_fields=["user"])
    record(actor, "budgets.voters.claim", voter, f"Claimed letter {voter.reference}",
           place=round.place)
    return voter


@transaction.atomic
def check_at_venue(actor: User, round: Round, person: User, *, age_confirmed: bool) -> Voter:
    """Staff have seen proof that a signed-up person lives in the place and is old enough."""
    _require("budgets.check_voters", actor, round)
    if not age_confirmed:
        raise ValidationError({"age_confirmed": _("Confirm the person is %(age)s or over")
                               % {"age": round.min_age}})
    _claim(round, person)
    voter = Voter.objects.create(round=round, proof=Proof.VENUE, user=person, verified_by=actor)
    record(actor, "budgets.voters.venue", voter, f"Checked account {person.pk} at a venue",
           visibility=Visibility.STAFF, place=round.place)
    return voter


@dataclass(frozen=True)
class RegisterEntry:
    line: int
    email: str
    date_of_birth: dt.date


@transaction.atomic
def import_register(actor: User | None, round: Round, entries: Sequence[RegisterEntry],
                    source: str) -> int:
    """Add a register of residents (e.g. from the electoral roll); its people vote once they sign
    in with the same email address. All or nothing."""
    _require("budgets.manage_round", actor, round)
    known = set(round.voters.exclude(register_email="").values_list("register_email", flat=True))
    seen: set[str] = set()
    for e in entries:
        email = e.email.strip().lower()
        if email in seen or email in known:
            raise BadInput(f"{source}:{e.line}: {email} is on the register twice; remove the repeat")
        seen.add(email)
        if _age_on(e.date_of_birth, dt.date.today()) < round.min_age:
            raise BadInput(f"{source}:{e.line}: {email} is under {round.min_age}, the round's "
                           "voting age; remove the line")
    Voter.objects.bulk_create([Voter(round=round, proof=Proof.REGISTER, register_email=e.email.strip().lower(),
                                     reference=f"{source}:{e.line}") for e in entries])
    record(actor, "budgets.voters.register", round,
           f"Imported a register of {len(entries)} people for {round.title}",
           visibility=Visibility.STAFF, place=round.place)
    return len(entries)


def voter_for(user: User, round: Round) -> Voter | None:
    """The person's voter row in this round, claiming a register entry by email if needed."""
    if not user.is_authenticated:
        return None
    voter = Voter.objects.filter(round=round, user=user).first()
    if voter is None and user.email:
        voter = Voter.objects.filter(round=round, register_email=user.email.lower(),
                                     user__isnull=True).first()
    return voter


# Voting.


def ballot_rules(round: Round) -> BallotRules:
    costs = dict(round.projects.filter(status=ProjectStatus.FEASIBLE).values_list("number", "cost"))
    return BallotRules(kind=round.ballot_kind, budget=round.budget, costs=costs,
                       max_choices=round.max_choices, points=round.points)


class AlreadyVoted(ValidationError):
    pass


def cast_ballot(actor: User, round: Round, choices: Mapping[int, int]) -> None:
    """One eligible person casts one secret ballot. The voter row is locked, the vote record
    has a unique constraint, and the ballot carries nothing that leads back to the person."""
    round = _fresh_round(round)
    if round.stage != Stage.VOTING:
        raise ValidationError(_("Voting is not open in this round"))
    ballot = clean_ballot(ballot_rules(round), choices)
    try:
        with transaction.atomic():
            voter = voter_for(actor, round)
            if voter is None:
                raise PermissionDenied("not on the list of voters for this round")
            voter = Voter.objects.select_for_update().get(pk=voter.pk)
            if voter.has_voted:
                raise AlreadyVoted(_("You have already voted in this round. Each person votes once."))
            if voter.user_id is None:
                voter.user = actor  # a register entry, claimed by email
            voter.has_voted = True
            voter.save(update_fields=["has_voted", "user"])
            VoteRecord.objects.create(voter=voter, round=round)
            Ballot.objects.create(round=round, choices={str(k): v for k, v in ballot.items()},
                                  source=BallotSource.ONLINE)
            # The audit trail says that the person voted, never what they chose.
            record(actor, "budgets.vote", voter, f"Voted in {round.title}", place=round.place)
    except IntegrityError as e:  # a parallel request for the same voter won the race
        raise AlreadyVoted(_("You have already voted in this round. Each person votes once.")) from e


@transaction.atomic
def give_paper_ballot(actor: User, round: Round, person: User) -> Voter:
    """Staff hand a checked voter a paper ballot: they cannot also vote online."""
    _require("budgets.check_voters", actor, round)
    voter = Voter.objects.select_for_update().filter(round=round, user=person).first()
    if voter is None:
        raise ValidationError({"person": _("Check the person first")})
    if voter.has_voted:
        raise AlreadyVoted(_("This person has already voted"))
    voter.has_voted = True
    voter.save(update_fields=["has_voted"])
    VoteRecord.objects.create(voter=voter, round=round)
    record(actor, "budgets.voters.paper", voter, f"Gave account {person.pk} a paper ballot",
           visibility=Visibility.STAFF, place=round.place)
    return voter


@dataclass(frozen=True)
class KeyingOutcome:
    counted: bool
    mismatch: bool


@transaction.atomic
def key_paper_ballot(actor: User, round: Round, paper_number: str,
                     choices: Mapping[int, int]) -> KeyingOutcome:
    """Staff type in a paper ballot. It counts once two different people have keyed it the same
    way; if keyings disagree, it waits for another keying that agrees with one of them."""
    _require("budgets.check_voters", actor, round)
    round = _fresh_round(round)
    if round.stage != Stage.VOTING:
        raise ValidationError(_("Paper ballots are entered while voting is open"))
    paper_number = paper_number.strip()
    if not paper_number:
        raise ValidationError({"paper_number": _("Enter the number printed on the paper ballot")})
    ballot = clean_ballot(ballot_rules(round), choices)
    stored = {str(k): v for k, v in ballot.items()}
    entries = list(PaperEntry.objects.select_for_update().filter(round=round, paper_number=paper_number))
    if any(e.counted for e in entries):
        raise ValidationError({"paper_number": _("Paper ballot %(n)s has already been counted")
                               % {"n": paper_number}})
    if any(e.keyed_by_id == actor.pk for e in entries):
        raise ValidationError({"paper_number": _("You have keyed this ballot already; another "
                                                 "person must key it")})
    entry = PaperEntry.objects.create(round=round, paper_number=paper_number, choices=stored,
                                      keyed_by=actor)
    agreeing = [e for e in entries if e.choices == stored]
    if agreeing:
        PaperEntry.objects.filter(pk__in=[entry.pk, agreeing[0].pk]).update(counted=True)
        Ballot.objects.create(round=round, choices=stored, source=BallotSource.PAPER)
    record(actor, "budgets.paper.key", entry, f"Keyed paper ballot {paper_number}",
           visibility=Visibility.STAFF, place=round.place)
    return KeyingOutcome(counted=bool(agreeing), mismatch=bool(entries) and not agreeing)


# Delivery.


@transaction.atomic
def post_update(actor: User, project: Project, *, status: str, text: str) -> ProjectUpdate:
    _require("budgets.post_update", actor, project)
    project = _fresh(project)
    round = project.round
    if not round.reached(Stage.RESULTS) or project.number not in (round.result or {}).get("selected", []):
        raise ValidationError(_("Only funded projects have delivery updates"))
    if status not in DeliveryStatus.values:
        raise ValidationError({"status": _("Choose a status")})
    if not text.strip():
        raise ValidationError({"text": _("Say what has happened")})
    update = ProjectUpdate.objects.create(project=project, status=status, text=text.strip(),
                                          author=actor)
    project.delivery_status = status
    project.save(update_fields=["delivery_status", "updated_at"])
    record(actor, "budgets.project.update", update, f"{project.title}: {text.strip()[:80]}",
           visibility=Visibility.PUBLIC, place=round.place)
    return update


# Imports (Pabulib files, and the demo's seeded votes).


@transaction.atomic
def import_ballots(actor: User | None, round: Round, ballots: Sequence[Mapping[int, int]], *,
                   source: str, mark_voters: bool = False, check_budget: bool = True) -> int:
    """Add ballots cast elsewhere (a Pabulib file, a past paper count), all or nothing.

    Each ballot is checked against the round's rules (without the budget limit if
    `check_budget` is False: many cities let people approve any number). With `mark_voters`, one anonymous voter
    row per ballot records that someone voted (so turnout adds up); nothing links the two.
    """
    _require("budgets.manage_round", actor, round)
    rules_ = ballot_rules(round)
    if not check_budget:
        rules_ = BallotRules(rules_.kind, sum(rules_.costs.values()), rules_.costs,
                             rules_.max_choices, rules_.points)
    cleaned = []
    for i, raw in enumerate(ballots, start=1):
        try:
            cleaned.append(clean_ballot(rules_, raw))
        except ValidationError as e:
            raise BadInput(f"{source}: ballot {i}: {' '.join(e.messages)}") from None
    random.SystemRandom().shuffle(cleaned)  # stored order says nothing about the source's order
    Ballot.objects.bulk_create([Ballot(round=round, choices={str(k): v for k, v in b.items()},
                                       source=BallotSource.IMPORTED) for b in cleaned],
                               batch_size=1000)
    if mark_voters:
        voters = Voter.objects.bulk_create(
            [Voter(round=round, proof=Proof.REGISTER, has_voted=True, reference=f"{source}:{i}")
             for i in range(1, len(cleaned) + 1)], batch_size=1000)
        VoteRecord.objects.bulk_create([VoteRecord(voter=v, round=round) for v in voters],
                                       batch_size=1000)
    record(actor, "budgets.ballots.import", round, f"Imported {len(cleaned)} ballots from {source}",
           visibility=Visibility.STAFF, place=round.place)
    return len(cleaned)


def _whole(value: object, what: str, source: str) -> int:
    number = Fraction(str(value))
    if number.denominator != 1 or number < 0:
        raise BadInput(f"{source}: {what} is {value}; Powershift keeps money in whole units, "
                       "so round it in the file first")
    return int(number)


# Pabulib vote types -> this platform's ballots. Scoring and ordinal ballots have no form here.
_PB_KINDS = {"approval": BallotKind.APPROVAL, "choose-1": BallotKind.K_APPROVAL,
             "cumulative": BallotKind.CUMULATIVE}


@transaction.atomic
def import_election(actor: User | None, election: pabulib.Election, *, place: Place) -> Round:
    """Make a counted round from a Pabulib file (a past vote, or one held on another tool)."""
    source = election.path
    vote_type = election.vote_type
    if vote_type not in _PB_KINDS:
        raise BadInput(f"{source}: vote_type is {vote_type}; Powershift rounds take approval, "
                       "choose-1 or cumulative ballots (count this file with `powershift pb tally`)")
    meta = election.meta
    kind = _PB_KINDS[vote_type]
    max_choices = 1 if vote_type == "choose-1" else None
    if vote_type == "approval" and meta.get("max_length"):
        kind, max_choices = BallotKind.K_APPROVAL, int(meta["max_length"])
    points = None
    if kind == BallotKind.CUMULATIVE:
        points = int(Fraction(meta.get("max_sum_points") or max(
            (sum(v.ballot.values()) for v in election.voters), default=1)))
    rule_name = meta.get("rule", "")
    title = meta.get("description") or f"{meta.get('unit', place.name)} {meta.get('instance', '')}".strip()
    r = create_round(
        actor, place=place, title=title[:200], budget=_whole(meta["budget"], "the budget", source),
        description=f"Imported from {source.rsplit('/', 1)[-1]}.", kind=RoundKind.BUDGET,
        currency=(meta.get("currency") or "GBP")[:3], ballot_kind=kind, max_choices=max_choices,
        points=points, rule="greedy" if rule_name.startswith("greedy") else "mes",
        completion="equalshares" not in rule_name or "/" in rule_name)
    numbers: dict[str, int] = {}
    for i, p in enumerate(election.projects, start=1):
        number = int(p.id) if p.id.isdigit() and int(p.id) not in numbers.values() else i
        numbers[p.id] = number
        cost = _whole(p.cost, f"the cost of project {p.id}", source)
        Project.objects.create(round=r, number=number, title=(p.name or f"Project {p.id}")[:200],
                               description=p.fields.get("description", "") or (p.name or p.id),
                               category=p.fields.get("category", "")[:60],
                               cost_breakdown=[{"item": "Total", "amount": cost}], cost=cost,
                               status=ProjectStatus.FEASIBLE)
    for stage in (Stage.REVIEW, Stage.VOTING):
        r = advance_stage(None, r, stage)
    ballots = [{numbers[pid]: int(v) for pid, v in voter.ballot.items()} for voter in election.voters]
    import_ballots(None, r, ballots, source=source, mark_voters=True, check_budget=False)
    r = advance_stage(None, r, Stage.RESULTS)
    record(actor, "budgets.round.import", r, f"Imported {title} from {source}",
           visibility=Visibility.PUBLIC, place=place)
    return r

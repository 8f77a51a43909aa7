"""Budget rounds' write path: proposals, review, eligibility, voting, paper ballots, delivery."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from powershift.budgets import actions
from powershift.budgets.forms import read_register
from powershift.budgets.models import (
    Ballot,
    BallotKind,
    PaperEntry,
    ProjectStatus,
    Proof,
    RoundKind,
    Stage,
    Voter,
    VoteRecord,
)
from powershift.core.actions import assign_role
from powershift.core.errors import BadInput
from powershift.core.models import AuditEvent, Organisation, Place, Role
from tests.budgets.conftest import person

pytestmark = pytest.mark.django_db


def test_only_facilitators_and_administrators_open_rounds(riverside):
    place = Place.objects.get(code="RV-LOC")
    with pytest.raises(PermissionDenied):
        actions.create_round(person("resident"), place=place, title="Mine", budget=100)
    with pytest.raises(PermissionDenied):
        actions.create_round(person("staff"), place=place, title="Mine", budget=100)
    r = actions.create_round(person("facilitator"), place=place, title="Ours", budget=100)
    assert r.stage == Stage.PROPOSALS and r.slug == "ours"
    assert AuditEvent.objects.filter(action="budgets.round.create", object_id=str(r.pk)).exists()


def test_a_round_needs_its_ballot_settings(riverside):
    place = Place.objects.get(code="RV-LOC")
    with pytest.raises(ValidationError, match="how many projects"):
        actions.create_round(None, place=place, title="K", budget=100, ballot_kind=BallotKind.K_APPROVAL)
    with pytest.raises(ValidationError, match="points"):
        actions.create_round(None, place=place, title="C", budget=100, ballot_kind=BallotKind.CUMULATIVE)


def test_proposals_are_checked_before_saving(make_round):
    r = make_round(Stage.PROPOSALS)
    with pytest.raises(ValidationError) as e:
        actions.propose_project(person("resident"), r, title="Huge", description="Too much",
                                cost_breakdown=[{"item": "Everything", "amount": r.budget + 1}])
    assert "more than the whole budget" in str(e.value)
    with pytest.raises(ValidationError, match="description and an amount"):
        actions.propose_project(person("resident"), r, title="Free", description="x",
                                cost_breakdown=[{"item": "Nothing", "amount": 0}])
    with pytest.raises(ValidationError, match="at least one cost"):
        actions.propose_project(person("resident"), r, title="Free", description="x", cost_breakdown=[])
    assert r.projects.count() == 5


def test_cost_is_the_sum_of_the_breakdown_and_numbers_count_up(make_round):
    r = make_round(Stage.PROPOSALS)
    p = actions.propose_project(person("member"), r, title="Benches", description="Six benches",
                                cost_breakdown=[{"item": "Benches", "amount": 1200},
                                                {"item": "Fitting", "amount": 300}])
    assert (p.cost, p.number, p.status) == (1500, 6, ProjectStatus.SUBMITTED)


def test_grant_applications_come_from_members_of_the_organisation(riverside):
    r = actions.create_round(person("facilitator"), place=Place.objects.get(code="RV-LOC"),
                             title="Community grants", budget=20_000, kind=RoundKind.GRANTS)
    knit = Organisation.objects.get(slug="riverside-knit-and-natter")
    costs = [{"item": "Wool", "amount": 500}]
    with pytest.raises(ValidationError, match="community organisations"):
        actions.propose_project(person("leader"), r, title="Yarn", description="x", cost_breakdown=costs)
    with pytest.raises(PermissionDenied):
        actions.propose_project(person("resident"), r, title="Yarn", description="x",
                                cost_breakdown=costs, organisation=knit)
    p = actions.propose_project(person("member"), r, title="Yarn", description="x",
                                cost_breakdown=costs, organisation=knit)
    assert p.organisation == knit


def test_staff_review_with_a_published_reason_and_proposers_revise(make_round):
    r = make_round(Stage.PROPOSALS)
    p = r.projects.get(number=1)
    with pytest.raises(PermissionDenied):
        actions.review_project(person("resident"), p, feasible=False, reason="No")
    with pytest.raises(ValidationError, match="reason"):
        actions.review_project(person("commissioner"), p, feasible=False, reason=" ")
    actions.review_project(person("commissioner"), p, feasible=False, reason="The land is not the council's")
    p.refresh_from_db()
    assert (p.status, p.feasibility_reason) == (ProjectStatus.NOT_FEASIBLE, "The land is not the council's")

    with pytest.raises(PermissionDenied):
        actions.revise_project(person("member"), p, title="Taken", description="x",
                               cost_breakdown=[{"item": "x", "amount": 1}])
    actions.revise_project(person("resident"), p, title="Project 1, on the school field",
                           description="Moved", cost_breakdown=[{"item": "All", "amount": 35_000}])
    p.refresh_from_db()
    assert (p.status, p.revision, p.cost) == (ProjectStatus.SUBMITTED, 2, 35_000)


def test_stages_only_move_forward_and_voting_needs_a_reviewed_ballot(make_round):
    r = make_round(Stage.PROPOSALS)
    fac = person("facilitator")
    with pytest.raises(ValidationError, match="Review every project"):
        actions.advance_stage(fac, r, Stage.VOTING)
    for p in r.projects.all():
        actions.review_project(fac, p, feasible=False, reason="No")
    with pytest.raises(ValidationError, match="At least one project"):
        actions.advance_stage(fac, r, Stage.VOTING)
    actions.review_project(fac, r.projects.get(number=2), feasible=True, reason="Fine")
    actions.advance_stage(fac, r, Stage.VOTING)
    with pytest.raises(ValidationError, match="only moves forward"):
        actions.advance_stage(fac, r, Stage.REVIEW)
    with pytest.raises(PermissionDenied):
        actions.advance_stage(person("staff"), r, Stage.RESULTS)
    with pytest.raises(ValidationError, match="cannot change"):
        actions.review_project(fac, r.projects.get(number=1), feasible=True, reason="Changed my mind")


# Who may vote.


def test_letter_codes_are_shown_once_and_kept_only_as_hashes(make_round, make_user):
    r = make_round()
    codes = actions.issue_letter_codes(person("facilitator"), r, 3)
    assert [ref for ref, _ in codes] == ["L000001", "L000002", "L000003"]
    stored = list(Voter.objects.filter(round=r, proof=Proof.LETTER).values_list("code_hash", flat=True))
    for _, code in codes:
        assert len(code) == 14 and code not in stored
        assert all(code.replace("-", "") not in h for h in stored)
    with pytest.raises(PermissionDenied):
        actions.issue_letter_codes(person("staff"), r, 3)

    amy = make_user("amy@example.org", "Amy")
    with pytest.raises(ValidationError, match="16 or over"):
        actions.claim_letter_code(amy, r, codes[0][1], dt.date.today().replace(year=dt.date.today().year - 15))
    with pytest.raises(ValidationError, match="not right"):
        actions.claim_letter_code(amy, r, "AAAA-BBBB-CCCC", dt.date(1990, 1, 1))
    # Codes are forgiving of case and spacing.
    actions.claim_letter_code(amy, r, codes[0][1].lower().replace("-", " "), dt.date(1990, 1, 1))
    assert actions.voter_for(amy, r).reference == "L000001"
    ben = make_user("ben@example.org", "Ben")
    with pytest.raises(ValidationError, match="has been used"):
        actions.claim_letter_code(ben, r, codes[0][1], dt.date(1990, 1, 1))
    with pytest.raises(ValidationError, match="already vote"):
        actions.claim_letter_code(amy, r, codes[1][1], dt.date(1990, 1, 1))


def test_venue_checks_need_staff_and_a_confirmed_age(make_round, make_user):
    r = make_round()
    cat = make_user("cat@example.org", "Cat")
    with pytest.raises(PermissionDenied):
        actions.check_at_venue(person("resident"), r, cat, age_confirmed=True)
    with pytest.raises(ValidationError, match="16 or over"):
        actions.check_at_venue(person("commissioner"), r, cat, age_confirmed=False)
    voter = actions.check_at_venue(person("commissioner"), r, cat, age_confirmed=True)
    assert (voter.proof, voter.verified_by) == (Proof.VENUE, person("commissioner"))


REGISTER = "email,date_of_birth\n{}\n"


@pytest.mark.parametrize(("rows", "message"), [
    ("a@example.org,1980-01-01\nnot-an-email,1980-01-01", "register.csv:3: 'not-an-email' is not an email address"),
    ("a@example.org,01/01/1980", "register.csv:2: date_of_birth must be YYYY-MM-DD"),
])
def test_register_lines_that_cannot_be_read(rows, message):
    with pytest.raises(BadInput) as e:
        read_register(io.StringIO(REGISTER.format(rows)), "register.csv")
    assert str(e.value).startswith(message)


def test_register_without_its_columns_or_people():
    with pytest.raises(BadInput, match=r"register.csv:1: no 'date_of_birth' column; the first line"):
        read_register(io.StringIO("email\na@example.org\n"), "register.csv")
    with pytest.raises(BadInput, match=r"register.csv:2: the register has no people"):
        read_register(io.StringIO("email,date_of_birth\n"), "register.csv")


@pytest.mark.parametrize(("rows", "message"), [
    ("a@example.org,1980-01-01\nA@example.org,1981-01-01", "register.csv:3: a@example.org is on the register twice"),
    (f"a@example.org,1980-01-01\nkid@example.org,{dt.date.today().year - 10}-01-01",
     "register.csv:3: kid@example.org is under 16"),
])
def test_register_is_imported_whole_or_not_at_all(make_round, rows, message):
    r = make_round()
    entries = read_register(io.StringIO(REGISTER.format(rows)), "register.csv")
    with pytest.raises(BadInput) as e:
        actions.import_register(person("facilitator"), r, entries, source="register.csv")
    assert str(e.value).startswith(message)
    assert not Voter.objects.filter(round=r, proof=Proof.REGISTER).exists()


def test_people_on_the_register_vote_when_they_sign_in_with_that_address(make_round, make_user):
    r = make_round()
    entries = read_register(io.StringIO(REGISTER.format("Dee@Example.org,1970-05-05")), "register.csv")
    assert actions.import_register(person("facilitator"), r, entries, source="register.csv") == 1
    dee = make_user("dee@example.org", "Dee")
    actions.cast_ballot(dee, r, {1: 1})
    voter = Voter.objects.get(round=r, proof=Proof.REGISTER)
    assert voter.user == dee and voter.has_voted


# Voting.


def test_a_voter_votes_once_and_the_ballot_is_secret(make_round, make_voter):
    r = make_round()
    eve = make_voter(r, "eve@example.org")
    actions.cast_ballot(eve, r, {1: 1, 3: 1})
    with pytest.raises(actions.AlreadyVoted):
        actions.cast_ballot(eve, r, {2: 1})
    assert Ballot.objects.filter(round=r).count() == 1
    assert VoteRecord.objects.filter(round=r).count() == 1
    ballot = Ballot.objects.get(round=r)
    assert ballot.choices == {"1": 1, "3": 1}
    # Nothing on the ballot leads back to the voter: no time, no person, a random id.
    names = {f.name for f in Ballot._meta.get_fields()}
    assert names == {"id", "round", "choices", "source"}
    assert ballot.id.version == 4
    names = {f.name for f in VoteRecord._meta.get_fields()}
    assert names == {"id", "voter", "round"}
    with pytest.raises(PermissionError):
        ballot.choices = {"2": 1}
        ballot.save()
    # The audit trail says she voted, never what she chose.
    event = AuditEvent.objects.get(action="budgets.vote")
    assert "1" not in event.summary.replace("2026", "") and event.object_type == "budgets.voter"


@pytest.mark.parametrize(("kind", "ballot", "message"), [
    (BallotKind.APPROVAL, {1: 1, 2: 1}, "more than the budget"),  # 70,000 of 60,000
    (BallotKind.APPROVAL, {99: 1}, "Project 99 is not on this ballot"),
    (BallotKind.APPROVAL, {}, "Choose at least one project"),
    (BallotKind.APPROVAL, {1: 2}, "at most once"),
    (BallotKind.K_APPROVAL, {1: 1, 2: 1, 3: 1}, "choose at most 2"),
    (BallotKind.CUMULATIVE, {1: 6, 2: 5}, "You have given 11 points but have 10"),
    (BallotKind.CUMULATIVE, {1: -1, 2: 5}, "cannot be negative"),
])
def test_ballots_that_break_the_rules_are_refused_and_nothing_is_saved(
        make_round, make_voter, kind, ballot, message):
    r = make_round(ballot_kind=kind)
    fay = make_voter(r, "fay@example.org")
    with pytest.raises(ValidationError) as e:
        actions.cast_ballot(fay, r, ballot)
    assert message in " ".join(e.value.messages)
    assert not Ballot.objects.filter(round=r).exists()
    assert not actions.voter_for(fay, r).has_voted


def test_only_eligible_people_vote_and_only_while_voting_is_open(make_round, make_user, make_voter):
    r = make_round()
    with pytest.raises(PermissionDenied):
        actions.cast_ballot(make_user("gus@example.org", "Gus"), r, {1: 1})
    early = make_round(Stage.REVIEW)
    hal = make_voter(early, "hal@example.org")
    with pytest.raises(ValidationError, match="not open"):
        actions.cast_ballot(hal, early, {1: 1})


def test_a_paper_ballot_counts_when_two_people_key_it_the_same(make_round, make_user, make_voter):
    r = make_round()
    staff, fac, admin = person("commissioner"), person("facilitator"), person("admin")
    # The voter is checked and handed a paper ballot; they cannot then vote online too.
    ivy = make_voter(r, "ivy@example.org")
    actions.give_paper_ballot(staff, r, ivy)
    with pytest.raises(actions.AlreadyVoted):
        actions.cast_ballot(ivy, r, {1: 1})

    first = actions.key_paper_ballot(staff, r, "P-001", {1: 1, 4: 1})
    assert not first.counted and not first.mismatch
    with pytest.raises(ValidationError, match="another person"):
        actions.key_paper_ballot(staff, r, "P-001", {1: 1, 4: 1})
    second = actions.key_paper_ballot(fac, r, "P-001", {1: 1, 5: 1})  # a typing slip
    assert not second.counted and second.mismatch
    assert not Ballot.objects.filter(round=r).exists()
    third = actions.key_paper_ballot(admin, r, "P-001", {4: 1, 1: 1})
    assert third.counted
    assert list(Ballot.objects.filter(round=r).values_list("choices", "source")) == [({"1": 1, "4": 1}, "paper")]
    with pytest.raises(PermissionDenied):  # staff of one neighbourhood, not of the whole round
        actions.key_paper_ballot(person("staff"), r, "P-001", {1: 1, 4: 1})
    assign_role(None, person("staff"), Role.SERVICE_STAFF, place=r.place)
    with pytest.raises(ValidationError, match="already been counted"):
        actions.key_paper_ballot(person("staff"), r, "P-001", {1: 1, 4: 1})
    with pytest.raises(PermissionDenied):
        actions.key_paper_ballot(person("resident"), r, "P-002", {1: 1})
    with pytest.raises(ValidationError, match="more than the budget"):
        actions.key_paper_ballot(staff, r, "P-003", {1: 1, 2: 1})
    assert PaperEntry.objects.filter(round=r, paper_number="P-003").count() == 0

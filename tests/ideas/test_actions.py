"""The Ideas Shop's write path: joining, statements and moderation, votes, follow-ups."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from powershift.budgets import actions as budgets
from powershift.budgets.models import Project
from powershift.core import privacy
from powershift.core.models import Place
from powershift.formats import polis_export
from powershift.ideas import actions, queries
from powershift.ideas.analysis import store_analysis
from powershift.ideas.models import Statement, StatementStatus, Vote
from tests.ideas.conftest import person

pytestmark = pytest.mark.django_db


def test_only_facilitators_start_conversations(riverside):
    place = Place.objects.get(code="RV-LOC")
    today = dt.date.today()
    with pytest.raises(PermissionDenied):
        actions.create_conversation(person("resident"), place=place, question="Mine?", opens_on=today,
                                    closes_on=today)
    with pytest.raises(ValidationError, match="close after it opens"):
        actions.create_conversation(person("facilitator"), place=place, question="When?",
                                    opens_on=today, closes_on=today - dt.timedelta(days=1))


def test_people_join_signed_in_once_or_under_a_pseudonym(conversation):
    resident = actions.join(person("resident"), conversation)
    assert resident.token is None and not resident.participant.is_staff_voice
    assert actions.join(person("resident"), conversation).participant == resident.participant
    staff = actions.join(person("facilitator"), conversation).participant
    assert staff.is_staff_voice
    anonymous = actions.join(None, conversation)
    assert anonymous.token and anonymous.participant.user is None
    assert anonymous.participant.token_hash != anonymous.token
    assert actions.participant_for(conversation, None, anonymous.token) == anonymous.participant
    conversation.allow_pseudonyms = False
    conversation.save()
    with pytest.raises(PermissionDenied):
        actions.join(None, conversation)


def test_statements_are_moderated_with_reasons_and_the_author_is_told(conversation, django_capture_on_commit_callbacks):
    p = actions.join(person("resident"), conversation).participant
    s = actions.add_statement(p, "  A   bench by the bus stop  ")
    assert (s.text, s.status, s.number) == ("A bench by the bus stop", StatementStatus.PENDING, 4)
    with pytest.raises(ValidationError, match="already said exactly that"):
        actions.add_statement(p, "a bench by the bus stop")
    with pytest.raises(ValidationError, match="280 characters or fewer"):
        actions.add_statement(p, "x" * 281)
    with pytest.raises(PermissionDenied):
        actions.moderate(person("staff"), s, accept=False, reason="No")
    with pytest.raises(ValidationError, match="Say why"):
        actions.moderate(person("facilitator"), s, accept=False)
    with django_capture_on_commit_callbacks(execute=True):
        actions.moderate(person("facilitator"), s, accept=False, reason="There is one already")
    assert mail.outbox[-1].to == ["resident@riverside.example"]
    assert "There is one already" in mail.outbox[-1].body
    s.refresh_from_db()
    assert s.status == StatementStatus.REJECTED


def test_statement_rate_limit(conversation):
    p = actions.join(None, conversation).participant
    for i in range(actions.STATEMENTS_PER_HOUR):
        actions.add_statement(p, f"Idea number {i}")
    with pytest.raises(ValidationError, match="in the last hour"):
        actions.add_statement(p, "One more idea")


def test_a_second_vote_replaces_the_first(conversation, django_capture_on_commit_callbacks):
    p = actions.join(person("resident"), conversation).participant
    s = conversation.statements.get(number=1)
    with django_capture_on_commit_callbacks():
        actions.cast_vote(p, s, Vote.AGREE)
        actions.cast_vote(p, s, Vote.DISAGREE)
    assert list(Vote.objects.filter(participant=p).values_list("value", flat=True)) == [-1]
    with pytest.raises(ValidationError, match="agree, disagree or pass"):
        actions.cast_vote(p, s, 2)
    pending = actions.add_statement(p, "Not yet moderated")
    with pytest.raises(ValidationError, match="not in this conversation"):
        actions.cast_vote(p, pending, Vote.AGREE)
    conversation.closes_on = dt.date.today() - dt.timedelta(days=1)
    conversation.save()
    with pytest.raises(ValidationError, match="not open"):
        actions.cast_vote(p, s, Vote.AGREE)


def test_votes_queue_one_debounced_analysis(conversation, django_capture_on_commit_callbacks):
    p = actions.join(person("resident"), conversation).participant
    with django_capture_on_commit_callbacks(execute=True):
        for s in conversation.statements.all():
            actions.cast_vote(p, s, Vote.AGREE)
    conversation.refresh_from_db()
    assert conversation.analysis_queued and conversation.votes_changed_at
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="analyse_conversation_task").count() == 1
    conversation = store_analysis(conversation)
    assert not conversation.analysis_queued
    assert conversation.analysis["participants"] == 1 and conversation.analysis["too_small"]
    assert conversation.analysis["tallies"]["1"] == {"agree": 1, "disagree": 0, "passed": 0}


def test_routing_shows_each_statement_once_then_nothing(conversation):
    p = actions.join(None, conversation).participant
    seen = []
    while (s := queries.next_statement(p)) is not None:
        seen.append(s.number)
        actions.cast_vote(p, s, Vote.PASS)
    assert sorted(seen) == [1, 2, 3]


def test_follow_ups_and_proposals_to_a_budget_round(conversation):
    s = conversation.statements.get(number=3)
    with pytest.raises(PermissionDenied):
        actions.follow_up(person("resident"), s, title="Open it", owner="Libraries")
    item = actions.follow_up(person("facilitator"), s, title="Sunday opening trial", owner="Libraries")
    actions.update_follow_up(person("facilitator"), item, status="under_way", text="Trial from March")
    item.refresh_from_db()
    assert item.status == "under_way" and item.updates.count() == 1
    r = budgets.create_round(None, place=Place.objects.get(code="RV-LOC"), title="Small grants", budget=10_000)
    f = actions.propose_to_budget(person("facilitator"), s, round_slug=r.slug, title="Sunday library", cost=4000)
    assert f.budget_project == Project.objects.get(round=r) and "Open the library" in f.budget_project.description


def test_export_in_polis_format_reads_back(conversation, client, tmp_path):
    p = actions.join(None, conversation).participant
    for s in conversation.statements.all():
        actions.cast_vote(p, s, Vote.AGREE if s.number != 2 else Vote.DISAGREE)
    response = client.get(f"/ideas/{conversation.slug}/export.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        z.extractall(tmp_path)
    export = polis_export.read_export(tmp_path)
    assert [c.text for c in export.comments] == ["More benches", "Fewer cars", "Open the library on Sundays"]
    assert sorted((v.participant, v.statement, v.vote) for v in export.votes) == [(0, 1, 1), (0, 2, -1), (0, 3, 1)]


def test_erasure_keeps_statements_and_votes_without_the_person(conversation):
    from django.db import transaction

    p = actions.join(person("resident"), conversation).participant
    actions.cast_vote(p, conversation.statements.get(number=1), Vote.AGREE)
    s = actions.add_statement(p, "My own idea")
    exported = privacy.export_person(person("resident"))["ideas"]
    assert exported["conversations"][0]["statements"][0]["text"] == "My own idea"
    with transaction.atomic():
        privacy.erase_person(person("resident"))
    p.refresh_from_db()
    assert p.user is None and p.pseudonym.startswith("Former participant")
    assert Statement.objects.filter(pk=s.pk).exists() and p.votes.count() == 1

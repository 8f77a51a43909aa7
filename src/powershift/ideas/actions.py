"""Ideas Shop's action functions: the only code that changes a conversation's state.

Each checks permission, validates, writes in one transaction and appends an audit record
(votes are the exception: they are the conversation's own record, kept per participant, and
an audit line per click would only repeat them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from powershift.core.audit import record
from powershift.core.codes import unique_slug
from powershift.core.errors import BadInput
from powershift.core.models import Place, User, Visibility
from powershift.core.permissions import STAFF_ROLES, holds_role
from powershift.formats import polis_export
from powershift.ideas.models import (
    STATEMENT_MAX,
    ActionStatus,
    Conversation,
    FollowUp,
    FollowUpUpdate,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

# Rate limits per participant: enough for anyone taking part in good faith.
STATEMENTS_PER_HOUR = 6
VOTES_PER_MINUTE = 60
# Votes arriving within this many seconds share one analysis run.
ANALYSIS_DELAY = dt.timedelta(seconds=5)

ADJECTIVES = ["Amber", "Blue", "Bright", "Calm", "Clever", "Gentle", "Golden", "Green", "Kind",
              "Quiet", "Rapid", "Silver", "Steady", "Sunny", "Swift", "Warm"]
ANIMALS = ["Badger", "Bee", "Fox", "Hare", "Heron", "Kestrel", "Kingfisher", "Otter", "Owl",
           "Robin", "Swallow", "Wren"]


def _require(perm: str, actor: User | None, obj: object = None) -> None:
    if actor is not None and not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(perm)


def is_open(conversation: Conversation, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return conversation.opens_on <= today <= conversation.closes_on


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write your statement")})
    if len(text) > STATEMENT_MAX:
        raise ValidationError({"text": _("Keep it to %(n)s characters or fewer (it is %(m)s)")
                               % {"n": STATEMENT_MAX, "m": len(text)}})
    return text


def _next_number(conversation: Conversation) -> int:
    return (conversation.statements.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def create_conversation(actor: User | None, *, place: Place, question: str, description: str = "",
                        opens_on: dt.date, closes_on: dt.date, allow_pseudonyms: bool = True,
                        seed_statements: Sequence[str] = ()) -> Conversation:
    if actor is not None and not (actor.is_superuser or holds_role(
            actor, ["facilitator", "administrator"], place)):
        raise PermissionDenied("only facilitators and administrators of the place start conversations")
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The conversation must close after it opens")})
    if not question.strip():
        raise ValidationError({"question": _("Write the question people will respond to")})
    c = Conversation.objects.create(place=place, slug=unique_slug(Conversation, question, "conversation"), question=question.strip(),
                                    description=description, facilitator=actor, opens_on=opens_on,
                                    closes_on=closes_on, allow_pseudonyms=allow_pseudonyms)
    for i, text in enumerate(s for s in seed_statements if s.strip()):
        Statement.objects.create(conversation=c, number=i + 1, text=_clean_text(text), is_seed=True,
                                 status=StatementStatus.ACCEPTED, moderated_by=actor)
    record(actor, "ideas.conversation.create", c, f"Started the conversation: {c.question}",
           visibility=Visibility.PUBLIC, place=place)
    return c


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Joined:
    participant: Participant
    token: str | None  # for a pseudonymous participant: the cookie value, given once


@transaction.atomic
def join(user: User | None, conversation: Conversation) -> Joined:
    """Take part signed in (once per person) or, where allowed, under a pseudonym."""
    if user is not None and user.is_authenticated:
        existing = Participant.objects.filter(conversation=conversation, user=user).first()
        if existing:
            return Joined(existing, None)
        staff = holds_role(user, STAFF_ROLES, conversation.place)
        p = Participant.objects.create(conversation=conversation, user=user,
                                       pseudonym=user.display_name, is_staff_voice=staff)
        return Joined(p, None)
    if not conversation.allow_pseudonyms:
        raise PermissionDenied("sign in to take part in this conversation")
    token = secrets.token_urlsafe(32)
    n = conversation.participants.count() + 1
    name = f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)} {n}"
    p = Participant.objects.create(conversation=conversation, pseudonym=name, token_hash=_hash(token))
    return Joined(p, token)


def participant_for(conversation: Conversation, user: User | None, token: str | None) -> Participant | None:
    if user is not None and user.is_authenticated:
        return Participant.objects.filter(conversation=conversation, user=user).first()
    if token:
        return Participant.objects.filter(conversation=conversation, token_hash=_hash(token)).first()
    return None


@transaction.atomic
def add_statement(participant: Participant, text: str) -> Statement:
    conversation = participant.conversation
    if not is_open(conversation):
        raise ValidationError(_("This conversation is not open"))
    text = _clean_text(text)
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    if participant.statements.filter(created_at__gte=hour_ago).count() >= STATEMENTS_PER_HOUR:
        raise ValidationError({"text": _("You have added %(n)s statements in the last hour; "
                                         "please vote on others' for a while") % {"n": STATEMENTS_PER_HOUR}})
    if conversation.statements.filter(text__iexact=text).exists():
        raise ValidationError({"text": _("Someone has already said exactly that; vote on it instead")})
    s = Statement.objects.create(conversation=conversation, number=_next_number(conversation),
                                 text=text, author=participant, is_staff_voice=participant.is_staff_voice)
    record(participant.user, "ideas.statement.add", s, f"Added statement {s.number} to {conversation.question}",
           visibility=Visibility.STAFF, place=conversation.place)
    return s


@transaction.atomic
def moderate(actor: User, statement: Statement, *, accept: bool, reason: str = "",
             is_meta: bool = False, is_demographic: bool = False) -> Statement:
    """The facilitator accepts or turns down a statement, saying why; the author is told."""
    _require("ideas.moderate", actor, statement.conversation)
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why, so the author understands")})
    statement.status = StatementStatus.ACCEPTED if accept else StatementStatus.REJECTED
    statement.moderation_reason = reason.strip()
    statement.is_meta, statement.is_demographic = is_meta, is_demographic
    statement.moderated_by = actor
    statement.save()
    author = statement.author.user if statement.author else None
    if author is not None and author.email and author.is_active:
        outcome = _("is now in the conversation") if accept else _("was not accepted")
        body = f"Your statement \"{statement.text}\" {outcome}."
        if statement.moderation_reason:
            body += f"\n\nThe facilitator said: {statement.moderation_reason}"
        transaction.on_commit(lambda: send_mail(
            f"Your statement in \"{statement.conversation.question}\"", body, None, [author.email],
            fail_silently=True))
    record(actor, "ideas.statement.moderate", statement,
           f"Statement {statement.number}: {statement.get_status_display()}"
           + (f" ({statement.moderation_reason})" if statement.moderation_reason else ""),
           visibility=Visibility.STAFF, place=statement.conversation.place)
    return statement


def cast_vote(participant: Participant, statement: Statement, value: int) -> Vote:
    """Agree (1), disagree (-1) or pass (0). A second vote on a statement replaces the first."""
    if value not in (Vote.AGREE, Vote.DISAGREE, Vote.PASS):
        raise ValidationError({"value": _("Choose agree, disagree or pass")})
    conversation = participant.conversation
    if statement.conversation_id != conversation.pk or statement.status != StatementStatus.ACCEPTED:
        raise ValidationError(_("That statement is not in this conversation"))
    if not is_open(conversation):
        raise ValidationError(_("This conversation is not open"))
    minute_ago = timezone.now() - dt.timedelta(minutes=1)
    if participant.votes.filter(updated_at__gte=minute_ago).count() >= VOTES_PER_MINUTE:
        raise ValidationError(_("That is a lot of votes in a minute; take a breath and carry on"))
    # One upsert (INSERT ... ON CONFLICT DO UPDATE): the same person's parallel requests leave
    # one row, the latest value, with no read first and no savepoints.
    vote = Vote(participant=participant, statement=statement, value=value)
    Vote.objects.bulk_create([vote], update_conflicts=True, unique_fields=["participant", "statement"],
                             update_fields=["value", "updated_at"])
    transaction.on_commit(lambda: schedule_analysis(conversation.pk))
    return vote


def schedule_analysis(conversation_id: int) -> None:
    """Queue one analysis a few seconds from now unless one is already waiting (debounce)."""
    from powershift.ideas.tasks import analyse_conversation_task

    # The conversation row is written once per analysis, not once per vote: with many people
    # voting at once, a write per vote would queue every vote behind one row lock.
    claimed = Conversation.objects.filter(pk=conversation_id, analysis_queued=False).update(
        analysis_queued=True, votes_changed_at=timezone.now())
    if claimed:
        analyse_conversation_task.using(run_after=timezone.now() + ANALYSIS_DELAY).enqueue(conversation_id)


@transaction.atomic
def follow_up(actor: User, statement: Statement, *, title: str, owner: str) -> FollowUp:
    """Turn what people said into something someone will do, with public progress."""
    _require("ideas.moderate", actor, statement.conversation)
    if not title.strip() or not owner.strip():
        raise ValidationError({"title" if not title.strip() else "owner": _("This is needed")})
    f = FollowUp.objects.create(conversation=statement.conversation, statement=statement,
                                title=title.strip(), owner=owner.strip(), created_by=actor)
    record(actor, "ideas.follow_up.create", f, f"You said, we'll do: {f.title}",
           visibility=Visibility.PUBLIC, place=statement.conversation.place)
    return f


@transaction.atomic
def update_follow_up(actor: User, follow_up: FollowUp, *, status: str, text: str) -> FollowUpUpdate:
    _require("ideas.moderate", actor, follow_up.conversation)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status")})
    if not text.strip():
        raise ValidationError({"text": _("Say what has happened")})
    update = FollowUpUpdate.objects.create(follow_up=follow_up, status=status, text=text.strip())
    follow_up.status = status
    follow_up.save(update_fields=["status"])
    record(actor, "ideas.follow_up.update", follow_up, f"{follow_up.title}: {text.strip()[:80]}",
           visibility=Visibility.PUBLIC, place=follow_up.conversation.place)
    return update


@transaction.atomic
def propose_to_budget(actor: User, statement: Statement, *, round_slug: str, title: str,
                      cost: int) -> FollowUp:
    """Take a statement into a participatory budget round that is taking proposals."""
    from powershift.budgets import actions as budgets
    from powershift.budgets.models import Round

    _require("ideas.moderate", actor, statement.conversation)
    round = Round.objects.filter(slug=round_slug).first()
    if round is None:
        raise ValidationError({"round": _("Choose a budget round")})
    project = budgets.propose_project(
        actor, round, title=title, cost_breakdown=[{"item": "Estimated cost", "amount": cost}],
        description=f"From the Ideas Shop conversation \"{statement.conversation.question}\": "
                    f"{statement.text}")
    f = follow_up(actor, statement, title=title, owner=f"{round.title} (participatory budget)")
    f.budget_project = project
    f.save(update_fields=["budget_project"])
    return f


@transaction.atomic
def import_polis(actor: User | None, export: polis_export.PolisExport, *, place: Place,
                 question: str) -> Conversation:
    """A conversation held on Polis, brought in whole (statements, participants, votes) and
    analysed; it stays open for as long as its votes ran, and can be reopened by editing."""
    if not export.comments:
        raise BadInput(f"{export.source}: the export has no statements; check comments.csv")
    stamps = [c.timestamp for c in export.comments] + [v.timestamp for v in export.votes]
    day = [dt.datetime.fromtimestamp(t / 1000, tz=dt.UTC).date() for t in stamps if t] or [timezone.localdate()]
    c = create_conversation(actor, place=place, question=question, opens_on=min(day), closes_on=max(day),
                            allow_pseudonyms=False,
                            description=f"Imported from a Polis export ({export.source}).")
    pids = sorted({v.participant for v in export.votes} | {x.author for x in export.comments if x.author is not None})
    people = Participant.objects.bulk_create(
        [Participant(conversation=c, pseudonym=f"Polis participant {pid}") for pid in pids])
    by_pid = dict(zip(pids, people, strict=True))
    status = {1: StatementStatus.ACCEPTED, 0: StatementStatus.PENDING, -1: StatementStatus.REJECTED}
    statements = Statement.objects.bulk_create([
        Statement(conversation=c, number=x.id, text=x.text[:STATEMENT_MAX],
                  author=by_pid.get(x.author) if x.author is not None else None,
                  status=status[max(-1, min(1, x.moderated))], is_meta=x.is_meta)
        for x in export.comments])
    by_number = {s.number: s for s in statements}
    latest: dict[tuple[int, int], polis_export.Vote] = {}
    for v in sorted(export.votes, key=lambda v: v.timestamp):
        latest[(v.participant, v.statement)] = v
    Vote.objects.bulk_create([Vote(participant=by_pid[p], statement=by_number[s], value=v.vote)
                              for (p, s), v in latest.items()], batch_size=2000)
    record(actor, "ideas.conversation.import", c,
           f"Imported {len(statements)} statements and {len(latest)} votes from {export.source}",
           visibility=Visibility.PUBLIC, place=place)
    return c

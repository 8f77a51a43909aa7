"""Ideas Shop pages: thin, parse the request, call an action or a query, render."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.core.forms import show_action_errors, submitted
from powershift.core.models import Place
from powershift.core.types import AuthedRequest
from powershift.ideas import actions, charts, exports, queries
from powershift.ideas.forms import (
    BudgetProposalForm,
    ConversationForm,
    FollowUpForm,
    FollowUpUpdateForm,
    ModerateForm,
    StatementForm,
)
from powershift.ideas.models import (
    Conversation,
    FollowUp,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from powershift.ideas.permissions import FACILITATORS

NAV = "ideas"
COOKIE_DAYS = 90


def _cookie(conversation: Conversation) -> str:
    return f"ideas-{conversation.pk}"


def _conversation(slug: str, *, with_analysis: bool = True) -> Conversation:
    conversations = Conversation.objects.select_related("place")
    if not with_analysis:  # the vote path reads only the routing priorities (queries.next_statement)
        conversations = conversations.defer("analysis")
    return get_object_or_404(conversations, slug=slug)


def _participant(request: HttpRequest, conversation: Conversation) -> Participant | None:
    participant = actions.participant_for(conversation, request.user,  # type: ignore[arg-type]
                                          request.COOKIES.get(_cookie(conversation)))
    if participant is not None:
        participant.conversation = conversation  # already loaded
    return participant


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"ideas/{template}", {"nav": NAV, **context})


def _facilitator(request: HttpRequest, conversation: Conversation) -> None:
    if not rules.has_perm("ideas.moderate", request.user, conversation):
        raise PermissionDenied


def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "index.html", {
        "conversations": queries.conversations(),
        "can_start": rules.has_perm("ideas.start_conversation", request.user)})


@login_required
def new(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm("ideas.start_conversation", request.user):
        raise PermissionDenied
    places = Place.objects.filter(role_assignments__user=request.user,
                                  role_assignments__role__in=list(FACILITATORS)).distinct()
    form = ConversationForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c = actions.create_conversation(
                request.user, place=d["place"], question=d["question"], description=d["description"],
                opens_on=d["opens_on"], closes_on=d["closes_on"],
                allow_pseudonyms=d["allow_pseudonyms"], seed_statements=d["seeds"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("The conversation is ready"))
            return redirect(c)
    return _page(request, "new.html", {"form": form})


def _card_context(request: HttpRequest, conversation: Conversation,
                  participant: Participant | None) -> dict[str, Any]:
    card = queries.card(participant) if participant else queries.Card(None, 0, 0)
    return {"conversation": conversation, "participant": participant,
            "statement": card.statement, "voted": card.voted, "total": card.total,
            "open": actions.is_open(conversation),
            "choices": Vote.CHOICES}


def conversation(request: HttpRequest, slug: str) -> HttpResponse:
    c = _conversation(slug)
    participant = _participant(request, c)
    return _page(request, "conversation.html", {
        **_card_context(request, c, participant),
        "statement_form": StatementForm(),
        "mine": participant.statements.order_by("-number") if participant else [],
        "can_moderate": rules.has_perm("ideas.moderate", request.user, c),
        "follow_ups": c.follow_ups.select_related("statement")[:20],
    })


@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    c = _conversation(slug)
    if _participant(request, c) is None:
        if not request.user.is_authenticated and not c.allow_pseudonyms:
            return redirect(f"/account/sign-in/?next={c.get_absolute_url()}")
        joined = actions.join(request.user, c)  # type: ignore[arg-type]
        response = redirect(c)
        if joined.token:
            response.set_cookie(_cookie(c), joined.token, max_age=COOKIE_DAYS * 86400,
                                httponly=True, samesite="Lax", secure=request.is_secure())
            messages.info(request, _("You are taking part as %(name)s") % {"name": joined.participant.pseudonym})
        return response
    return redirect(c)


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    c = _conversation(slug, with_analysis=False)
    participant = _participant(request, c)
    if participant is None:
        return redirect(c)
    statement = get_object_or_404(Statement, conversation=c, number=request.POST.get("statement", 0))
    try:
        actions.cast_vote(participant, statement, int(request.POST.get("value", "x")))
    except (ValidationError, ValueError) as e:
        messages.error(request, " ".join(getattr(e, "messages", [_("Choose agree, disagree or pass")])))
    if request.headers.get("HX-Request"):
        return render(request, "ideas/_card.html", _card_context(request, c, participant))
    return redirect(f"{c.get_absolute_url()}#vote")


@require_POST
def add_statement(request: HttpRequest, slug: str) -> HttpResponse:
    c = _conversation(slug)
    participant = _participant(request, c)
    if participant is None:
        return redirect(c)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            actions.add_statement(participant, form.cleaned_data["text"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Thank you. A facilitator will check your statement soon."))
            return redirect(c)
    return _page(request, "conversation.html", {
        **_card_context(request, c, participant), "statement_form": form,
        "mine": participant.statements.order_by("-number"),
        "can_moderate": rules.has_perm("ideas.moderate", request.user, c),
        "follow_ups": c.follow_ups.all()[:20]})


def report(request: HttpRequest, slug: str) -> HttpResponse:
    c = _conversation(slug)
    analysis = c.analysis or {}
    return _page(request, "report.html", {
        "conversation": c, "analysis": analysis,
        "map": charts.opinion_map(analysis),
        "statements": {s.number: s for s in c.statements.all()},
        "can_moderate": rules.has_perm("ideas.moderate", request.user, c),
        "follow_ups": c.follow_ups.select_related("statement", "budget_project__round").prefetch_related("updates"),
    })


@login_required
def moderate(request: AuthedRequest, slug: str, number: int | None = None) -> HttpResponse:
    c = _conversation(slug)
    _facilitator(request, c)
    form = None
    if number is not None:
        statement = get_object_or_404(Statement, conversation=c, number=number)
        form = ModerateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.moderate(request.user, statement, accept=d["decision"] == "accept",
                                 reason=d["reason"], is_meta=d["is_meta"],
                                 is_demographic=d["is_demographic"])
            except ValidationError as e:
                show_action_errors(form, e)
            else:
                messages.success(request, _("Statement %(n)s: decision recorded") % {"n": number})
                return redirect("ideas:moderate", c.slug)
    queue = c.statements.filter(status=StatementStatus.PENDING).order_by("number")
    return _page(request, "moderate.html", {
        "conversation": c, "queue": queue, "form": form, "failed": number,
        "decided": c.statements.exclude(status=StatementStatus.PENDING).exclude(is_seed=True).order_by("-number")[:30]})


@login_required
def follow_up(request: AuthedRequest, slug: str, number: int) -> HttpResponse:
    c = _conversation(slug)
    _facilitator(request, c)
    statement = get_object_or_404(Statement, conversation=c, number=number)
    form = FollowUpForm(request.POST or None)
    if submitted(request, form, lambda d: actions.follow_up(request.user, statement, **d),
                 _("Published under 'You said, we did'")):
        return redirect("ideas:report", c.slug)
    return _page(request, "follow_up.html", {"form": form, "conversation": c, "statement": statement})


@login_required
def to_budget(request: AuthedRequest, slug: str, number: int) -> HttpResponse:
    from powershift.budgets.models import Round, Stage

    c = _conversation(slug)
    _facilitator(request, c)
    statement = get_object_or_404(Statement, conversation=c, number=number)
    rounds = [(r.slug, r.title) for r in Round.objects.filter(stage=Stage.PROPOSALS)]
    form = BudgetProposalForm(request.POST or None, rounds=rounds, initial={"title": statement.text[:200]})
    if submitted(request, form, lambda d: actions.propose_to_budget(
            request.user, statement, round_slug=d["round"], title=d["title"], cost=d["cost"]),
                 _("Proposed to the budget round")):
        return redirect("ideas:report", c.slug)
    return _page(request, "to_budget.html", {"form": form, "conversation": c, "statement": statement})


@login_required
def update_follow_up(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    c = _conversation(slug)
    _facilitator(request, c)
    item = get_object_or_404(FollowUp, conversation=c, pk=pk)
    form = FollowUpUpdateForm(request.POST or None)
    if submitted(request, form, lambda d: actions.update_follow_up(request.user, item, **d),
                 _("Update published")):
        return redirect("ideas:report", c.slug)
    return _page(request, "follow_up_update.html", {"form": form, "conversation": c, "item": item})


def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The conversation in Polis's export format (comments.csv, votes.csv,
    participants-votes.csv), zipped: anyone can analyse it with Polis's own tools."""
    c = _conversation(slug)
    with tempfile.TemporaryDirectory() as folder:
        exports.write_polis(c, Path(folder))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(Path(folder).iterdir()):
                z.write(path, path.name)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{c.slug}-polis-export.zip"'
    return response

"""Citizens' panel pages: thin, parse the request, call an action or a query, render."""

from __future__ import annotations

import csv
import io
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.core.forms import show_action_errors
from powershift.core.models import Place
from powershift.core.types import AuthedRequest
from powershift.panels import actions, queries
from powershift.panels.forms import (
    InviteForm,
    MeetingForm,
    PanelForm,
    ProgressForm,
    RecommendationForm,
    ResponseForm,
    SeedForm,
    VolunteerForm,
)
from powershift.panels.models import STAGE_ORDER, Panel, PanelStage, Recommendation, Volunteer
from powershift.panels.permissions import RUNNERS

NAV = "panels"
REPLY_SALT = "panels.reply"


def _panel(slug: str) -> Panel:
    return get_object_or_404(Panel.objects.select_related("place", "progress"), slug=slug)


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"panels/{template}", {"nav": NAV, **context})


def _managed(request: HttpRequest, slug: str) -> Panel:
    panel = _panel(slug)
    if not rules.has_perm("panels.manage", request.user, panel):
        raise PermissionDenied
    return panel


def reply_link(volunteer: Volunteer) -> str:
    return f"/panels/{volunteer.panel.slug}/reply/{signing.dumps(volunteer.pk, salt=REPLY_SALT)}/"


def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "index.html", {"panels": queries.panels(),
                                         "can_start": rules.has_perm("panels.run_panel_in", request.user, None)})


def panel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    panel = _panel(slug)
    return _page(request, "panel.html", {
        "panel": panel, "groups": queries.groups(panel),
        "meetings": panel.meetings.all(),
        "recommendations": panel.recommendations.prefetch_related("updates"),
        "can_manage": rules.has_perm("panels.manage", request.user, panel),
        "can_respond": rules.has_perm("panels.respond", request.user, panel)})


@login_required
def new(request: AuthedRequest) -> HttpResponse:
    places = Place.objects.filter(role_assignments__user=request.user,
                                  role_assignments__role__in=list(RUNNERS)).distinct()
    if not places.exists() and not request.user.is_superuser:
        raise PermissionDenied
    form = PanelForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            panel = actions.create_panel(
                request.user, place=d["place"], question=d["question"], description=d["description"],
                size=d["size"], recruitment_closes=d["recruitment_closes"], meets_from=d["meets_from"],
                meets_to=d["meets_to"], quotas=d["quotas"], algorithm=d["algorithm"],
                households=d["households"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("The panel is recruiting"))
            return redirect("panels:manage", panel.slug)
    return _page(request, "new.html", {"form": form})


def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Answer an invitation letter (no account needed)."""
    panel = _panel(slug)
    form = VolunteerForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.volunteer(None, panel, code=d["code"], name=d["name"], email=d["email"],
                              phone=d["phone"], features=form.features(), consent=d["consent"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            return _page(request, "joined.html", {"panel": panel})
    return _page(request, "join.html", {"form": form, "panel": panel})


def _manage_context(request: HttpRequest, panel: Panel, **forms: Any) -> dict[str, Any]:
    members = list(queries.panel_members(panel))
    return {
        "panel": panel, "groups": queries.groups(panel), "pool": panel.volunteers.count(),
        "members": [(v, reply_link(v)) for v in members],
        "declined": sum(1 for v in members if v.status == "declined"),
        "next_stage": next((s for s in STAGE_ORDER[STAGE_ORDER.index(panel.stage) + 1:]
                            if s != PanelStage.SELECTED), None) if panel.stage != PanelStage.RECRUITING else None,
        "invite_form": forms.get("invite_form") or InviteForm(),
        "seed_form": forms.get("seed_form") or SeedForm(),
        "phone_form": forms.get("phone_form") or VolunteerForm(panel=panel, by_staff=True),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "recommendation_form": forms.get("recommendation_form") or RecommendationForm(),
    }


@login_required
def manage(request: AuthedRequest, slug: str) -> HttpResponse:
    panel = _managed(request, slug)
    return _page(request, "manage.html", _manage_context(request, panel))


@login_required
@require_POST
def manage_post(request: AuthedRequest, slug: str, what: str) -> HttpResponse:
    """Every facilitator form on the manage page posts here; `what` says which."""
    panel = _managed(request, slug)
    user = request.user
    forms: dict[str, Any] = {}
    form: Any
    try:
        if what == "invite":
            form = forms["invite_form"] = InviteForm(request.POST, request.FILES)
            if form.is_valid():
                letters = actions.invite(user, panel, form.cleaned_data["addresses"], form.cleaned_data["count"])
                out = io.StringIO()
                csv.writer(out).writerows([("reference", "code", "address", "answer_at"),
                                           *[(r, c, a, request.build_absolute_uri(f"/panels/{panel.slug}/join/"))
                                             for r, c, a in letters]])
                response = HttpResponse(out.getvalue(), content_type="text/csv")
                response["Content-Disposition"] = f'attachment; filename="{panel.slug}-letters.csv"'
                return response
        elif what == "phone":
            form = forms["phone_form"] = VolunteerForm(request.POST, panel=panel, by_staff=True)
            if form.is_valid():
                d = form.cleaned_data
                actions.volunteer(user, panel, code=d["code"], name=d["name"], email=d["email"], phone=d["phone"],
                                  features=form.features(), consent=d["consent"], address=d.get("address", ""))
                messages.success(request, _("Added to the pool"))
                return redirect("panels:manage", panel.slug)
        elif what == "seed":
            form = forms["seed_form"] = SeedForm(request.POST)
            if form.is_valid():
                actions.commit_to_seed(user, panel, form.cleaned_data["seed"])
                messages.success(request, _("The commitment is published; draw when ready"))
                return redirect("panels:manage", panel.slug)
        elif what == "draw":
            actions.start_selection(user, panel)
            return redirect("panels:manage", panel.slug)
        elif what in ("accept", "decline"):
            v = get_object_or_404(Volunteer, panel=panel, pk=request.POST.get("volunteer"))
            actions.answer(panel, v, accept=what == "accept", actor=user)
            return redirect("panels:manage", panel.slug)
        elif what == "replace":
            people = actions.draw_replacements(user, panel)
            messages.success(request, _("%(n)s replacements drawn") % {"n": len(people)})
            return redirect("panels:manage", panel.slug)
        elif what == "advance":
            actions.advance(user, panel, request.POST.get("to", ""))
            return redirect("panels:manage", panel.slug)
        elif what == "meeting":
            form = forms["meeting_form"] = MeetingForm(request.POST)
            if form.is_valid():
                actions.add_meeting(user, panel, **form.cleaned_data)
                return redirect("panels:manage", panel.slug)
        elif what == "recommendation":
            form = forms["recommendation_form"] = RecommendationForm(request.POST)
            if form.is_valid():
                actions.add_recommendation(user, panel, **form.cleaned_data)
                return redirect("panels:manage", panel.slug)
        else:
            raise Http404
    except ValidationError as e:
        target = next(iter(forms.values()), None)
        if target is None:
            messages.error(request, " ".join(e.messages))
            return redirect("panels:manage", panel.slug)
        show_action_errors(target, e)
    return _page(request, "manage.html", _manage_context(request, panel, **forms))


def reply(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A selected person's private page: accept or decline the place on the panel."""
    panel = _panel(slug)
    try:
        pk = signing.loads(token, salt=REPLY_SALT, max_age=60 * 60 * 24 * 60)
    except signing.BadSignature:
        raise Http404("this link is not valid") from None
    v = get_object_or_404(Volunteer, panel=panel, pk=pk)
    if request.method == "POST":
        try:
            actions.answer(panel, v, accept=request.POST.get("answer") == "accept")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return redirect(request.path)
    return _page(request, "reply.html", {"panel": panel, "volunteer": v})


@login_required
def respond(request: AuthedRequest, slug: str, number: int) -> HttpResponse:
    panel = _panel(slug)
    if not rules.has_perm("panels.respond", request.user, panel):
        raise PermissionDenied
    rec = get_object_or_404(Recommendation, panel=panel, number=number)
    form = ResponseForm(request.POST or None, prefix="answer")
    progress = ProgressForm(request.POST or None, prefix="progress")
    if request.method == "POST":
        chosen = form if "answer-status" in request.POST else progress
        if chosen.is_valid():
            try:
                if chosen is form:
                    actions.respond(request.user, rec, **form.cleaned_data)
                else:
                    actions.post_progress(request.user, rec, progress.cleaned_data["text"])
            except ValidationError as e:
                show_action_errors(chosen, e)
            else:
                messages.success(request, _("Published"))
                return redirect(panel)
    return _page(request, "respond.html", {"panel": panel, "rec": rec, "form": form, "progress_form": progress})

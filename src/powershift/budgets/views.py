"""Budget round pages: thin, parse the request, call an action or a query, render."""

from __future__ import annotations

import csv
import io
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.budgets import actions, charts, exports, queries
from powershift.budgets.forms import (
    BallotForm,
    CodeForm,
    LettersForm,
    PaperBallotForm,
    ProjectForm,
    RegisterForm,
    ReviewProjectForm,
    RoundForm,
    UpdateForm,
    VenueForm,
)
from powershift.budgets.models import STAGE_ORDER, Project, Round, Stage
from powershift.budgets.permissions import ROUND_MANAGERS
from powershift.core.errors import BadInput
from powershift.core.forms import show_action_errors, submitted
from powershift.core.models import Place, User
from powershift.core.types import AuthedRequest

NAV = "budgets"


def _round(slug: str) -> Round:
    return get_object_or_404(Round.objects.select_related("place"), slug=slug)


def _project(round: Round, number: int) -> Project:
    return get_object_or_404(Project.objects.select_related("round", "proposer", "organisation"),
                             round=round, number=number)


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"budgets/{template}", {"nav": NAV, **context})


def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "index.html", {
        "rounds": queries.rounds(),
        "can_create": rules.has_perm("budgets.create_round", request.user),
    })


def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round = _round(slug)
    voter = actions.voter_for(request.user, round) if request.user.is_authenticated else None  # type: ignore[arg-type]
    return _page(request, "round.html", {
        "round": round,
        "phases": round.phases.all(),
        "stages": [(s, Stage(s).label, round.reached(s), s == round.stage) for s in STAGE_ORDER],
        "projects": queries.public_projects(round),
        "voter": voter,
        "can_manage": rules.has_perm("budgets.manage_round", request.user, round),
        "can_check": rules.has_perm("budgets.check_voters", request.user, round),
    })


def project_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    round = _round(slug)
    project = _project(round, number)
    figures = (round.result or {}).get("projects", {}).get(str(number)) if round.reached(Stage.RESULTS) else None
    return _page(request, "project.html", {
        "round": round, "project": project, "figures": figures,
        "updates": project.updates.select_related("author"),
        "can_revise": rules.has_perm("budgets.revise_project", request.user, project)
        and not round.reached(Stage.VOTING),
        "can_review": rules.has_perm("budgets.review_project", request.user, project)
        and not round.reached(Stage.VOTING),
        "can_update": figures is not None and figures.get("funded")
        and rules.has_perm("budgets.post_update", request.user, project),
    })


@login_required
def new_round(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm("budgets.create_round", request.user):
        raise PermissionDenied
    places = Place.objects.filter(
        role_assignments__user=request.user, role_assignments__role__in=list(ROUND_MANAGERS)
    ).distinct().order_by("name")
    form = RoundForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            round = actions.create_round(
                request.user, place=d["place"], title=d["title"], description=d["description"],
                kind=d["kind"], budget=d["budget"], ballot_kind=d["ballot_kind"],
                max_choices=d["max_choices"], points=d["points"], rule=d["rule"],
                min_age=d["min_age"], phases=[
                    actions.PhasePlan(Stage.PROPOSALS, _today(), d["proposals_close"]),
                    actions.PhasePlan(Stage.VOTING, d["voting_opens"], d["voting_closes"]),
                ])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("The round is open for proposals"))
            return redirect(round)
    return _page(request, "new_round.html", {"form": form})


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@login_required
def propose(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _round(slug)
    form = ProjectForm(request.POST or None, round=round,
                       organisations=queries.organisations_of(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = actions.propose_project(
                request.user, round, title=d["title"], description=d["description"],
                category=d["category"], cost_breakdown=d["costs"], latitude=d["latitude"],
                longitude=d["longitude"], organisation=d.get("organisation"))
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Thank you. Staff will check whether it can go on the ballot."))
            return redirect(project)
    return _page(request, "propose.html", {"form": form, "round": round})


@login_required
def revise(request: AuthedRequest, slug: str, number: int) -> HttpResponse:
    round = _round(slug)
    project = _project(round, number)
    if not rules.has_perm("budgets.revise_project", request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, round=round, initial=ProjectForm.initial_for(project),
                       organisations=queries.organisations_of(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.revise_project(request.user, project, title=d["title"],
                                   description=d["description"], category=d["category"],
                                   cost_breakdown=d["costs"], latitude=d["latitude"],
                                   longitude=d["longitude"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Your changes are saved and will be reviewed again"))
            return redirect(project)
    return _page(request, "propose.html", {"form": form, "round": round, "project": project})


@login_required
def review(request: AuthedRequest, slug: str, number: int) -> HttpResponse:
    round = _round(slug)
    project = _project(round, number)
    if not rules.has_perm("budgets.review_project", request.user, project):
        raise PermissionDenied
    form = ReviewProjectForm(request.POST or None)
    if submitted(request, form, lambda d: actions.review_project(
            request.user, project, feasible=d["decision"] == "feasible", reason=d["reason"]),
                 _("Your decision is published")):
        return redirect(round)
    return _page(request, "review.html", {"form": form, "round": round, "project": project})


@login_required
def claim_code(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _round(slug)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.claim_letter_code(request.user, round, form.cleaned_data["code"],
                                      form.cleaned_data["date_of_birth"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Thank you. You can now vote."))
            return redirect("budgets:vote", round.slug)
    return _page(request, "code.html", {"form": form, "round": round})


@login_required
def vote(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _round(slug)
    if round.stage != Stage.VOTING:
        messages.info(request, _("Voting is not open in this round"))
        return redirect(round)
    voter = actions.voter_for(request.user, round)
    if voter is None:
        return redirect("budgets:code", round.slug)
    if voter.has_voted:
        return _page(request, "voted.html", {"round": round})
    projects = queries.ballot(round)
    form = BallotForm(request.POST or None, round=round, projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cast_ballot(request.user, round, form.choices())
        except actions.AlreadyVoted:
            return _page(request, "voted.html", {"round": round})
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            return _page(request, "voted.html", {"round": round, "just_voted": True})
    return _page(request, "vote.html", {"form": form, "round": round})


def _staff_round(request: AuthedRequest, slug: str, perm: str = "budgets.check_voters") -> Round:
    round = _round(slug)
    if not rules.has_perm(perm, request.user, round):
        raise PermissionDenied
    return round


@login_required
def manage(request: AuthedRequest, slug: str, forms: dict[str, Any] | None = None) -> HttpResponse:
    round = _staff_round(request, slug)
    voted, eligible = queries.turnout(round)
    next_stages = [(s, Stage(s).label) for s in STAGE_ORDER[STAGE_ORDER.index(round.stage) + 1:][:1]]
    return _page(request, "manage.html", {
        "round": round, "voted": voted, "eligible": eligible, "next_stages": next_stages,
        "can_manage": rules.has_perm("budgets.manage_round", request.user, round),
        "to_review": round.projects.filter(status="submitted"),
        "letters_form": LettersForm(), "register_form": RegisterForm(), "venue_form": VenueForm(),
        **(forms or {}),
    })


@login_required
@require_POST
def advance(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _staff_round(request, slug, "budgets.manage_round")
    try:
        actions.advance_stage(request.user, round, request.POST.get("to", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The round has moved on"))
    return redirect("budgets:manage", round.slug)


@login_required
@require_POST
def letters(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _staff_round(request, slug, "budgets.manage_round")
    form = LettersForm(request.POST)
    if not form.is_valid():
        return manage(request, slug, {"letters_form": form})
    codes = actions.issue_letter_codes(request.user, round, form.cleaned_data["count"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "code", "round", "vote_at"])
    url = request.build_absolute_uri(f"/budgets/{round.slug}/code/")
    writer.writerows([ref, code, round.title, url] for ref, code in codes)
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-letters.csv"'
    return response


@login_required
@require_POST
def register(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _staff_round(request, slug, "budgets.manage_round")
    form = RegisterForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload = request.FILES["register"]
            n = actions.import_register(request.user, round, form.cleaned_data["register"],
                                        source=getattr(upload, "name", "register.csv"))
        except BadInput as e:
            form.add_error("register", str(e))
        else:
            messages.success(request, _("%(n)s people added from the register") % {"n": n})
            return redirect("budgets:manage", round.slug)
    return manage(request, slug, {"register_form": form})


@login_required
@require_POST
def venue(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _staff_round(request, slug)
    form = VenueForm(request.POST)
    if form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        try:
            if person is None:
                raise ValidationError({"email": _("No account has that email address; help the "
                                                  "person create one first")})
            actions.check_at_venue(request.user, round, person,
                                   age_confirmed=form.cleaned_data["age_confirmed"])
            if form.cleaned_data["paper"]:
                actions.give_paper_ballot(request.user, round, person)
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("%(who)s can vote") % {"who": person.display_name})
            return redirect("budgets:manage", round.slug)
    return manage(request, slug, {"venue_form": form})


@login_required
def paper(request: AuthedRequest, slug: str) -> HttpResponse:
    round = _staff_round(request, slug)
    form = PaperBallotForm(request.POST or None, round=round, projects=queries.ballot(round))
    if request.method == "POST" and form.is_valid():
        try:
            outcome = actions.key_paper_ballot(request.user, round, form.cleaned_data["paper_number"],
                                               form.choices())
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            if outcome.counted:
                messages.success(request, _("Both keyings agree: the ballot is counted"))
            elif outcome.mismatch:
                messages.warning(request, _("This keying differs from an earlier one. Another "
                                            "person must key the paper again."))
            else:
                messages.success(request, _("Saved. A second person must key the same paper."))
            return redirect("budgets:paper", round.slug)
    return _page(request, "paper.html", {"form": form, "round": round})


def results(request: HttpRequest, slug: str) -> HttpResponse:
    round = _round(slug)
    if not round.reached(Stage.RESULTS):
        messages.info(request, _("Results are published when voting has closed"))
        return redirect(round)
    rows = queries.result_rows(round)
    return _page(request, "results.html", {
        "round": round, "result": round.result, "rows": rows,
        "chart": charts.results_chart(rows, round.budget),
    })


def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    round = _round(slug)
    if not round.reached(Stage.RESULTS):
        raise PermissionDenied("ballots are published after voting closes")
    if fmt == "pb":
        body, ctype = exports.round_to_pb(round), "text/plain; charset=utf-8"
    else:
        body, ctype = exports.results_csv(round), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{round.slug}.{fmt}"'
    return response


@login_required
def post_update(request: AuthedRequest, slug: str, number: int) -> HttpResponse:
    round = _round(slug)
    project = _project(round, number)
    if not rules.has_perm("budgets.post_update", request.user, project):
        raise PermissionDenied
    form = UpdateForm(request.POST or None)
    if submitted(request, form, lambda d: actions.post_update(request.user, project, **d),
                 _("Update published")):
        return redirect(project)
    return _page(request, "update.html", {"form": form, "round": round, "project": project})

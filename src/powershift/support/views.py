"""Support pages: thin, parse the request, call an action or a query, render. Every page that
shows a record reads it through queries.person_for, which checks permission and logs the read."""

from __future__ import annotations

import json
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.core.forms import submitted
from powershift.core.models import Organisation, Place, PlaceKind, User
from powershift.core.types import AuthedRequest
from powershift.support import actions, charts, exports, queries
from powershift.support.forms import (
    AnswerForm,
    AttendedForm,
    BreakGlassForm,
    CloseForm,
    ConsentForm,
    ContactForm,
    EraseForm,
    InstrumentForm,
    NewPersonForm,
    NoteBackForm,
    Ons4Form,
    OutcomeForm,
    PersonForm,
    PlanForm,
    RateForm,
    ReferForm,
    ReferSearchForm,
    TeamForm,
    UnitCostForm,
)
from powershift.support.models import BreakGlass, Consent, Goal, Instrument

NAV = "support"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"support/{template}", {"nav": NAV, **context})


def _about(data: dict[str, Any]) -> dict[str, str]:
    return {k: data.get(k) or "" for k in actions.ABOUT_FIELDS}


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"signed_in": user.is_authenticated}
    if user.is_authenticated:
        assert isinstance(user, User)
        own = getattr(user, "support_record", None)
        context.update({
            "own": own,
            "is_support_staff": queries.is_support_staff(user),
            "chase": queries.referrals_waiting_too_long(user),
            "group_referrals": queries.referrals_to_my_groups(user),
            "is_group": queries.holds_role_in_any_group(user),
            "can_break_glass": rules.has_perm("support.break_glass", user),
            "can_review": rules.has_perm("support.review_break_glass", user),
        })
        context["lists_people"] = rules.has_perm("support.break_glass", user)  # any staff role
        if context["lists_people"]:
            form = ReferSearchForm(request.GET or None)
            text = form.cleaned_data["q"] if form.is_valid() else ""
            context.update({"people": queries.people(user, text), "search": form})
    return _page(request, "index.html", context)


@login_required
def new_person(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm("support.add_person", request.user):
        raise PermissionDenied
    form = NewPersonForm(request.POST or None, keyworkers=queries.keyworkers(),
                         agencies=queries.agencies_for(request.user))
    created: dict[str, Any] = {}

    def act(d: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        account = None
        if d.get("email"):
            account = User.objects.filter(email__iexact=d["email"], is_active=True).first()
            if account is None:
                raise ValidationError({"email": _("No account has that email address; leave it empty "
                                                  "and link it later")})
        place = Place.objects.filter(kind=PlaceKind.LOCALITY).order_by("id").first()
        if place is None:
            raise ValidationError(_("Set up a place first"))
        created["person"] = actions.create_person(
            request.user, about=_about(d), place=place, agency=d["agency"], keyworker=d.get("keyworker"),
            consent_expires_on=d.get("consent_expires_on"), user=account)

    if submitted(request, form, act, _("The record is created")):
        return redirect(created["person"])
    return _page(request, "person_form.html", {"form": form, "person": None})


def _person(request: AuthedRequest, pk: int, what: str, perm: str = "support.open") -> Any:
    return queries.person_for(request.user, pk, what, perm)


@login_required
def person(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "record")
    user = request.user
    rows = queries.ons4_rows(p)
    return _page(request, "person.html", {
        "person": p, "team": queries.team(p), "consents": queries.consents(p),
        "covered": queries.covered_agencies(p), "goals": queries.goals(p),
        "plan": getattr(p, "plan", None), "referrals": queries.referrals(p),
        "contacts": queries.contacts(p)[:5], "ons4": rows, "chart": charts.ons4_chart(rows),
        "latest_ons4": rows[-1] if rows else None, "other_outcomes": queries.instrument_rows(p),
        "instruments": queries.instruments(),
        "is_the_person": p.user_id == user.pk,
        "can_work": rules.has_perm("support.work_on", user, p),
        "can_export": rules.has_perm("support.export", user, p),
        "can_see_access": rules.has_perm("support.see_access", user, p),
        "can_erase": rules.has_perm("support.erase", user, p),
    })


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    own = getattr(request.user, "support_record", None)
    if own is None:
        raise Http404
    return redirect(own)


@login_required
def edit_person(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "about the person (to change)", "support.work_on")
    initial = {k: getattr(p, k) for k in actions.ABOUT_FIELDS} | {"keyworker": p.keyworker_id}
    form = PersonForm(request.POST or None, initial=initial, keyworkers=queries.keyworkers())
    if submitted(request, form, lambda d: actions.update_person(request.user, p, _about(d), d.get("keyworker")),
                 _("Saved")):
        return redirect(p)
    return _page(request, "person_form.html", {"form": form, "person": p})


@login_required
def add_team(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "team (to change)", "support.work_on")
    form = TeamForm(request.POST or None)

    def act(d: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        member = User.objects.filter(email__iexact=d["email"], is_active=True).first()
        if member is None:
            raise ValidationError({"email": _("No account has that email address")})
        actions.add_team_member(request.user, p, member, d["organisation"], d["role"])

    if submitted(request, form, act, _("They are now in the team; they can open the record while "
                                       "the person's consent covers their agency")):
        return redirect(p)
    return _page(request, "form.html", {"form": form, "person": p, "title": _("Add someone to the team")})


@login_required
def add_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "consent (to change)", "support.withdraw_consent")
    form = ConsentForm(request.POST or None)
    if submitted(request, form, lambda d: actions.record_consent(
            request.user, p, d["organisation"], d["purpose"], d.get("expires_on"), d.get("starts_on")),
            _("Consent recorded")):
        return redirect(p)
    return _page(request, "form.html", {"form": form, "person": p, "title": _("Record consent")})


@login_required
@require_POST
def withdraw_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(Consent.objects.select_related("person"), pk=pk)
    if not rules.has_perm("support.withdraw_consent", request.user, consent.person):
        raise Http404
    actions.withdraw_consent(request.user, consent)
    messages.success(request, _("Consent withdrawn. It applies from now."))
    if rules.has_perm("support.open", request.user, consent.person):
        return redirect(consent.person)
    return redirect("support:index")


@login_required
@require_POST
def discharge(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "record (to discharge)", "support.work_on")
    actions.discharge_person(request.user, p)
    messages.success(request, _("Discharged. The record is kept for the retention period, then erased."))
    return redirect(p)


@login_required
def add_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "notes (to add one)", "support.work_on")
    form = ContactForm(request.POST or None, agencies=queries.agencies_for(request.user, p),
                       initial={"happened_on": timezone.localdate()})
    if submitted(request, form, lambda d: actions.add_contact(
            request.user, p, organisation=d["organisation"], kind=d["kind"], happened_on=d["happened_on"],
            note=d["note"], assessment=d["assessment"]), _("Note saved")):
        return redirect(p)
    return _page(request, "form.html", {"form": form, "person": p, "title": _("Add a conversation or contact")})


@login_required
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "support plan (to change)", "support.work_on")
    goals = queries.goals(p)
    existing = getattr(p, "plan", None)
    form = PlanForm(request.POST or None, goals=goals,
                    initial={"review_on": existing.review_on if existing else None})

    def act(d: dict[str, Any]) -> None:
        rows = [actions.GoalIn(d.get(f"goal_{i}") or "", d.get(f"action_{i}") or "", d.get(f"who_{i}") or "",
                               d.get(f"review_{i}"), d.get(f"id_{i}")) for i in form.rows]
        actions.save_plan(request.user, p, d.get("review_on"), rows)

    if submitted(request, form, act, _("The plan is saved")):
        return redirect(p)
    return _page(request, "plan.html", {"form": form, "person": p})


@login_required
def rate_goal(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("plan__person"), pk=pk)
    p = _person(request, goal.plan.person_id, "a goal (to rate it)", "support.rate_goal")
    form = RateForm(request.POST or None)
    if submitted(request, form, lambda d: actions.rate_goal(request.user, goal, d["rating"]),
                 _("Your rating is saved")):
        return redirect(p)
    return _page(request, "rate.html", {"form": form, "person": p, "goal": goal})


@login_required
def refer(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "referrals (to refer)", "support.work_on")
    search = ReferSearchForm(request.GET or None)
    results = queries.services_to_refer(search.cleaned_data["q"]) if search.is_valid() and request.GET else None
    agencies = queries.agencies_for(request.user, p)
    service_id = request.POST.get("service_id") or request.GET.get("service")
    service = None
    if service_id and service_id.isdigit():
        from powershift.directory.models import Service

        service = Service.objects.select_related("organisation").filter(pk=int(service_id)).first()
    form = ReferForm(request.POST or None, agencies=agencies, initial={"service_id": service_id})

    def act(d: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        if service is None:
            raise ValidationError({"service": _("Choose a service from the search")})
        actions.refer(request.user, p, service, agency=d["agency"], note=d["note"],
                      consent_expires_on=d.get("consent_expires_on"))

    if submitted(request, form, act, _("Referral sent. The group will answer here; you will be "
                                       "prompted if they have not answered in 7 days.")):
        return redirect(p)
    return _page(request, "refer.html", {"person": p, "search": search, "results": results,
                                         "service": service, "form": form})


@login_required
def referral(request: AuthedRequest, pk: int) -> HttpResponse:
    r = queries.referral_for(request.user, pk)
    user = request.user
    group = rules.has_perm("support.answer_referral", user, r)
    forms: dict[str, Any] = {}
    if group:
        forms = {"answer": AnswerForm(prefix="answer"), "attended": AttendedForm(prefix="attended"),
                 "note_back": NoteBackForm(prefix="note", initial={"note_back": r.note_back})}
    if rules.has_perm("support.work_on", user, r.person):
        forms["close"] = CloseForm(prefix="close")
    step = request.POST.get("step", "")
    if request.method == "POST" and step in forms:
        bound = type(forms[step])(request.POST, prefix=forms[step].prefix)
        forms[step] = bound
        acts = {
            "answer": lambda d: actions.answer_referral(user, r, accept=d["decision"] == "accept",
                                                        reason=d["reason"]),
            "attended": lambda d: actions.mark_attended(user, r, d.get("attended_on")),
            "note_back": lambda d: actions.send_note_back(user, r, d["note_back"]),
            "close": lambda d: actions.close_referral(user, r, outcome=d["outcome"],
                                                      follow_up_on=d.get("follow_up_on")),
        }
        if submitted(request, bound, acts[step], _("Saved")):
            return redirect(r)
    return _page(request, "referral.html", {
        "referral": r, "forms": forms, "group": group, "events": r.events.select_related("by"),
        "can_open_person": rules.has_perm("support.open", user, r.person)})


@login_required
def wellbeing(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "wellbeing answers (to add)", "support.rate_goal")
    form = Ons4Form(request.POST or None, initial={"taken_on": timezone.localdate()})
    if submitted(request, form, lambda d: actions.record_ons4(
            request.user, p, d["taken_on"], {k: d.get(k) for k in form.fields if k != "taken_on"}),
            _("Wellbeing answers saved")):
        return redirect(p)
    return _page(request, "form.html", {"form": form, "person": p, "title": _("How are you feeling? (ONS4)"),
                                        "intro": _("Four questions from the Office for National "
                                                   "Statistics, each answered from 0 to 10.")})


@login_required
def outcome(request: AuthedRequest, pk: int, instrument: int) -> HttpResponse:
    p = _person(request, pk, "outcome answers (to add)", "support.rate_goal")
    inst = get_object_or_404(Instrument.objects.prefetch_related("items"), pk=instrument)
    form = OutcomeForm(request.POST or None, instrument=inst, initial={"taken_on": timezone.localdate()})
    if submitted(request, form, lambda d: actions.record_instrument(
            request.user, p, inst, d["taken_on"], [d[f"item_{i.number}"] for i in inst.items.all()]),
            _("Answers saved")):
        return redirect(p)
    return _page(request, "outcome.html", {"form": form, "person": p, "instrument": inst})


@login_required
def journey(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "journey", "support.open")
    return _page(request, "journey.html", {
        "person": p, "timeline": queries.timeline(p),
        "summary": queries.passed_around(p) if rules.has_perm("support.work_on", request.user, p) else None})


@login_required
def export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    p = _person(request, pk, f"subject access export ({fmt})", "support.export")
    data = exports.person_data(p)
    name = f"support-record-{p.pk}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "json":
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    html = render_to_string("support/export.html", {"data": data, "person": p}, request=request)
    response = HttpResponse(html)
    response["Content-Disposition"] = f'inline; filename="{name}.html"'
    return response


@login_required
def access(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "who looked at the record", "support.see_access")
    return _page(request, "access.html", {"person": p, "events": queries.access_log(p)[:200]})


@login_required
def erase(request: AuthedRequest, pk: int) -> HttpResponse:
    p = _person(request, pk, "record (to erase it)", "support.erase")
    form = EraseForm(request.POST or None)
    if submitted(request, form, lambda d: actions.erase_person(request.user, p), _("The record is erased")):
        return redirect("support:index")
    return _page(request, "form.html", {"form": form, "person": p, "title": _("Erase this record"),
                                        "button": _("Erase the record"), "warning": True})


@login_required
def break_glass(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm("support.break_glass", request.user):
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    found: dict[str, Any] = {}

    def act(d: dict[str, Any]) -> None:
        found["matches"] = actions.break_glass(request.user, d["full_name"], d["reason"])

    done = submitted(request, form, act, _("Your check is recorded and will be reviewed"))
    return _page(request, "break_glass.html", {"form": BreakGlassForm() if done else form,
                                               "done": done, "matches": found.get("matches", [])})


@login_required
def reviews(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm("support.review_break_glass", request.user):
        raise PermissionDenied
    if request.method == "POST":
        flag = get_object_or_404(BreakGlass, pk=request.POST.get("flag", "0"))
        actions.review_break_glass(request.user, flag)
        messages.success(request, _("Marked as reviewed"))
        return redirect("support:reviews")
    return _page(request, "reviews.html", {"flags": queries.break_glass_flags()})


@login_required
def unit_costs(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm("support.edit_unit_costs", request.user):
        raise PermissionDenied
    form = UnitCostForm(request.POST or None)
    if submitted(request, form, lambda d: actions.set_unit_cost(
            request.user, d["kind"], d.get("organisation"), int(round(d["pounds"] * 100)), d["source"]),
            _("Unit cost saved")):
        return redirect("support:unit-costs")
    from powershift.support.models import UnitCost

    return _page(request, "unit_costs.html", {"form": form, "costs": UnitCost.objects.select_related(
        "organisation", "updated_by")})


@login_required
def instruments(request: AuthedRequest) -> HttpResponse:
    user = request.user
    organisations = Organisation.objects.filter(
        pk__in=[o.pk for o in Organisation.objects.all() if rules.has_perm("support.manage_instruments", user, o)])
    if not organisations.exists():
        raise PermissionDenied
    form = InstrumentForm(request.POST or None, organisations=organisations)
    if submitted(request, form, lambda d: actions.create_instrument(
            user, d["organisation"], name=d["name"], scoring=d["scoring"],
            items=d["items"].splitlines(), licence=d["licence"]), _("The scale is ready to use")):
        return redirect("support:instruments")
    return _page(request, "instruments.html", {"form": form, "instruments": queries.instruments()})

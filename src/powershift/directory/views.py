"""Directory pages: thin, parse the request, call an action or a query, render."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.core.forms import show_action_errors
from powershift.core.models import Organisation, Place
from powershift.core.types import AuthedRequest
from powershift.directory import actions, queries
from powershift.directory.forms import (
    AnswerForm,
    SearchForm,
    ServiceForm,
    SuggestionForm,
    window_of,
)
from powershift.directory.models import Duplicate, DuplicateStatus, Service, Suggestion

NAV = "directory"
PER_PAGE = 20


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"directory/{template}", {"nav": NAV, **context})


def _service(pk: int) -> Service:
    s = queries.service(pk)
    if s is None:
        raise Http404
    return s


def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    page = 1
    if request.GET and form.is_valid():
        d = form.cleaned_data
        place = Place.objects.filter(code=d["place"]).defer("geometry", "landmarks").first() if d["place"] else None
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        results = queries.search(queries.Filters(
            text=d["q"], place=place, terms=d["term"], days=frozenset({int(d["day"])} if d["day"] else ()),
            window=window_of(d["time"]), free=d["free"], age=d["age"], accessibility=d["accessibility"],
            language=d["language"], include_stale=d["stale"]), limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return _page(request, "index.html", {
        "form": form, "results": results, "page": page, "query": query.urlencode(),
        "has_next": results is not None and results.total > page * PER_PAGE,
        "owns_any": queries.owned_by(request.user).exists() if request.user.is_authenticated else False,  # type: ignore[arg-type]
    })


def service(request: HttpRequest, pk: int) -> HttpResponse:
    s = _service(pk)
    if s.merged_into_id:
        return redirect("directory:service", s.merged_into_id)
    can_edit = rules.has_perm("directory.edit_listing", request.user, s)
    return _page(request, "service.html", {
        "service": s, "next_times": queries.next_times(s), "can_edit": can_edit,
        "can_suggest": rules.has_perm("directory.suggest_change", request.user),
        "suggestions": queries.open_suggestions(s) if can_edit else [],
    })


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    organisations = queries.owned_by(request.user)
    return _page(request, "mine.html", {
        "organisations": organisations,
        "services": queries.with_prefetched_suggestions(queries.services_of(organisations)),
    })


@login_required
def new(request: AuthedRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not rules.has_perm("directory.edit_listing", request.user, organisation):
        raise PermissionDenied
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s = actions.create_service(request.user, organisation, form.listing())
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Your listing is published"))
            return redirect(s)
    return _page(request, "edit.html", {"form": form, "organisation": organisation, "service": None})


@login_required
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    s = _service(pk)
    if not rules.has_perm("directory.edit_listing", request.user, s):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(s))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_service(request.user, s, form.listing())
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Your changes are saved"))
            return redirect(s)
    return _page(request, "edit.html", {"form": form, "organisation": s.organisation, "service": s})


@login_required
@require_POST
def confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    s = _service(pk)
    if not rules.has_perm("directory.edit_listing", request.user, s):
        raise PermissionDenied
    actions.confirm_service(request.user, s)
    messages.success(request, _("Thank you: the listing shows it was confirmed today"))
    return redirect("directory:mine")


def _suggestion_page(request: HttpRequest, pk: int, staff: bool) -> HttpResponse:
    s = _service(pk)
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if staff:
                actions.suggest_change(request.user, s, form.cleaned_data["text"])  # type: ignore[arg-type]
            else:
                actions.report_correction(request.user, s, form.cleaned_data["text"])  # type: ignore[arg-type]
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Thank you. The group has been told and will reply."))
            return redirect(s)
    return _page(request, "suggest.html", {"form": form, "service": s, "staff": staff})


def report(request: HttpRequest, pk: int) -> HttpResponse:
    return _suggestion_page(request, pk, staff=False)


@login_required
def suggest(request: AuthedRequest, pk: int) -> HttpResponse:
    if not rules.has_perm("directory.suggest_change", request.user):
        raise PermissionDenied
    return _suggestion_page(request, pk, staff=True)


@login_required
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.select_related("service"), pk=pk)
    if not rules.has_perm("directory.answer_suggestion", request.user, suggestion):
        raise PermissionDenied
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_suggestion(request.user, suggestion, accepted=form.cleaned_data["accepted"],
                                      response=form.cleaned_data["response"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Your reply is recorded"))
            return redirect(suggestion.service)
    return _page(request, "answer.html", {"form": form, "suggestion": suggestion})


@login_required
def duplicates(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm("directory.merge", request.user):
        raise PermissionDenied
    return _page(request, "duplicates.html", {"duplicates": queries.open_duplicates()})


@login_required
@require_POST
def resolve_duplicate(request: AuthedRequest, pk: int) -> HttpResponse:
    duplicate = get_object_or_404(Duplicate, pk=pk, status=DuplicateStatus.OPEN)
    if not rules.has_perm("directory.merge", request.user):
        raise PermissionDenied
    choice = request.POST.get("keep", "")
    if choice == "neither":
        actions.dismiss_duplicate(request.user, duplicate)
        messages.success(request, _("Marked as not a duplicate"))
    else:
        keep = duplicate.first if choice == str(duplicate.first_id) else duplicate.second
        actions.merge(request.user, duplicate, keep)
        messages.success(request, _("Merged; the other listing now points to this one"))
    return redirect("directory:duplicates")

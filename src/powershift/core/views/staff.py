import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.core import actions, queries
from powershift.core.forms import (
    AddMemberForm,
    AssignRoleForm,
    AuditFilterForm,
    ImportPlacesForm,
    show_action_errors,
)
from powershift.core.models import Organisation, RoleAssignment, TaskProgress, User
from powershift.core.tasks import start_place_import
from powershift.core.types import AuthedRequest


def _require(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    _require(request, "core.view_staff_pages")
    return render(request, "core/staff/dashboard.html", {
        "proposals": queries.proposals_to_review(request.user),
        "can_audit": rules.has_perm("core.view_audit", request.user),
        "can_import": rules.has_perm("core.import_places", request.user),
        "can_roles": rules.has_perm("core.manage_roles", request.user),
        "nav": "admin",
    })


@login_required
def audit(request: AuthedRequest) -> HttpResponse:
    _require(request, "core.view_audit")
    form = AuditFilterForm(request.GET or None, actions=queries.audit_actions())
    f = queries.AuditFilter()
    if form.is_valid():
        f = queries.AuditFilter(action=form.cleaned_data["action"], actor=form.cleaned_data["actor"],
                                since=form.cleaned_data["since"], until=form.cleaned_data["until"])
    page = Paginator(queries.audit_events(request.user, f), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/staff/audit.html",
                  {"form": form, "page": page, "query": query.urlencode(), "nav": "admin"})


@login_required
def roles(request: AuthedRequest) -> HttpResponse:
    _require(request, "core.manage_roles")
    form = AssignRoleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if person is None:
            form.add_error("email", _("No one with that email address has an account"))
        else:
            try:
                actions.assign_role(request.user, person, form.cleaned_data["role"],
                                    place=form.cleaned_data["place"])
            except ValidationError as e:
                show_action_errors(form, e)
            except PermissionDenied:
                form.add_error("place", _("You cannot give roles for that place"))
            else:
                messages.success(request, _("%(name)s now has that role") % {"name": person.display_name})
                return redirect("core:roles")
    assignments = RoleAssignment.objects.select_related("user", "place", "organisation").order_by(
        "user__full_name", "role")
    return render(request, "core/staff/roles.html",
                  {"form": form, "assignments": assignments, "nav": "admin"})


@login_required
def members(request: AuthedRequest, slug: str) -> HttpResponse:
    """An organisation's leaders (and administrators of its place) manage its members."""
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(request, "core.manage_members", organisation)
    form = AddMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if person is None:
            form.add_error("email", _("No one with that email address has an account"))
        else:
            actions.assign_role(request.user, person, form.cleaned_data["role"], organisation=organisation)
            messages.success(request, _("%(name)s now has that role") % {"name": person.display_name})
            return redirect("core:members", slug=slug)
    assignments = organisation.role_assignments.select_related("user").order_by("role", "user__full_name")
    return render(request, "core/staff/members.html",
                  {"form": form, "organisation": organisation, "assignments": assignments})


@login_required
@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment, pk=pk)
    actions.revoke_role(request.user, assignment)
    messages.success(request, _("The role has been removed"))
    if assignment.organisation is not None:
        return redirect("core:members", slug=assignment.organisation.slug)
    return redirect("core:roles")


@login_required
def import_places(request: AuthedRequest) -> HttpResponse:
    _require(request, "core.import_places")
    form = ImportPlacesForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        parent = form.cleaned_data["parent"]
        progress = start_place_import(
            request.user, upload_name=upload.name, data=upload.read(), kind=form.cleaned_data["kind"],
            name_field=form.cleaned_data["name_field"], code_field=form.cleaned_data["code_field"],
            parent_code=parent.code if parent else None,
        )
        return redirect("core:task", pk=progress.pk)
    return render(request, "core/staff/import.html", {"form": form, "nav": "admin"})


@login_required
def task_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    progress = get_object_or_404(TaskProgress, pk=pk)
    if progress.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    template = "core/staff/task_status.html" if request.headers.get("HX-Request") else "core/staff/task.html"
    return render(request, template, {"progress": progress, "nav": "admin"})

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.core import actions
from powershift.core.forms import (
    DeleteAccountForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
    show_action_errors,
)
from powershift.core.types import AuthedRequest


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "core/account/sign_in.html"
    redirect_authenticated_user = True


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:account")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.sign_up(
                full_name=form.cleaned_data["full_name"], email=form.cleaned_data["email"],
                password=form.cleaned_data["password"], home=form.cleaned_data["home"],
            )
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account has been created"))
            return redirect("core:account")
    return render(request, "core/account/sign_up.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out"))
    return redirect("core:home")


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    roles = request.user.roles.select_related("place", "organisation")
    return render(request, "core/account/account.html", {"roles": roles})


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST if request.method == "POST" else None,
                       initial={"full_name": user.full_name, "preferred_name": user.preferred_name})
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user, user, **form.cleaned_data)
        messages.success(request, _("Your details have been saved"))
        return redirect("core:account")
    return render(request, "core/account/profile.html", {"form": form})


@login_required
def download_data(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "core/account/download.html")
    data = actions.export_account(request.user, request.user)
    response = HttpResponse(json.dumps(data, indent=2, default=str), content_type="application/json")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="powershift-my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request: AuthedRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.erase_account(request.user, request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted"))
        return redirect("core:home")
    return render(request, "core/account/delete.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/account/password_reset.html"
    email_template_name = "core/account/password_reset_email.txt"
    subject_template_name = "core/account/password_reset_subject.txt"
    success_url = reverse_lazy("core:password-reset-sent")

    def get_form(self, form_class=None):  # type: ignore[no-untyped-def]
        form = super().get_form(form_class)
        form.fields["email"].widget.attrs["class"] = "govuk-input"
        return form


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "core/account/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/account/password_reset_confirm.html"
    success_url = reverse_lazy("core:password-reset-complete")

    def get_form(self, form_class=None):  # type: ignore[no-untyped-def]
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "govuk-input"
        return form


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/account/password_reset_complete.html"

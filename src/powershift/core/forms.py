"""Forms for core pages, rendered with GOV.UK Design System classes."""

from __future__ import annotations

import json
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from powershift.core.models import Place, PlaceKind, PlaceStatus, Role
from powershift.formats.geojson import GeoJSONError, clean_geometry

WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input govuk-input--width-10",
    "date": "govuk-input govuk-input--width-10",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "radio": "govuk-radios__input",
}


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (YYYY-MM-DD) whatever the language: with the
    locale's format (12/01/2026) a browser shows the field empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class GovukFormMixin:
    """Adds GOV.UK classes and aria-describedby for hints and errors to every widget."""

    fields: dict[str, forms.Field]
    errors: Any

    def govuk_widgets(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Textarea):
                css = "govuk-textarea"
            elif isinstance(widget, forms.Select):
                css = "govuk-select"
            else:
                css = WIDGET_CLASSES.get(getattr(widget, "input_type", "text"), "govuk-input")
            widget.attrs["class"] = css
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if name in self.errors:
                described.append(f"id_{name}-error")
                widget.attrs["class"] += f" {css.split()[0]}--error"
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.govuk_widgets()


def show_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's ValidationError on the form: per field where it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.govuk_widgets()


TIMING_SALT = "powershift.signup.timing"


def timing_token() -> str:
    return signing.dumps(time.time(), salt=TIMING_SALT)


class SignUpForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}))
    email = forms.EmailField(label=_("Email address"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    password = forms.CharField(
        label=_("Password"),
        help_text=_("At least 10 characters. A few unrelated words make a strong password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    home = forms.ModelChoiceField(
        label=_("Where do you live? (optional)"), required=False,
        queryset=Place.objects.filter(kind=PlaceKind.WARD, status=PlaceStatus.APPROVED).order_by("name"),
        empty_label=_("Choose your ward"),
        help_text=_("So we can show you what is happening near you. You can change this later."),
    )
    # A field people never see; bots that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = timing_token()
        self.govuk_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("Sorry, we could not create your account. Please try again."))
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=TIMING_SALT,
                                          max_age=settings.SIGNUP_MAX_SECONDS))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form has expired. Please fill it in again.")) from None
        if time.time() - started < settings.SIGNUP_MIN_SECONDS:
            raise forms.ValidationError(_("That was very quick. Please check your details and submit again."))
        return data


class ProfileForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_name = forms.CharField(
        label=_("What would you like to be called?"), max_length=100, required=False,
        help_text=_("We use this name when we talk to you."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


class DeleteAccountForm(GovukFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand my account will be deleted and my name removed from everything I did"),
        error_messages={"required": _("Tick the box to confirm you want to delete your account")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


class ProposeNeighbourhoodForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the neighbourhood"), max_length=200,
                           help_text=_("The name people who live there use."))
    description = forms.CharField(
        label=_("What makes it a neighbourhood?"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the shops, schools, parks or streets people share."),
    )
    parent = forms.ModelChoiceField(
        label=_("Which area is it in?"), empty_label=None,
        queryset=Place.objects.filter(
            kind__in=[PlaceKind.LOCALITY, PlaceKind.COMBINED_AUTHORITY], status=PlaceStatus.APPROVED
        ).order_by("name"),
    )
    geometry = forms.CharField(
        label=_("Boundary as GeoJSON"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Click points on the map to draw the boundary, or paste a GeoJSON polygon, "
                    "or upload a file below."),
    )
    upload = forms.FileField(label=_("Or upload a GeoJSON file"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            if upload.size > 2_000_000:
                self.add_error("upload", _("The file must be smaller than 2 MB"))
                return data
            text = upload.read().decode("utf-8", errors="replace")
            field, source = "upload", upload.name
        else:
            text, field, source = (data.get("geometry") or "").strip(), "geometry", "the boundary"
        if not text:
            self.add_error("geometry", _("Draw the boundary on the map, paste GeoJSON, or upload a file"))
            return data
        try:
            obj = json.loads(text)
            data["shape"] = clean_geometry(obj, source=source)
        except json.JSONDecodeError as e:
            self.add_error(field, _("The boundary is not valid GeoJSON: %(error)s") % {"error": e.msg})
        except GeoJSONError as e:
            self.add_error(field, str(e))
        return data


class ReviewPlaceForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Do you approve this neighbourhood?"),
        choices=[("approve", _("Approve")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the person who proposed it. Needed if you do not approve."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


class AssignRoleForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    place = forms.ModelChoiceField(
        label=_("Place"), required=False,
        queryset=Place.objects.filter(status=PlaceStatus.APPROVED).exclude(kind=PlaceKind.LSOA).order_by("kind", "name"),
        help_text=_("For every role except organisation member and leader."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


class AddMemberForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email address of the person"),
                             help_text=_("They need an account on this site first."))
    role = forms.ChoiceField(label=_("Role"), choices=[(Role.ORG_MEMBER, Role.ORG_MEMBER.label),
                                                       (Role.ORG_LEADER, Role.ORG_LEADER.label)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


class ImportPlacesForm(GovukFormMixin, forms.Form):
    upload = forms.FileField(label=_("GeoJSON file"), help_text=_("A FeatureCollection in WGS84."))
    kind = forms.ChoiceField(label=_("What kind of places are these?"), choices=PlaceKind.choices)
    name_field = forms.CharField(label=_("Property holding each place's name"), initial="name")
    code_field = forms.CharField(label=_("Property holding each place's code"), initial="code")
    parent = forms.ModelChoiceField(
        label=_("Inside which place? (optional)"), required=False,
        queryset=Place.objects.filter(status=PlaceStatus.APPROVED).exclude(
            kind__in=[PlaceKind.LSOA, PlaceKind.NATURAL]).order_by("kind", "name"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


class AuditFilterForm(GovukFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Who (email contains)"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Any action"))] + [(a, a) for a in actions]
        self.govuk_widgets()


def submitted(request: Any, form: forms.Form, act: Any, success: str) -> bool:
    """The one-form page pattern: when `form` was posted and is valid, call `act(cleaned_data)`;
    an action's ValidationError goes onto the form. True (with `success` shown) when it worked,
    so the view redirects; False, so it renders the form again."""
    from django.contrib import messages

    if request.method != "POST" or not form.is_valid():
        return False
    try:
        act(form.cleaned_data)
    except ValidationError as e:
        show_action_errors(form, e)
        return False
    messages.success(request, success)
    return True

"""Forms for citizens' panels, rendered with GOV.UK Design System classes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from powershift.core.forms import DateInput, GovukFormMixin
from powershift.core.models import Place
from powershift.panels.actions import QuotaPlan
from powershift.panels.models import Algorithm, Panel, ResponseStatus


class PanelForm(GovukFormMixin, forms.Form):
    question = forms.CharField(label=_("The question for the panel"), max_length=300)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    description = forms.CharField(label=_("What the panel will do"), widget=forms.Textarea(attrs={"rows": 3}))
    size = forms.IntegerField(label=_("Panel size"), min_value=2, max_value=500)
    recruitment_closes = forms.DateField(label=_("Recruitment closes"), widget=DateInput())
    meets_from = forms.DateField(label=_("First meeting"), widget=DateInput())
    meets_to = forms.DateField(label=_("Last meeting"), widget=DateInput())
    algorithm = forms.ChoiceField(label=_("Selection method"), choices=Algorithm.choices)
    households = forms.BooleanField(label=_("At most one person per household"), required=False, initial=True)
    quotas = forms.CharField(
        label=_("Quotas"), widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=_("One line per group: feature, value, minimum, maximum, census share in %. "
                    "For example: Age, 16-29, 5, 8, 22"))

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.govuk_widgets()

    def clean_quotas(self) -> list[QuotaPlan]:
        plans = []
        for n, line in enumerate(self.cleaned_data["quotas"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            try:
                feature, value, lo, hi = parts[:4]
                census = float(parts[4]) / 100 if len(parts) > 4 and parts[4] else None
                plans.append(QuotaPlan(feature, value, int(lo), int(hi), census))
            except ValueError:
                raise ValidationError(_("Line %(n)s: write 'feature, value, minimum, maximum, census "
                                        "share %%', for example 'Age, 16-29, 5, 8, 22'") % {"n": n}) from None
        if not plans:
            raise ValidationError(_("Give at least one quota"))
        return plans


class VolunteerForm(GovukFormMixin, forms.Form):
    """Answering an invitation: the letter's code, contact details, the features the quotas use."""

    code = forms.CharField(label=_("Code from your letter"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    name = forms.CharField(label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email address"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    consent = forms.BooleanField(label=_(
        "I agree that the facilitators keep these details to run the lottery. If I am not "
        "chosen, they are deleted when the panel ends."))

    def __init__(self, *args: Any, panel: Panel, by_staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feature_names: list[str] = []
        features: dict[str, list[str]] = {}
        for q in panel.quotas.all():
            features.setdefault(q.feature, []).append(q.value)
        for feature, values in features.items():
            name = f"feature_{feature}"
            self.fields[name] = forms.ChoiceField(label=feature, choices=[(v, v) for v in values],
                                                  widget=forms.RadioSelect)
            self.feature_names.append(name)
        if by_staff:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("If they have their letter; otherwise give the address")
            self.fields["address"] = forms.CharField(label=_("Address"), required=False, max_length=300)
        self.govuk_widgets()

    def features(self) -> dict[str, str]:
        return {n.removeprefix("feature_"): self.cleaned_data[n] for n in self.feature_names}

    def plain_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n not in self.feature_names and n != "consent"]

    def feature_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.feature_names]


class InviteForm(GovukFormMixin, forms.Form):
    addresses = forms.FileField(label=_("Addresses (a text file, one address per line)"))
    count = forms.IntegerField(label=_("How many letters"), min_value=1)

    def clean_addresses(self) -> list[str]:
        data = self.cleaned_data["addresses"].read()
        try:
            return [line for line in data.decode("utf-8-sig").splitlines() if line.strip()]
        except UnicodeDecodeError:
            raise ValidationError(_("The file must be UTF-8 text, one address per line")) from None


class SeedForm(GovukFormMixin, forms.Form):
    seed = forms.CharField(label=_("Seed (optional)"), required=False, max_length=200, help_text=_(
        "Words or numbers only you know, e.g. from a public dice roll. Leave empty for a random one."))


class MeetingForm(GovukFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200)
    materials = forms.CharField(label=_("Materials and evidence"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class RecommendationForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    votes_for = forms.IntegerField(label=_("Panel members for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0)
    votes_abstain = forms.IntegerField(label=_("Abstained"), min_value=0, initial=0)


class ResponseForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Our answer"), widget=forms.RadioSelect,
                               choices=[c for c in ResponseStatus.choices if c[0] != ResponseStatus.WAITING])
    response = forms.CharField(label=_("What we will do, and why"), widget=forms.Textarea(attrs={"rows": 5}))


class ProgressForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label=_("Progress update"), widget=forms.Textarea(attrs={"rows": 3}))

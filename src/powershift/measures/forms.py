"""Forms for measures, stories and practice (GOV.UK classes via GovukFormMixin)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powershift.budgets.models import Round
from powershift.core.forms import DateInput, GovukFormMixin
from powershift.core.models import Organisation, Place, PlaceKind, PlaceStatus
from powershift.measures.models import (
    Better,
    Capability,
    CollectedBy,
    Consent,
    Deck,
    Indicator,
    Mark,
    Measure,
    MeasureStatus,
    Method,
    Plan,
    Setting,
    Theme,
    ValueType,
)
from powershift.panels.models import Recommendation


def _places() -> Any:
    return Place.objects.filter(status=PlaceStatus.APPROVED).exclude(kind=PlaceKind.LSOA).order_by("name")


class Form(GovukFormMixin, forms.Form):
    """GOV.UK classes are added when the form is first validated (GovukFormMixin.full_clean), which
    the templates trigger by reading errors; forms that change their fields do so first and then
    call govuk_widgets() themselves (it validates a bound form, so it must come last)."""


class ProposeMeasureForm(Form):
    place = forms.ModelChoiceField(label=_("Which place is it for?"), queryset=Place.objects.none(),
                                   empty_label=_("Choose a place"))
    title = forms.CharField(label=_("What is the measure, in a few words?"), max_length=150,
                            help_text=_("For example: young people who feel safe walking home"))
    description = forms.CharField(label=_("Describe it in plain words"), widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What is counted or asked, and of whom."))
    why = forms.CharField(label=_("Why does it matter to people here?"), widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.ChoiceField(label=_("How will it be collected?"), choices=Method.choices, widget=forms.RadioSelect)
    value_type = forms.ChoiceField(label=_("What kind of value is it?"), choices=ValueType.choices,
                                   widget=forms.RadioSelect)
    unit = forms.CharField(label=_("Unit (optional)"), required=False, max_length=60,
                           help_text=_("For example: people, % of those asked, bags of litter"))
    min_value = forms.DecimalField(label=_("Lowest possible value"), initial=0, max_digits=14, decimal_places=4)
    max_value = forms.DecimalField(label=_("Highest possible value"), initial=100, max_digits=14, decimal_places=4)
    better = forms.ChoiceField(label=_("What does better look like?"), choices=Better.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(label=_("Proposed for a community group (optional)"), required=False,
                                          queryset=Organisation.objects.none(), empty_label=_("Just me"))
    beside = forms.ModelChoiceField(label=_("Official figure to show beside it (optional)"), required=False,
                                    queryset=Indicator.objects.all(), empty_label=_("None"))

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _places()  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations if organisations is not None else Organisation.objects.none()  # type: ignore[attr-defined]
        self.govuk_widgets()


class EndorseForm(Form):
    connected = forms.BooleanField(label="", required=False)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connected"].label = _("I live, work or volunteer in %(place)s") % {"place": place.name}
        self.govuk_widgets()


class AgreeForm(Form):
    note = forms.CharField(label=_("How did the community agree it?"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("For example: agreed at the residents' meeting on 4 March, 23 people there."))
    beside = forms.ModelChoiceField(label=_("Official figure to show beside it (optional)"), required=False,
                                    queryset=Indicator.objects.all(), empty_label=_("Keep as it is"))


class ObservationForm(Form):
    value = forms.CharField(label=_("Value"), max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    observed_on = forms.DateField(label=_("Date observed"), widget=DateInput(),
                                  help_text=_("For a paper form, the date on the form, not today."))
    how = forms.ChoiceField(label=_("How was it collected?"), choices=CollectedBy.choices[:3], widget=forms.RadioSelect,
                            initial=CollectedBy.PHONE)
    collector = forms.CharField(label=_("Who collected it?"), max_length=120, required=False,
                                help_text=_("Leave empty if it was you."))
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("observed_on", timezone.localdate())
        low, high = _plain(measure.min_value), _plain(measure.max_value)
        unit = f" {measure.unit}" if measure.unit else ""
        self.fields["value"].help_text = _("%(type)s from %(low)s to %(high)s%(unit)s") % {
            "type": measure.get_value_type_display(), "low": low, "high": high, "unit": unit}
        self.govuk_widgets()


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


class AnnotationForm(Form):
    on = forms.DateField(label=_("When did it happen?"), widget=DateInput())
    text = forms.CharField(label=_("What happened?"), max_length=120,
                           help_text=_("For example: new youth club opened"))


class ImportIndicatorsForm(Form):
    upload = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns: indicator, name, unit (optional), place, date, value. One row per value."))
    source_name = forms.CharField(label=_("Where the figures come from"), max_length=200, required=False,
                                  help_text=_("For example: NHS Digital, Hospital Episode Statistics"))


class TellStoryForm(Form):
    """`capabilities`: the written capabilities of the current framework version."""

    title = forms.CharField(label=_("Give your story a short title"), max_length=150)
    what_happened = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 5}))
    difference = forms.CharField(label=_("What made the difference?"), widget=forms.Textarea(attrs={"rows": 4}))
    who_helped = forms.CharField(label=_("Who helped? (optional)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    places = forms.ModelMultipleChoiceField(label=_("Where did it happen? (optional)"), required=False,
                                            queryset=Place.objects.none(), widget=forms.CheckboxSelectMultiple)
    themes = forms.ModelMultipleChoiceField(label=_("Themes (optional)"), required=False,
                                            queryset=Theme.objects.all(), widget=forms.CheckboxSelectMultiple)
    measures = forms.ModelMultipleChoiceField(label=_("Measures it relates to (optional)"), required=False,
                                              queryset=Measure.objects.filter(status=MeasureStatus.AGREED),
                                              widget=forms.CheckboxSelectMultiple)
    capabilities = forms.ModelMultipleChoiceField(
        label=_("Which power-shifting capabilities does it show? (optional)"), required=False,
        queryset=Capability.objects.none(), widget=forms.CheckboxSelectMultiple)
    consent = forms.ChoiceField(label=_("May we publish your story?"), required=False,
                                choices=Consent.choices, widget=forms.RadioSelect, help_text=_(
                                    "A facilitator reads every story before it is published."))
    remove_on_erasure = forms.BooleanField(label=_("If I delete my account, delete this story too"), required=False)

    def __init__(self, *args: Any, capabilities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = Place.objects.filter(  # type: ignore[attr-defined]
            status=PlaceStatus.APPROVED, kind__in=[PlaceKind.WARD, PlaceKind.NATURAL, PlaceKind.LOCALITY]
        ).order_by("name")
        self.fields["capabilities"].queryset = capabilities if capabilities is not None else Capability.objects.none()  # type: ignore[attr-defined]
        self.govuk_widgets()


class ModerateStoryForm(Form):
    decision = forms.ChoiceField(label=_("Publish this story?"), widget=forms.RadioSelect,
                                 choices=[("publish", _("Publish")), ("decline", _("Do not publish"))])
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Shown to the teller. Needed if you do not publish."))
    rounds = forms.ModelMultipleChoiceField(label=_("Budget rounds it relates to (optional)"), required=False,
                                            queryset=Round.objects.order_by("title"),
                                            widget=forms.CheckboxSelectMultiple)
    recommendations = forms.ModelMultipleChoiceField(
        label=_("Citizens' panel recommendations it relates to (optional)"), required=False,
        queryset=Recommendation.objects.select_related("panel").order_by("panel__question", "number"),
        widget=forms.CheckboxSelectMultiple)


class PinForm(Form):
    round = forms.ModelChoiceField(label=_("Budget round"), required=False, queryset=Round.objects.order_by("title"),
                                   empty_label=_("None"))
    plan = forms.ModelChoiceField(label=_("Or an existing plan"), required=False, queryset=Plan.objects.all(),
                                  empty_label=_("None"))
    new_plan = forms.CharField(label=_("Or a new plan's title"), required=False, max_length=200)
    place = forms.ModelChoiceField(label=_("Place of the new plan"), required=False, queryset=Place.objects.none(),
                                   empty_label=_("Choose a place"))
    note = forms.CharField(label=_("Why it matters there (optional)"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _places()  # type: ignore[attr-defined]
        self.govuk_widgets()


class StartTeamForm(Form):
    name = forms.CharField(label=_("Team name"), max_length=200)
    place = forms.ModelChoiceField(label=_("Place the team works in (optional)"), required=False,
                                   queryset=Place.objects.none(), empty_label=_("None"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _places()  # type: ignore[attr-defined]
        self.govuk_widgets()


class AddMemberForm(Form):
    email = forms.EmailField(label=_("Email address of the person"), help_text=_("They need an account first."))


class DrawForm(Form):
    deck = forms.ModelChoiceField(label=_("Deck"), queryset=Deck.objects.none(), empty_label=None)
    setting = forms.ChoiceField(label=_("Where are you using the card?"), choices=Setting.choices,
                                widget=forms.RadioSelect)
    community = forms.CharField(label=_("Which community will you apply it to?"), max_length=200, help_text=_(
        "A whole neighbourhood or a small community within it, for example: young carers in Millbank."))

    def __init__(self, *args: Any, decks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deck"].queryset = decks  # type: ignore[attr-defined]
        self.govuk_widgets()


def _capability_choices(framework: Any) -> list[tuple[str, Any]]:
    return [("", _("None"))] + [(str(c.number), str(c)) for c in framework.capabilities.all()]


class LogEntryForm(Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    community = forms.CharField(label=_("Community (optional)"), required=False, max_length=200)
    capability = forms.TypedChoiceField(label=_("Capability (optional)"), required=False, coerce=int,
                                        empty_value=None)
    what_we_did = forms.CharField(label=_("What we did"), widget=forms.Textarea(attrs={"rows": 3}))
    what_happened = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    what_we_learned = forms.CharField(label=_("What we learned"), widget=forms.Textarea(attrs={"rows": 3}))
    shared = forms.BooleanField(label=_("Share this entry beyond the team"), required=False, help_text=_(
        "Log book entries are private to the team unless you share them."))

    def __init__(self, *args: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capability"].choices = _capability_choices(framework)  # type: ignore[attr-defined]
        self.initial.setdefault("on", timezone.localdate())
        self.govuk_widgets()


class LoadDeckForm(Form):
    name = forms.CharField(label=_("Name of the deck"), max_length=200)
    upload = forms.FileField(label=_("CSV file of cards"), help_text=_(
        "Columns: capability (1 to 10), title, task. One row per card."))


class CardForm(Form):
    capability = forms.TypedChoiceField(label=_("Capability"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=120)
    task = forms.CharField(label=_("The task or prompt"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capability"].choices = _capability_choices(framework)[1:]  # type: ignore[attr-defined]
        self.govuk_widgets()


def this_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


class AssessmentForm(Form):
    """A score and a sentence of evidence for each capability that has been written."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int,
                                     choices=[(q, _("Quarter %(q)s") % {"q": q}) for q in (1, 2, 3, 4)])

    def __init__(self, *args: Any, capabilities: list[Capability], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year, quarter = this_quarter()
        self.initial.setdefault("year", year)
        self.initial.setdefault("quarter", quarter)
        self.capabilities = capabilities
        for cap in capabilities:
            self.fields[f"score_{cap.number}"] = forms.TypedChoiceField(
                label=_("Score for %(cap)s") % {"cap": cap}, coerce=int, widget=forms.RadioSelect,
                choices=[(n, str(n)) for n in range(1, 6)], help_text=_("1 is 'not yet', 5 is 'this is how we work'"))
            self.fields[f"evidence_{cap.number}"] = forms.CharField(
                label=_("Evidence for capability %(n)s, in a sentence") % {"n": cap.number}, max_length=500)
        self.govuk_widgets()

    def scores(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {c.number: (d.get(f"score_{c.number}") or 0, d.get(f"evidence_{c.number}") or "")
                for c in self.capabilities}

    def pairs(self) -> list[tuple[Any, Any]]:
        return [(self[f"score_{c.number}"], self[f"evidence_{c.number}"]) for c in self.capabilities]


class FrameworkForm(Form):
    def __init__(self, *args: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for cap in framework.capabilities.all():
            self.fields[f"title_{cap.number}"] = forms.CharField(
                label=_("Capability %(n)s: title") % {"n": cap.number}, required=False, max_length=200,
                initial=cap.title)
            self.fields[f"description_{cap.number}"] = forms.CharField(
                label=_("Capability %(n)s: description") % {"n": cap.number}, required=False,
                widget=forms.Textarea(attrs={"rows": 3}), initial=cap.description)
        self.numbers = [c.number for c in framework.capabilities.all()]
        self.govuk_widgets()

    def texts(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        return {n: (d.get(f"title_{n}", ""), d.get(f"description_{n}", "")) for n in self.numbers}


class ChecklistForm(Form):
    mark = forms.ChoiceField(label=_("How far has the partnership come?"), choices=Mark.choices,
                             widget=forms.RadioSelect)
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What shows it: a meeting, a figure, a story. Needed for 'partly' and 'yes'."))

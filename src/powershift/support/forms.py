"""Forms for support pages, rendered with GOV.UK Design System classes. Validation of meaning
(consent dates, ratings, goals, services) is in actions.py; forms only parse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from powershift.core.forms import DateInput, GovukFormMixin
from powershift.core.models import Organisation, User
from powershift.methods.wellbeing import ONS4_QUESTIONS, SCORINGS
from powershift.support.models import ContactKind, Purpose


def _date(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    # A date input shows only ISO dates (the en-gb default would be 02/12/2026, shown empty).
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=DateInput())


def _text(label: Any, help_text: Any = "", rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class Form(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A bound form gets its classes when it is cleaned (GovukFormMixin.full_clean); reading
        # its errors here would clean it before subclasses have set their choices.
        if not self.is_bound:
            self.govuk_widgets()


class PersonForm(Form):
    preferred_name = forms.CharField(label=_("What do they like to be called?"), max_length=100,
                                     help_text=_("We use this name first, everywhere."))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    communities = _text(_("Communities they belong to"),
                        _("In their words: faith, culture, neighbourhood, interests, people like them."))
    strengths = _text(_("What are they good at?"), _("In their own words."))
    what_matters = _text(_("What matters to them?"))
    good_day = _text(_("What does a good day look like?"))
    aspirations = _text(_("What would they like to do, or be?"))
    keyworker = forms.ModelChoiceField(label=_("Keyworker"), queryset=User.objects.none(), required=False,
                                       empty_label=_("No keyworker yet"),
                                       help_text=_("One named person they can always go to."))

    def __init__(self, *args: Any, keyworkers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keyworker"].queryset = keyworkers  # type: ignore[attr-defined]


class NewPersonForm(PersonForm):
    agency = forms.ModelChoiceField(label=_("Your agency"), queryset=Organisation.objects.none(),
                                    empty_label=None)
    consent_expires_on = _date(_("They agree to your agency working with them until"),
                               help_text=_("Ask them. They can withdraw at any time."))
    email = forms.EmailField(label=_("Their account's email address (optional)"), required=False,
                             help_text=_("If they have an account, they can see their own record "
                                         "and who looked at it."))

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class ConsentForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.order_by("name"))
    purpose = forms.ChoiceField(label=_("What for"), choices=Purpose.choices, widget=forms.RadioSelect)
    starts_on = _date(_("From (optional; today if empty)"), required=False)
    expires_on = _date(_("Until"))


class TeamForm(Form):
    email = forms.EmailField(label=_("Email address of the staff member"))
    organisation = forms.ModelChoiceField(label=_("Their agency"),
                                          queryset=Organisation.objects.filter(is_public_service=True))
    role = forms.CharField(label=_("Their role (optional)"), max_length=100, required=False)


class ContactForm(Form):
    organisation = forms.ModelChoiceField(label=_("Agency"), queryset=Organisation.objects.none(),
                                          empty_label=None)
    kind = forms.ChoiceField(label=_("What kind of contact"), choices=ContactKind.choices)
    assessment = forms.CharField(label=_("Which assessment (if an assessment)"), max_length=100,
                                 required=False)
    happened_on = _date(_("When"))
    note = _text(_("Notes"), _("Strengths first: what they said, what they are good at, what "
                               "they want. Kept encrypted."), rows=5)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = agencies  # type: ignore[attr-defined]


class PlanForm(Form):
    review_on = _date(_("Review the whole plan on"))

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for i in range(1, len(goals) + 3):
            g = goals[i - 1] if i <= len(goals) else None
            self.fields[f"id_{i}"] = forms.IntegerField(required=False, widget=forms.HiddenInput,
                                                        initial=g.pk if g else None)
            self.fields[f"goal_{i}"] = forms.CharField(
                label=_("Goal %(n)s, in their words") % {"n": i}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), initial=g.text if g else "")
            self.fields[f"action_{i}"] = forms.CharField(
                label=_("What will be done"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=g.action if g else "")
            self.fields[f"who_{i}"] = forms.CharField(label=_("Who does it"), required=False,
                                                      max_length=200, initial=g.who if g else "")
            self.fields[f"review_{i}"] = _date(_("Review on"), required=False)
            if g:
                self.fields[f"review_{i}"].initial = g.review_on
            self.rows.append(i)
        self.govuk_widgets()

    def grouped(self) -> list[list[Any]]:
        return [[self[f"goal_{i}"], self[f"action_{i}"], self[f"who_{i}"], self[f"review_{i}"]]
                for i in self.rows]


class RateForm(Form):
    rating = forms.TypedChoiceField(label=_("How far have you got?"), coerce=int,
                                    choices=[(n, str(n)) for n in range(11)], widget=forms.RadioSelect,
                                    help_text=_("0 is not started, 10 is done."))


class ReferSearchForm(Form):
    q = forms.CharField(label=_("Search the community directory"), required=False,
                        help_text=_("What matters to them, or the name of a group. Only groups with "
                                    "places are shown."))


class ReferForm(Form):
    service_id = forms.IntegerField(widget=forms.HiddenInput)
    agency = forms.ModelChoiceField(label=_("Referring agency"), queryset=Organisation.objects.none(),
                                    empty_label=None)
    note = _text(_("Note to the group"), _("What they would like from it, anything the group should "
                                          "know. The group sees this and their preferred name."))
    consent_expires_on = _date(_("They agree to share this with the group until"))

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class AnswerForm(Form):
    decision = forms.ChoiceField(label=_("Can your group take this referral?"), widget=forms.RadioSelect,
                                 choices=[("accept", _("Yes, we can")), ("decline", _("No, we cannot"))])
    reason = _text(_("Why not (if you cannot)"), _("The link worker sees this."))


class AttendedForm(Form):
    attended_on = _date(_("When did they first come?"))


class NoteBackForm(Form):
    note_back = _text(_("A short note to the link worker"), rows=3, required=True)


class CloseForm(Form):
    outcome = forms.ChoiceField(label=_("What happened?"), widget=forms.RadioSelect, choices=[
        ("follow_up", _("Follow up on a date")),
        ("person_declined", _("They chose not to go (recorded as social prescribing declined)")),
        ("discharge", _("Finished: close the referral"))])
    follow_up_on = _date(_("Follow-up date"), required=False)


class Ons4Form(Form):
    taken_on = _date(_("Date answered"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in ONS4_QUESTIONS:
            hint = _("0 is not at all, 10 is completely")
            self.fields[q.key] = forms.IntegerField(label=q.text, help_text=hint,
                                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.govuk_widgets()


class InstrumentForm(Form):
    organisation = forms.ModelChoiceField(label=_("Licensed organisation"), queryset=Organisation.objects.none(),
                                          empty_label=None)
    name = forms.CharField(label=_("Name of the scale"), max_length=200)
    scoring = forms.ChoiceField(label=_("How it is scored"), choices=[
        (k, _("SWEMWBS: seven items 1 to 5, converted to the metric score") if k == "swemwbs"
         else _("Sum of the items (1 to 5 each)")) for k in SCORINGS])
    items = _text(_("The items, one a line, as in your licensed copy"), rows=8, required=True)
    licence = forms.CharField(label=_("Your licence"), max_length=300,
                              help_text=_("For example the licence number or agreement date."))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class OutcomeForm(Form):
    taken_on = _date(_("Date answered"))

    def __init__(self, *args: Any, instrument: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in range(instrument.low, instrument.high + 1)]
        for item in instrument.items.all():
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=item.wording, coerce=int, choices=choices, widget=forms.RadioSelect)
        self.govuk_widgets()


class UnitCostForm(Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    organisation = forms.ModelChoiceField(label=_("Agency (leave empty for the default)"), required=False,
                                          queryset=Organisation.objects.filter(is_public_service=True))
    pounds = forms.DecimalField(label=_("Cost of one contact, in pounds"), min_value=Decimal(0),
                                decimal_places=2, max_digits=9)
    source = forms.CharField(label=_("Where the figure comes from"), max_length=300, required=False)


class BreakGlassForm(Form):
    full_name = forms.CharField(label=_("The person's full name"), max_length=200)
    reason = _text(_("Why do you need to know?"), _("An administrator reviews every check."),
                   required=True)


class EraseForm(Form):
    confirm = forms.BooleanField(label=_("Erase this record and everything in it; this cannot be undone"),
                                 error_messages={"required": _("Tick the box to confirm")})

"""Forms for the Ideas Shop, rendered with GOV.UK Design System classes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from powershift.core.forms import DateInput, GovukFormMixin
from powershift.core.models import Place
from powershift.ideas.models import STATEMENT_MAX, ActionStatus


class ConversationForm(GovukFormMixin, forms.Form):
    question = forms.CharField(label=_("The question"), max_length=300,
                               help_text=_("For example: What would make Millbank a better place to grow up?"))
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    description = forms.CharField(label=_("Why we are asking, and what will happen next"),
                                  widget=forms.Textarea(attrs={"rows": 4}))
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes"), widget=DateInput())
    allow_pseudonyms = forms.BooleanField(label=_("Let people take part without an account"),
                                          required=False, initial=True)
    seeds = forms.CharField(label=_("Starting statements"), widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("One per line. Short statements people can agree or disagree with."))

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.govuk_widgets()

    def clean_seeds(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["seeds"].splitlines() if line.strip()]


class StatementForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label=_("Add your own statement"), max_length=STATEMENT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("One idea, in a sentence others can agree or disagree with. "
                                       "A facilitator checks it before others see it."))


class ModerateForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept")), ("reject", _("Do not accept"))])
    reason = forms.CharField(label=_("Reason (shown to the author)"), required=False, max_length=300)
    is_meta = forms.BooleanField(label=_("It is about the conversation itself (meta)"), required=False)
    is_demographic = forms.BooleanField(label=_("It is about who people are (demographic)"), required=False)


class FollowUpForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=200)
    owner = forms.CharField(label=_("Who is responsible"), max_length=200)


class FollowUpUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    text = forms.CharField(label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 3}))


class BudgetProposalForm(GovukFormMixin, forms.Form):
    round = forms.ChoiceField(label=_("Budget round taking proposals"))
    title = forms.CharField(label=_("Project name"), max_length=200)
    cost = forms.IntegerField(label=_("Estimated cost, in pounds"), min_value=1)

    def __init__(self, *args: Any, rounds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = rounds  # type: ignore[attr-defined]
        self.govuk_widgets()

"""Forms for budget rounds, rendered with GOV.UK Design System classes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from powershift.budgets.actions import RegisterEntry
from powershift.budgets.models import BallotKind, DeliveryStatus, Project, Round, RoundKind, Rule
from powershift.core.errors import BadInput
from powershift.core.forms import DateInput, GovukFormMixin
from powershift.core.models import Organisation, Place


class RoundForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Name of the round"), max_length=200)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(),
                                   help_text=_("Who lives here may vote"))
    description = forms.CharField(label=_("What the money is for"), widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("Kind of round"), choices=RoundKind.choices)
    budget = forms.IntegerField(label=_("Budget, in pounds"), min_value=1)
    ballot_kind = forms.ChoiceField(label=_("How people vote"), choices=BallotKind.choices)
    max_choices = forms.IntegerField(label=_("Most projects a person may choose"), min_value=1,
                                     required=False, help_text=_("Only for 'choose up to a number'"))
    points = forms.IntegerField(label=_("Points each person shares out"), min_value=1,
                                required=False, help_text=_("Only for 'share out points'"))
    rule = forms.ChoiceField(label=_("How votes are counted"), choices=Rule.choices)
    min_age = forms.IntegerField(label=_("Youngest age that may vote"), min_value=0, max_value=120,
                                 initial=16)
    proposals_close = forms.DateField(label=_("Proposals close"), widget=DateInput())
    voting_opens = forms.DateField(label=_("Voting opens"), widget=DateInput())
    voting_closes = forms.DateField(label=_("Voting closes"), widget=DateInput())

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.govuk_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        closes, opens, ends = (data.get("proposals_close"), data.get("voting_opens"),
                               data.get("voting_closes"))
        if closes and opens and opens < closes:
            self.add_error("voting_opens", _("Voting opens after proposals close"))
        if opens and ends and ends < opens:
            self.add_error("voting_closes", _("Voting closes after it opens"))
        return data


def parse_costs(text: str) -> list[dict[str, Any]]:
    """'Benches: 1,200' per line -> [{"item": "Benches", "amount": 1200}]."""
    items = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item, sep, amount = line.rpartition(":")
        digits = amount.replace(",", "").replace("£", "").strip()
        if not sep or not item.strip() or not digits.isdigit():
            raise ValidationError(_("Line %(n)s: write each cost as 'what it is: amount', "
                                    "for example 'Benches: 1200'") % {"n": n})
        items.append({"item": item.strip(), "amount": int(digits)})
    return items


class ProjectForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Name of the project"), max_length=200)
    description = forms.CharField(label=_("What would it do, and for whom?"),
                                  widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.CharField(label=_("Theme"), max_length=60, required=False,
                               help_text=_("For example: green spaces, young people, streets"))
    costs = forms.CharField(
        label=_("What it would cost"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One cost per line, as 'what it is: amount in pounds', for example "
                    "'Planters: 2400'"))
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                                help_text=_("Optional: where it would be. Click the map to fill this in."))
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    organisation = forms.ModelChoiceField(label=_("Organisation applying"),
                                          queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args: Any, round: Round, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if round.kind == RoundKind.GRANTS:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]
        self.govuk_widgets()

    def clean_costs(self) -> list[dict[str, Any]]:
        return parse_costs(self.cleaned_data["costs"])

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        return {"title": project.title, "description": project.description,
                "category": project.category, "latitude": project.latitude,
                "longitude": project.longitude,
                "costs": "\n".join(f"{i['item']}: {i['amount']}" for i in project.cost_breakdown)}


class ReviewProjectForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Can this project go on the ballot?"), widget=forms.RadioSelect,
                                 choices=[("feasible", _("Yes, it is feasible")),
                                          ("not_feasible", _("No, it is not feasible"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Published on the project's page, for the proposer and everyone"))


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(label=_("Code from your letter"), max_length=20,
                           help_text=_("For example ABCD-EFGH-JKMN"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput(attrs={"autocomplete": "bday"}),
                                    help_text=_("To check you are old enough to vote. It is not stored."))


class VenueForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label=_("The person's email address"),
                             help_text=_("They need a Powershift account"))
    age_confirmed = forms.BooleanField(label=_("I have seen proof of their address and age"))
    paper = forms.BooleanField(label=_("They will vote on paper here"), required=False)


class LettersForm(GovukFormMixin, forms.Form):
    count = forms.IntegerField(label=_("How many letters"), min_value=1, max_value=100_000)


class RegisterForm(GovukFormMixin, forms.Form):
    register = forms.FileField(label=_("Register (CSV)"), help_text=_(
        "Columns 'email' and 'date_of_birth' (YYYY-MM-DD), one person per line"))

    def clean_register(self) -> list[RegisterEntry]:
        upload = self.cleaned_data["register"]
        try:
            return read_register(io.TextIOWrapper(upload, encoding="utf-8-sig"), upload.name)
        except BadInput as e:
            raise ValidationError(str(e)) from e
        except UnicodeDecodeError as e:
            raise ValidationError(_("%(f)s is not UTF-8 text; save it as CSV UTF-8") % {"f": upload.name}) from e


def read_register(stream: io.TextIOBase | io.TextIOWrapper, source: str) -> list[RegisterEntry]:
    reader = csv.DictReader(stream)
    missing = {"email", "date_of_birth"} - set(reader.fieldnames or [])
    if missing:
        raise BadInput(f"{source}:1: no '{sorted(missing)[0]}' column; the first line must name "
                       "the columns email,date_of_birth")
    entries = []
    for row in reader:
        line = reader.line_num
        email = (row.get("email") or "").strip()
        if "@" not in email:
            raise BadInput(f"{source}:{line}: '{email}' is not an email address; correct or remove the line")
        try:
            born = dt.date.fromisoformat((row.get("date_of_birth") or "").strip())
        except ValueError:
            raise BadInput(f"{source}:{line}: date_of_birth must be YYYY-MM-DD, like 1980-03-31") from None
        entries.append(RegisterEntry(line=line, email=email, date_of_birth=born))
    if not entries:
        raise BadInput(f"{source}:2: the register has no people; add one line per person")
    return entries


class StageForm(forms.Form):
    to = forms.CharField()


class UpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Where the project is"), choices=DeliveryStatus.choices)
    text = forms.CharField(label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 4}))


class BallotForm(GovukFormMixin, forms.Form):
    """One field per project on the ballot: a tick box, or a points box for cumulative voting."""

    def __init__(self, *args: Any, round: Round, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round, self.projects = round, projects
        for p in projects:
            if round.ballot_kind == BallotKind.CUMULATIVE:
                self.fields[f"p{p.number}"] = forms.IntegerField(
                    label=p.title, min_value=0, max_value=round.points, required=False)
            else:
                self.fields[f"p{p.number}"] = forms.BooleanField(label=p.title, required=False)
        self.govuk_widgets()

    def choices(self) -> dict[int, int]:
        return {p.number: int(self.cleaned_data.get(f"p{p.number}") or 0) for p in self.projects}

    def rows(self) -> list[tuple[Project, forms.BoundField]]:
        return [(p, self[f"p{p.number}"]) for p in self.projects]


class PaperBallotForm(BallotForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paper_number"] = forms.CharField(
            label=_("Number printed on the paper ballot"), max_length=40)
        self.order_fields(["paper_number"])
        self.govuk_widgets()

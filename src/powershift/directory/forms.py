"""Forms for the directory, rendered with GOV.UK Design System classes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from powershift.core.forms import GovukFormMixin
from powershift.core.models import Place, PlaceKind, PlaceStatus
from powershift.directory import actions
from powershift.directory.models import Service, TaxonomyTerm
from powershift.formats import oruk

DAY_CHOICES = [("", _("Any day")), ("0", _("Monday")), ("1", _("Tuesday")), ("2", _("Wednesday")),
               ("3", _("Thursday")), ("4", _("Friday")), ("5", _("Saturday")), ("6", _("Sunday"))]
TIME_CHOICES = [("", _("Any time")), ("morning", _("Morning (6am to noon)")),
                ("afternoon", _("Afternoon (noon to 5pm)")), ("evening", _("Evening (5pm to 10pm)"))]
WINDOWS = {"morning": (6 * 60, 12 * 60), "afternoon": (12 * 60, 17 * 60), "evening": (17 * 60, 22 * 60)}


def place_choices() -> list[tuple[str, str]]:
    places = Place.objects.filter(status=PlaceStatus.APPROVED, kind__in=[
        PlaceKind.NATURAL, PlaceKind.WARD, PlaceKind.SERVICE_NEIGHBOURHOOD, PlaceKind.LOCALITY]
    ).order_by("kind", "name").defer("geometry", "landmarks")
    labels = dict(PlaceKind.choices)
    return [("", str(_("Anywhere")))] + [(p.code, f"{p.name} ({labels[p.kind]})") for p in places]


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200,
                        help_text=_("For example: lonely Tuesday afternoon, food bank, knitting"))
    place = forms.ChoiceField(label=_("Where"), required=False)
    term = forms.MultipleChoiceField(label=_("What matters to you"), required=False,
                                     widget=forms.CheckboxSelectMultiple)
    day = forms.ChoiceField(label=_("Day"), choices=DAY_CHOICES, required=False)
    time = forms.ChoiceField(label=_("Time of day"), choices=TIME_CHOICES, required=False)
    age = forms.IntegerField(label=_("Age of the person it is for"), required=False, min_value=0,
                             max_value=130)
    language = forms.CharField(label=_("Language spoken"), required=False, max_length=50)
    accessibility = forms.CharField(label=_("Access need"), required=False, max_length=50,
                                    help_text=_("For example: step-free, hearing loop"))
    free = forms.BooleanField(label=_("Free only"), required=False)
    stale = forms.BooleanField(label=_("Include listings not confirmed for over a year"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = place_choices()  # type: ignore[attr-defined]
        self.fields["term"].choices = [  # type: ignore[attr-defined]
            (t.code, t.name) for t in TaxonomyTerm.objects.filter(vocabulary=oruk.OUR_VOCABULARY).order_by("name")]
        self.govuk_widgets()


class ServiceForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the group, activity or service"), max_length=200)
    description = forms.CharField(label=_("What happens there"), widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Plain text; say who it is for and what to expect"))
    terms = forms.MultipleChoiceField(label=_("What it helps with"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    day = forms.ChoiceField(label=_("Day it meets"), choices=DAY_CHOICES, required=False)
    opens_at = forms.TimeField(label=_("Starts at"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label=_("Finishes at"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}))
    location_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False,
                                help_text=_("Optional: decimal degrees, e.g. 53.48"))
    longitude = forms.FloatField(label=_("Longitude"), required=False,
                                 help_text=_("Optional: decimal degrees, e.g. -2.24"))
    is_free = forms.BooleanField(label=_("Free to take part"), required=False)
    fees = forms.CharField(label=_("Costs"), max_length=300, required=False)
    minimum_age = forms.IntegerField(label=_("Youngest age"), required=False, min_value=0, max_value=130)
    maximum_age = forms.IntegerField(label=_("Oldest age"), required=False, min_value=0, max_value=130)
    capacity = forms.IntegerField(label=_("Places available now"), required=False, min_value=0,
                                  help_text=_("Leave empty if you do not count places"))
    languages = forms.CharField(label=_("Languages spoken"), max_length=300, required=False,
                                help_text=_("Separate them with commas"))
    accessibility = forms.CharField(label=_("Access"), max_length=500, required=False,
                                    help_text=_("For example: step-free, hearing loop; separate with commas"))
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["terms"].choices = [  # type: ignore[attr-defined]
            (t.code, t.name) for t in TaxonomyTerm.objects.filter(vocabulary=oruk.OUR_VOCABULARY).order_by("name")]
        self.govuk_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if (opens or closes) and not data.get("day"):
            self.add_error("day", _("Choose the day it meets, or leave the times empty"))
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("It must finish after it starts"))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither"))
        return data

    def listing(self) -> actions.Listing:
        d = self.cleaned_data
        schedules: list[oruk.Schedule] = []
        if d.get("day"):
            schedules.append(oruk.Schedule(byday=(oruk.DAYS[int(d["day"])],), opens_at=d.get("opens_at"),
                                           closes_at=d.get("closes_at")))
        return actions.Listing(
            name=d["name"], description=d["description"], url=d.get("url") or "", email=d.get("email") or "",
            phone=d.get("phone") or "", is_free=True if d.get("is_free") else None, fees=d.get("fees") or "",
            minimum_age=d.get("minimum_age"), maximum_age=d.get("maximum_age"), capacity=d.get("capacity"),
            languages=[x.strip() for x in (d.get("languages") or "").split(",")],
            accessibility=[x.strip() for x in (d.get("accessibility") or "").split(",")],
            terms=d.get("terms") or [], location_name=d.get("location_name") or "",
            address=d.get("address") or "", postcode=d.get("postcode") or "",
            latitude=d.get("latitude"), longitude=d.get("longitude"), schedules=schedules)

    @staticmethod
    def initial_for(s: Service) -> dict[str, Any]:
        loc = s.locations.first()
        sched = s.schedules.first()
        day = ""
        if sched and sched.byday:
            code = sched.byday.split(",")[0][-2:]
            day = str(oruk.DAYS.index(code)) if code in oruk.DAYS else ""
        return {
            "name": s.name, "description": s.description, "terms": [t.code for t in s.terms.all()],
            "day": day, "opens_at": sched.opens_at if sched else None,
            "closes_at": sched.closes_at if sched else None,
            "location_name": loc.name if loc else "", "address": loc.address if loc else "",
            "postcode": loc.postcode if loc else "", "latitude": loc.latitude if loc else None,
            "longitude": loc.longitude if loc else None, "is_free": bool(s.is_free), "fees": s.fees,
            "minimum_age": s.minimum_age, "maximum_age": s.maximum_age, "capacity": s.capacity,
            "languages": ", ".join(s.language_list()), "accessibility": ", ".join(s.accessibility_list()),
            "url": s.url, "email": s.email, "phone": s.phone,
        }


class SuggestionForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label=_("What is wrong or should change"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


class AnswerForm(GovukFormMixin, forms.Form):
    accepted = forms.TypedChoiceField(label=_("Did you change the listing?"), coerce=lambda v: v == "yes",
                                      choices=[("yes", _("Yes, it is changed")), ("no", _("No"))],
                                      widget=forms.RadioSelect)
    response = forms.CharField(label=_("Reply (optional)"), required=False, max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_widgets()


def window_of(choice: str) -> tuple[int, int] | None:
    return WINDOWS.get(choice)

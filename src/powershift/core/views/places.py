from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from powershift.core import actions, queries
from powershift.core.forms import ProposeNeighbourhoodForm, ReviewPlaceForm, show_action_errors
from powershift.core.models import Place, PlaceKind, PlaceStatus
from powershift.core.types import AuthedRequest


def _visible(request: HttpRequest, code: str) -> Place:
    place = get_object_or_404(Place.objects.select_related("parent", "proposed_by"), code=code)
    if not rules.has_perm("core.view_place", request.user, place):
        raise Http404("no such place")
    return place


def place_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    places = queries.visible_places(request.user).select_related("parent")
    if kind in PlaceKind.values:
        places = places.filter(kind=kind)
    else:
        kind = ""
        places = places.filter(parent__isnull=True)
    return render(request, "core/places/list.html", {
        "places": places.order_by("name")[:500], "kind": kind,
        "kinds": [(k, PlaceKind(k).label, n) for k, n in queries.places_by_kind()],
        "nav": "places",
    })


def place_detail(request: HttpRequest, code: str) -> HttpResponse:
    place = _visible(request, code)
    children = place.children.filter(status=PlaceStatus.APPROVED).order_by("kind", "name")
    naturals = children.filter(kind=PlaceKind.NATURAL)
    return render(request, "core/places/detail.html", {
        "place": place,
        "ancestors": list(reversed(place.ancestors())),
        "children": children.exclude(kind=PlaceKind.NATURAL),
        "naturals": naturals,
        "overlaps": queries.overlaps_with_service_places(place) if place.kind == PlaceKind.NATURAL else {},
        "can_review": place.status == PlaceStatus.PROPOSED
        and rules.has_perm("core.review_place", request.user, place),
        "nav": "places",
    })


def _feature(place: Place, role: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": place.geometry,
        "properties": {"code": place.code, "name": place.name, "kind": place.kind,
                       "url": reverse("core:place", args=[place.code]), "role": role},
    }


def place_map(request: HttpRequest, code: str) -> JsonResponse:
    """GeoJSON for a place's page map: the place, its sub-places, and its landmarks."""
    place = _visible(request, code)
    features = []
    # Sub-places two levels down (a locality shows its service neighbourhoods and their wards).
    below = Place.objects.filter(
        Q(parent=place) | Q(parent__parent=place), status=PlaceStatus.APPROVED, geometry__isnull=False
    ).exclude(kind=PlaceKind.LSOA).order_by("kind", "code")
    features += [_feature(c, "child") for c in below[:400]]
    if place.kind == PlaceKind.NATURAL:
        for rows in queries.overlaps_with_service_places(place).values():
            features += [_feature(o.place, "overlap") for o in rows if o.place.kind == PlaceKind.WARD]
    if place.geometry:
        features.append(_feature(place, "focus"))
    for landmark in (place.landmarks or {}).get("features", []):
        features.append({**landmark, "properties": {**landmark.get("properties", {}), "role": "landmark"}})
    return JsonResponse({"type": "FeatureCollection", "features": features},
                        content_type="application/geo+json")


@login_required
def propose(request: AuthedRequest) -> HttpResponse:
    form = ProposeNeighbourhoodForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            place = actions.propose_natural_neighbourhood(
                request.user, parent=form.cleaned_data["parent"], name=form.cleaned_data["name"],
                description=form.cleaned_data["description"], geometry=form.cleaned_data["shape"],
            )
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Thank you. Staff will review your neighbourhood."))
            return redirect(place)
    first = form.fields["parent"].queryset.first()  # type: ignore[attr-defined]
    return render(request, "core/places/propose.html", {
        "form": form, "map_code": first.code if first else None, "nav": "places"})


@login_required
def review(request: AuthedRequest, code: str) -> HttpResponse:
    place = _visible(request, code)
    if not rules.has_perm("core.review_place", request.user, place):
        raise PermissionDenied
    form = ReviewPlaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_place(request.user, place, approve=form.cleaned_data["decision"] == "approve",
                                 reason=form.cleaned_data["reason"])
        except ValidationError as e:
            show_action_errors(form, e)
        else:
            messages.success(request, _("Your decision has been recorded"))
            return redirect(place)
    return render(request, "core/places/review.html", {"form": form, "place": place, "nav": "places"})

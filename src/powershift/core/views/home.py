from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from powershift.core.models import Place, PlaceKind, PlaceStatus
from powershift.core.modules import MODULES_BY_SLUG


def home(request: HttpRequest) -> HttpResponse:
    localities = Place.objects.filter(
        kind__in=[PlaceKind.COMBINED_AUTHORITY, PlaceKind.LOCALITY], status=PlaceStatus.APPROVED
    ).order_by("kind", "name")[:12]
    return render(request, "core/home.html", {"localities": localities})


def module(request: HttpRequest, slug: str) -> HttpResponse:
    """A module's landing page; until the module is built it says what is coming."""
    found = MODULES_BY_SLUG.get(slug)
    if found is None:
        raise Http404("no such module")
    if found.url_name:
        return redirect(found.href)
    return render(request, "core/module.html", {"module": found, "nav": slug})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")

"""The Open Referral UK API (HSDS 3 UK profile): read-only, open (no key), CORS `*`, at /oruk/.

Responses follow the profile's schemas (tests/data/oruk/schema, checked with jsonschema): ids
are UUIDs, absent values are left out rather than null, lists come in the `Page` envelope.
Filters: search, taxonomy_term_id, taxonomy_id, organization_id, minimum_age, maximum_age, day,
start_time, end_time, postcode with proximity (metres), modified_after, page, per_page; and
two extras: `age` (services that take a person of this age) and `lat`/`lon` for proximity.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import HttpError

from powershift.core.models import Organisation
from powershift.directory import queries, search_index
from powershift.directory.models import Location, Schedule, Service, Slot, TaxonomyTerm
from powershift.formats.oruk import DAYS
from powershift.methods import directory_search as ds

NAMESPACE = uuid.UUID("8f6f2c64-5a7e-4f44-9d7b-3f1c2a9e0d11")
PROFILE = "https://openreferraluk.org/"
MAX_PER_PAGE = 200

api = NinjaAPI(title="Open Referral UK", version="3.0-uk", urls_namespace="oruk",
               description="The community directory as Open Referral UK (HSDS 3 UK profile).")


def _id(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def organisation_uuid(o: Organisation) -> str:
    return _id("organisation", o.pk)


def term_uuid(t: TaxonomyTerm) -> str:
    return _id("term", t.code)


def taxonomy_uuid(vocabulary: str) -> str:
    return _id("taxonomy", vocabulary)


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is not known: the schemas type these fields as strings, not null."""
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _cors(response: HttpResponse) -> None:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"


def _organisation(o: Organisation) -> dict[str, Any]:
    profile = getattr(o, "directory_profile", None)
    return _compact({
        "id": organisation_uuid(o), "name": o.name,
        "description": (profile.description if profile else "") or o.name,
        "email": profile.email if profile else None, "website": profile.website if profile else None,
    })


def service_summary(s: Service) -> dict[str, Any]:
    return _compact({
        "id": str(s.uuid), "organization_id": organisation_uuid(s.organisation), "name": s.name,
        "description": s.description, "url": s.url, "email": s.email, "status": s.status,
        "fees": s.fees, "minimum_age": s.minimum_age, "maximum_age": s.maximum_age,
        "assured_date": s.assured_date.isoformat(), "last_modified": s.last_modified.isoformat(),
        "organization": _organisation(s.organisation),
    })


def _term(t: TaxonomyTerm) -> dict[str, Any]:
    return _compact({"id": term_uuid(t), "name": t.name, "description": t.synonyms or t.name,
                     "taxonomy": t.vocabulary, "taxonomy_id": taxonomy_uuid(t.vocabulary), "term": t.code})


def _location(loc: Location) -> dict[str, Any]:
    return _compact({"id": _id("location", loc.pk), "location_type": "physical", "name": loc.name,
                     "latitude": loc.latitude, "longitude": loc.longitude})


def _schedule(s: Schedule, service_id: str) -> dict[str, Any]:
    return _compact({
        "id": _id("schedule", s.pk), "service_id": service_id, "freq": s.freq, "interval": s.interval,
        "byday": s.byday, "bymonthday": s.bymonthday, "description": s.description,
        "opens_at": s.opens_at.strftime("%H:%M") if s.opens_at else None,
        "closes_at": s.closes_at.strftime("%H:%M") if s.closes_at else None,
        "valid_from": s.valid_from.isoformat() if s.valid_from else None,
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
    })


def service_full(s: Service) -> dict[str, Any]:
    sid = str(s.uuid)
    out = service_summary(s)
    out.update({
        "schedules": [_schedule(x, sid) for x in s.schedules.all()],
        "service_at_locations": [{"id": _id("sal", loc.pk), "service_id": sid,
                                  "location_id": _id("location", loc.pk), "location": _location(loc)}
                                 for loc in s.locations.all()],
        "attributes": [{"id": _id("attribute", f"{s.pk}:{t.code}"), "link_id": sid,
                        "taxonomy_term_id": term_uuid(t), "link_type": "service",
                        "taxonomy_term": _term(t)} for t in s.terms.all()],
        "cost_options": ([{"id": _id("cost", s.pk), "service_id": sid, "amount": 0, "option": "Free"}]
                         if s.is_free else []),
        "languages": [{"id": _id("language", f"{s.pk}:{x}"), "service_id": sid, "name": x}
                      for x in s.language_list()],
        "service_areas": [{"id": _id("area", f"{s.pk}:{p.pk}"), "service_id": sid, "name": p.name,
                           "service_area": p.name} for p in s.service_areas.all()],
    })
    if s.capacity is not None:  # HSDS 3.1
        out["capacity"] = {"available": s.capacity,
                           "updated": s.capacity_updated_at.isoformat() if s.capacity_updated_at else None}
    return out


def _page(items: list[dict[str, Any]], total: int, page: int, per_page: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / per_page))
    return {"total_items": total, "total_pages": pages, "page_number": page, "size": len(items),
            "first_page": page == 1, "last_page": page >= pages, "empty": total == 0, "contents": items}


def _paging(page: int, per_page: int) -> tuple[int, int]:
    if page < 1:
        raise HttpError(400, "page counts from 1")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise HttpError(400, f"per_page must be from 1 to {MAX_PER_PAGE}")
    return page, per_page


def _minutes(value: str | None, name: str) -> int | None:
    if not value:
        return None
    try:
        t = dt.time.fromisoformat(value)
    except ValueError:
        raise HttpError(400, f"{name} must be a time, HH:MM") from None
    return t.hour * 60 + t.minute


def _filtered(request: HttpRequest, search: str, taxonomy_term_id: str, taxonomy_id: str,
              organization_id: str, minimum_age: float | None, maximum_age: float | None,
              age: int | None, day: str, start_time: str | None, end_time: str | None,
              postcode: str, proximity: float | None, lat: float | None, lon: float | None,
              modified_after: str | None) -> tuple[Any, tuple[float, float] | None]:
    services = queries.live()
    if search.strip():
        parsed = ds.parse_query(search)
        words, _ = search_index.query_words(parsed.words)
        if words:
            services = services.filter(pk__in=[k for k, _ in search_index.matches(words, ds.TagFilter(), services)[0]])
    if taxonomy_term_id:
        terms = [t for t in TaxonomyTerm.objects.all() if taxonomy_term_id in (term_uuid(t), t.code)]
        services = services.filter(pk__in=Service.terms.through.objects.filter(
            taxonomyterm__in=terms).values("service_id"))
    if taxonomy_id:
        vocabularies = [v for v in TaxonomyTerm.objects.values_list("vocabulary", flat=True).distinct()
                        if taxonomy_id in (taxonomy_uuid(v), v)]
        services = services.filter(pk__in=Service.terms.through.objects.filter(
            taxonomyterm__vocabulary__in=vocabularies).values("service_id"))
    if organization_id:
        orgs = [o.pk for o in Organisation.objects.filter(directory_services__isnull=False).distinct()
                if organisation_uuid(o) == organization_id]
        services = services.filter(organisation_id__in=orgs)
    if minimum_age is not None:
        services = services.filter(minimum_age__gte=minimum_age)
    if maximum_age is not None:
        services = services.filter(maximum_age__lte=maximum_age)
    if age is not None:
        services = services.exclude(minimum_age__gt=age).exclude(maximum_age__lt=age)
    lo, hi = _minutes(start_time, "start_time"), _minutes(end_time, "end_time")
    if day or lo is not None or hi is not None:
        slots = Slot.objects.all()
        if day:
            code = day.strip().upper()[:2]
            if code not in DAYS:
                raise HttpError(400, "day must be a day of the week, e.g. TU or Tuesday")
            slots = slots.filter(weekday=DAYS.index(code))
        if lo is not None:
            slots = slots.filter(closes__gt=lo)
        if hi is not None:
            slots = slots.filter(opens__lt=hi)
        services = services.filter(pk__in=slots.values("service_id"))
    if modified_after:
        try:
            when = dt.datetime.fromisoformat(modified_after)
        except ValueError:
            raise HttpError(400, "modified_after must be a date-time, e.g. 2026-01-31T00:00:00") from None
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        services = services.filter(last_modified__gte=when)
    near: tuple[float, float] | None = None
    if lat is not None and lon is not None:
        near = (lat, lon)
    elif postcode:
        loc = Location.objects.filter(postcode__iexact=" ".join(postcode.split()).upper(),
                                      latitude__isnull=False).first()
        if loc is None:
            raise HttpError(400, "postcode is not one this directory knows; give lat and lon instead")
        near = (loc.latitude, loc.longitude)  # type: ignore[assignment]
    if near and proximity is not None:
        # A bounding box first (cheap in SQL), then the exact distance.
        dlat = proximity / 111_320
        dlon = proximity / (111_320 * max(0.1, math.cos(math.radians(near[0]))))
        box = services.filter(latitude__range=(near[0] - dlat, near[0] + dlat),
                              longitude__range=(near[1] - dlon, near[1] + dlon))
        rows = [(k, float(a), float(b)) for k, a, b in box.values_list("pk", "latitude", "longitude")
                if a is not None and b is not None]
        if rows:
            d = ds.distances_m(near[0], near[1], [r[1] for r in rows], [r[2] for r in rows])
            services = services.filter(pk__in=[r[0] for r, x in zip(rows, d, strict=True) if x <= proximity])
        else:
            services = services.none()
    return services, near


@api.get("/", summary="About this API")
def about(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    _cors(response)
    return {"version": "3.0", "profile": PROFILE,
            "openapi_url": request.build_absolute_uri("openapi.json")}


@api.get("/services", summary="Services, a page at a time")
def services(request: HttpRequest, response: HttpResponse, search: str = "", page: int = 1,
             per_page: int = 50, taxonomy_term_id: str = "", taxonomy_id: str = "",
             organization_id: str = "", minimum_age: float | None = None,
             maximum_age: float | None = None, age: int | None = None, day: str = "",
             start_time: str | None = None, end_time: str | None = None, postcode: str = "",
             proximity: float | None = None, lat: float | None = None, lon: float | None = None,
             modified_after: str | None = None) -> dict[str, Any]:
    _cors(response)
    page, per_page = _paging(page, per_page)
    qs, near = _filtered(request, search, taxonomy_term_id, taxonomy_id, organization_id, minimum_age,
                         maximum_age, age, day, start_time, end_time, postcode, proximity, lat, lon,
                         modified_after)
    total = qs.count()
    # In id order: the index serves any page without sorting the whole directory.
    ids = list(qs.order_by("pk").values_list("pk", flat=True)[(page - 1) * per_page: page * per_page])
    rows = Service.objects.filter(pk__in=ids).select_related(
        "organisation", "organisation__directory_profile").order_by("pk")
    return _page([service_summary(s) for s in rows], total, page, per_page)


@api.get("/services/{service_id}", summary="One service, fully nested")
def service_detail(request: HttpRequest, response: HttpResponse, service_id: str) -> dict[str, Any]:
    _cors(response)
    try:
        key = uuid.UUID(service_id)
    except ValueError:
        raise Http404("no such service") from None
    s = queries.with_details(queries.live().filter(uuid=key)).select_related(
        "organisation__directory_profile").first()
    if s is None:
        raise Http404("no such service")
    return service_full(s)


@api.get("/taxonomies", summary="Vocabularies of taxonomy terms")
def taxonomies(request: HttpRequest, response: HttpResponse, page: int = 1, per_page: int = 50
               ) -> dict[str, Any]:
    _cors(response)
    page, per_page = _paging(page, per_page)
    vocabularies = sorted(set(TaxonomyTerm.objects.values_list("vocabulary", flat=True)))
    items = [{"id": taxonomy_uuid(v), "name": v, "description": (
        "Plain words for what matters to people" if v == "what-matters" else f"Terms from {v}")}
        for v in vocabularies[(page - 1) * per_page: page * per_page]]
    return _page(items, len(vocabularies), page, per_page)


@api.get("/taxonomy_terms", summary="Taxonomy terms")
def taxonomy_terms(request: HttpRequest, response: HttpResponse, page: int = 1, per_page: int = 50,
                   taxonomy_id: str = "", search: str = "") -> dict[str, Any]:
    _cors(response)
    page, per_page = _paging(page, per_page)
    terms = TaxonomyTerm.objects.order_by("vocabulary", "name", "code")
    if search.strip():
        terms = terms.filter(name__icontains=search.strip())
    chosen = [t for t in terms if not taxonomy_id or taxonomy_id in (taxonomy_uuid(t.vocabulary), t.vocabulary)]
    return _page([_term(t) for t in chosen[(page - 1) * per_page: page * per_page]], len(chosen), page, per_page)


@api.get("/service_at_locations", summary="Services at their locations, a page at a time")
def service_at_locations(request: HttpRequest, response: HttpResponse, search: str = "",
                         page: int = 1, per_page: int = 50, taxonomy_term_id: str = "",
                         taxonomy_id: str = "", organization_id: str = "",
                         minimum_age: float | None = None, maximum_age: float | None = None,
                         age: int | None = None, day: str = "", start_time: str | None = None,
                         end_time: str | None = None, postcode: str = "",
                         proximity: float | None = None, lat: float | None = None,
                         lon: float | None = None, modified_after: str | None = None) -> dict[str, Any]:
    _cors(response)
    page, per_page = _paging(page, per_page)
    qs, near = _filtered(request, search, taxonomy_term_id, taxonomy_id, organization_id, minimum_age,
                         maximum_age, age, day, start_time, end_time, postcode, proximity, lat, lon,
                         modified_after)
    locations = Location.objects.filter(service__in=qs).select_related(
        "service", "service__organisation", "service__organisation__directory_profile").order_by("pk")
    total = locations.count()
    items = [{"id": _id("sal", loc.pk), "service_id": str(loc.service.uuid),
              "location_id": _id("location", loc.pk), "location": _location(loc),
              "service": service_summary(loc.service)}
             for loc in locations[(page - 1) * per_page: page * per_page]]
    return _page(items, total, page, per_page)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc) or "not found"}, status=404)
    _cors(response)
    return response

"""Reads for directory pages, the ORUK API and other modules (support refers people with
`search`): live listings only, stale ones left out of default search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from powershift.core.models import Organisation, Place, Role, User
from powershift.directory import search_index
from powershift.directory.models import (
    HIDDEN_AFTER,
    Duplicate,
    DuplicateStatus,
    Service,
    Slot,
    Status,
    Suggestion,
    SuggestionStatus,
    TaxonomyTerm,
)
from powershift.methods import directory_search as ds

# Text matches ranked by nearness are taken from the best this many by relevance.
NEAR_CANDIDATES = 3000


def live() -> QuerySet[Service]:
    """Listed services: running or paused, not merged into another."""
    return Service.objects.filter(merged_into__isnull=True).exclude(status=Status.DEFUNCT)


def for_results(services: QuerySet[Service]) -> QuerySet[Service]:
    """What a list of results shows: organisation, locations and terms, as lists in
    `result_locations` and `result_terms` (cheaper than a related manager each)."""
    return services.select_related("organisation").prefetch_related(
        Prefetch("terms", to_attr="result_terms"), Prefetch("locations", to_attr="result_locations"))


def with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organisation").prefetch_related(
        "terms", "locations", "schedules",
        Prefetch("service_areas", queryset=Place.objects.defer("geometry", "landmarks")))


@dataclass(frozen=True)
class Filters:
    """What a search asks for. Days: 0 = Monday; window: minutes from midnight [start, end)."""

    text: str = ""
    place: Place | None = None
    terms: Sequence[str] = ()
    days: frozenset[int] = frozenset()
    window: tuple[int, int] | None = None
    free: bool = False
    age: int | None = None
    accessibility: str = ""
    language: str = ""
    near: tuple[float, float] | None = None  # (latitude, longitude)
    include_stale: bool = False
    has_capacity: bool = False  # only services with places available (for referrals)
    organisation: Organisation | None = None


@dataclass
class Results:
    services: list[Service]
    total: int
    words: list[str] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)
    days: frozenset[int] = frozenset()
    window: tuple[int, int] | None = None


def _filtered(f: Filters, days: frozenset[int], window: tuple[int, int] | None, free: bool,
              today: dt.date, *, tagged: bool = False) -> QuerySet[Service]:
    """Listed services matching the filters. `tagged`: leave out what `_tags` asks of the
    search index, and check day and time per service (only the index's hits are checked)."""
    qs = live().filter(status=Status.ACTIVE)
    if not f.include_stale:
        qs = qs.filter(assured_date__gte=today - HIDDEN_AFTER)
    if f.place is not None and not tagged:
        qs = qs.filter(Q(pk__in=Service.places.through.objects.filter(place_id=f.place.pk).values("service_id"))
                       | Q(pk__in=Service.service_areas.through.objects.filter(place_id__in=_scope(f.place))
                           .values("service_id")))
    if f.terms and not tagged:
        qs = qs.filter(pk__in=Service.terms.through.objects.filter(
            taxonomyterm__code__in=list(f.terms)).values("service_id"))
    if days or window:
        lo, hi = window or (0, 24 * 60)
        slots = Slot.objects.filter(opens__lt=hi, closes__gt=lo)
        if days:
            slots = slots.filter(weekday__in=sorted(days))
        if not tagged:
            qs = qs.filter(pk__in=slots.values("service_id"))
        elif window:  # the index knows the days, not the times
            qs = qs.filter(Exists(slots.filter(service_id=OuterRef("pk"))))
    if free and not tagged:
        qs = qs.filter(is_free=True)
    if f.age is not None:
        qs = qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=f.age),
                       Q(maximum_age__isnull=True) | Q(maximum_age__gte=f.age))
    if f.accessibility.strip():
        qs = qs.filter(accessibility__icontains=f.accessibility.strip().lower())
    if f.language.strip():
        qs = qs.filter(languages__icontains=f";{f.language.strip().lower()};")
    if f.has_capacity:
        qs = qs.filter(Q(capacity__isnull=True) | Q(capacity__gt=0))
    if f.organisation is not None:
        qs = qs.filter(organisation=f.organisation)
    return qs


def _scope(place: Place) -> list[int]:
    """A service whose area is this place or one containing it serves this place."""
    return [place.pk, *(p.pk for p in place.ancestors())]


def _tags(f: Filters, days: frozenset[int], free: bool) -> ds.TagFilter:
    """The filters the search index can apply itself (see `_filtered(tagged=True)`)."""
    term_ids = (list(TaxonomyTerm.objects.filter(code__in=list(f.terms)).values_list("pk", flat=True))
                if f.terms else None)
    return ds.TagFilter.of(free=free, term_ids=term_ids, weekdays=days,
                           place_ids=[f.place.pk] if f.place is not None else (),
                           area_ids=_scope(f.place) if f.place is not None else ())


def search(f: Filters, *, limit: int = 20, offset: int = 0, today: dt.date | None = None) -> Results:
    """Services matching every filter, ranked by relevance and nearness.

    Days, parts of the day and "free" written in the text ("lonely tuesday afternoon") count as
    filters; the other words are searched with stemming, typos corrected to known words.
    """
    today = today or timezone.localdate()
    parsed = ds.parse_query(f.text)
    days = f.days | parsed.days
    window = f.window or parsed.window
    free = f.free or parsed.free
    words, corrected = search_index.query_words(parsed.words)
    qs = _filtered(f, days, window, free, today, tagged=bool(words))
    if words:
        hits, total = search_index.matches(words, _tags(f, days, free), qs,
                                           limit=NEAR_CANDIDATES if f.near else offset + limit)
        if f.near:
            points = dict((k, (la, lo)) for k, la, lo in Service.objects.filter(
                pk__in=[k for k, _ in hits]).values_list("pk", "latitude", "longitude"))
            order = _by_nearness([k for k, _ in hits], [r for _, r in hits], points, f.near)
        else:
            order = [k for k, _ in hits]
    elif f.near:
        rows = list(qs.values_list("pk", "latitude", "longitude")[:NEAR_CANDIDATES])
        points = {k: (la, lo) for k, la, lo in rows}
        order = _by_nearness([k for k, _, _ in rows], [0.0] * len(rows), points, f.near)
        total = qs.count()
    else:
        order = list(qs.order_by("name", "pk").values_list("pk", flat=True)[offset:offset + limit])
        total = qs.count()
        offset = 0
    page = order[offset:offset + limit]
    found = for_results(Service.objects.filter(pk__in=page)).in_bulk(page)
    return Results([found[k] for k in page if k in found], total, words, corrected, days, window)


def _by_nearness(keys: list[int], relevance: list[float], points: dict[int, tuple[float | None, float | None]],
                 near: tuple[float, float]) -> list[int]:
    lats = [points.get(k, (None, None))[0] for k in keys]
    lons = [points.get(k, (None, None))[1] for k in keys]
    known = [i for i, (a, b) in enumerate(zip(lats, lons, strict=True)) if a is not None and b is not None]
    dist: list[float | None] = [None] * len(keys)
    if known:
        d = ds.distances_m(near[0], near[1], [lats[i] for i in known], [lons[i] for i in known])  # type: ignore[misc]
        for i, x in zip(known, d, strict=True):
            dist[i] = float(x)
    return ds.rank(keys, relevance, dist)


def service(pk: int) -> Service | None:
    return with_details(Service.objects.filter(pk=pk)).first()


def owned_by(user: User) -> QuerySet[Organisation]:
    """Organisations whose listings this person keeps."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        role_assignments__user=user,
        role_assignments__role__in=[Role.ORG_LEADER, Role.ORG_MEMBER]).distinct().order_by("name")


def services_of(organisations: QuerySet[Organisation]) -> QuerySet[Service]:
    return with_details(live().filter(organisation__in=organisations)).order_by("name", "pk")


def open_suggestions(service: Service) -> QuerySet[Suggestion]:
    return service.suggestions.filter(status=SuggestionStatus.OPEN).select_related("author")


def open_duplicates() -> QuerySet[Duplicate]:
    return Duplicate.objects.filter(status=DuplicateStatus.OPEN).select_related(
        "first", "second", "first__organisation", "second__organisation")


def what_matters() -> QuerySet[TaxonomyTerm]:
    from powershift.formats.oruk import OUR_VOCABULARY

    return TaxonomyTerm.objects.filter(vocabulary=OUR_VOCABULARY).order_by("name")


def next_times(service: Service, count: int = 3, now: dt.datetime | None = None) -> list[tuple[dt.datetime, dt.datetime]]:
    """The next times it is on, from all its schedules, soonest first."""
    now = now or timezone.localtime().replace(tzinfo=None)
    rules = [search_index.rule(s) for s in service.schedules.all()]
    times = [t for r in rules if ds.weekly_slots(r) for t in ds.occurrences(r, now, count)]
    return sorted(times)[:count]


def with_prefetched_suggestions(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.prefetch_related(Prefetch(
        "suggestions", queryset=Suggestion.objects.filter(status=SuggestionStatus.OPEN), to_attr="open"))

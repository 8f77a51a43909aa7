"""The directory's action functions: the only code that changes listings.

Each checks permission, validates, writes in one transaction, keeps the search index in step
(`search_index.reindex`) and appends an audit record. `actor=None` is the system (the command
line, the demo, scheduled nudges).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from powershift.core.audit import record
from powershift.core.models import Organisation, Place, RoleAssignment, User, Visibility
from powershift.directory import search_index
from powershift.directory.models import (
    UNCONFIRMED_AFTER,
    Duplicate,
    DuplicateStatus,
    Location,
    Profile,
    Schedule,
    Service,
    Status,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    TaxonomyTerm,
)
from powershift.directory.permissions import OWNERS
from powershift.formats import openactive, oruk
from powershift.methods import directory_search as ds

NUDGE_EVERY = dt.timedelta(days=30)


def _require(perm: str, actor: User | None, obj: Any = None) -> None:
    if actor is not None and not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(perm)


def ensure_what_matters() -> None:
    """The plain-words vocabulary, with the words people search with for each term."""
    for code, (name, synonyms) in oruk.WHAT_MATTERS.items():
        TaxonomyTerm.objects.update_or_create(code=code, defaults={
            "name": name, "vocabulary": oruk.OUR_VOCABULARY, "synonyms": " ".join(synonyms)})


@dataclass
class Listing:
    """What an owner fills in for a group, activity or service."""

    name: str
    description: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""
    is_free: bool | None = None
    fees: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    capacity: int | None = None
    languages: Sequence[str] = ()
    accessibility: Sequence[str] = ()
    terms: Sequence[str] = ()  # TaxonomyTerm codes
    location_name: str = ""
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    schedules: Sequence[oruk.Schedule] = ()
    service_areas: Sequence[Place] = ()


def _joined(items: Sequence[str]) -> str:
    clean = [" ".join(x.lower().split()).replace(";", ",") for x in items if x.strip()]
    return f";{';'.join(dict.fromkeys(clean))};" if clean else ""


def _validate(data: Listing) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name, _ = oruk.plain_text(data.name)
    if not name:
        errors["name"] = "Enter the name people know the group by"
    if data.minimum_age is not None and data.maximum_age is not None and data.maximum_age < data.minimum_age:
        errors["maximum_age"] = "The oldest age must be the same as or above the youngest"
    if data.capacity is not None and data.capacity < 0:
        errors["capacity"] = "Places available must be 0 or more"
    try:
        oruk.check_point(data.latitude, data.longitude)
    except Exception as problem:  # noqa: BLE001  a _RowError: its words suit a form too
        errors["latitude"] = str(problem).split(";")[0].capitalize()
    codes = set(data.terms)
    known = set(TaxonomyTerm.objects.filter(code__in=codes).values_list("code", flat=True))
    if codes - known:
        errors["terms"] = f"Unknown term: {', '.join(sorted(codes - known))}"
    if errors:
        raise ValidationError(errors)
    return {
        "name": name, "description": oruk.plain_text(data.description)[0], "url": data.url.strip(),
        "email": data.email.strip(), "phone": data.phone.strip(), "is_free": data.is_free,
        "fees": oruk.plain_text(data.fees)[0], "minimum_age": data.minimum_age,
        "maximum_age": data.maximum_age, "capacity": data.capacity,
        "languages": _joined(data.languages), "accessibility": _joined(data.accessibility),
        "latitude": data.latitude, "longitude": data.longitude,
    }


def _write_parts(service: Service, data: Listing) -> None:
    service.terms.set(TaxonomyTerm.objects.filter(code__in=set(data.terms)))
    service.service_areas.set(data.service_areas)
    service.locations.all().delete()
    if data.address or data.postcode or data.latitude is not None or data.location_name:
        Location.objects.create(service=service, name=data.location_name or service.name,
                                address=data.address, postcode=data.postcode.upper().strip(),
                                latitude=data.latitude, longitude=data.longitude)
    service.schedules.all().delete()
    Schedule.objects.bulk_create([_schedule_row(service, s) for s in data.schedules])


def _schedule_row(service: Service, s: oruk.Schedule) -> Schedule:
    return Schedule(service=service, freq=s.freq, interval=s.interval, byday=",".join(s.byday),
                    bymonthday=",".join(map(str, s.bymonthday)), opens_at=s.opens_at,
                    closes_at=s.closes_at, valid_from=s.valid_from, valid_to=s.valid_to,
                    description=s.description[:500])


def _schedule_params(service_id: int, s: oruk.Schedule) -> tuple[Any, ...]:
    def iso(x: Any) -> str | None:
        return x.isoformat() if x is not None else None

    return (service_id, s.freq, s.interval, ",".join(s.byday), ",".join(map(str, s.bymonthday)),
            iso(s.opens_at), iso(s.closes_at), iso(s.valid_from), iso(s.valid_to), s.description[:500])


def create_service(actor: User | None, organisation: Organisation, data: Listing) -> Service:
    _require("directory.edit_listing", actor, organisation)
    values = _validate(data)
    with transaction.atomic():
        service = Service.objects.create(organisation=organisation, assured_by=actor, **values,
                                         capacity_updated_at=timezone.now() if data.capacity is not None else None)
        _write_parts(service, data)
        search_index.reindex([service])
        record(actor, "directory.create_service", service, f"Listed {service.name}",
               visibility=Visibility.PUBLIC)
    return service


def update_service(actor: User | None, service: Service, data: Listing) -> Service:
    """An owner's edit; it also confirms the listing is up to date."""
    _require("directory.edit_listing", actor, service)
    values = _validate(data)
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        if values["capacity"] != service.capacity:
            service.capacity_updated_at = timezone.now()
        for key, value in values.items():
            setattr(service, key, value)
        service.assured_date, service.assured_by, service.nudged_at = timezone.localdate(), actor, None
        service.save()
        _write_parts(service, data)
        search_index.reindex([service])
        record(actor, "directory.update_service", service, f"Updated {service.name}",
               visibility=Visibility.PUBLIC)
    return service


def confirm_service(actor: User | None, service: Service) -> Service:
    """The owner says the listing is still right."""
    _require("directory.edit_listing", actor, service)
    with transaction.atomic():
        Service.objects.filter(pk=service.pk).update(assured_date=timezone.localdate(),
                                                     assured_by=actor, nudged_at=None)
        record(actor, "directory.confirm_service", service, f"Confirmed {service.name}")
    service.refresh_from_db()
    return service


def set_capacity(actor: User | None, service: Service, places: int | None) -> Service:
    """How many more people the group can take (None: it does not count)."""
    _require("directory.edit_listing", actor, service)
    if places is not None and places < 0:
        raise ValidationError({"capacity": "Places available must be 0 or more"})
    with transaction.atomic():
        Service.objects.filter(pk=service.pk).update(capacity=places, capacity_updated_at=timezone.now())
        record(actor, "directory.set_capacity", service, f"{service.name}: {places} places available")
    service.refresh_from_db()
    return service


def _suggest(actor: User | None, service: Service, kind: str, text: str) -> Suggestion:
    clean, _ = oruk.plain_text(text)
    if not clean:
        raise ValidationError({"text": "Say what is wrong or what should change"})
    if len(clean) > 2000:
        raise ValidationError({"text": "Keep it to 2,000 characters or fewer"})
    with transaction.atomic():
        suggestion = Suggestion.objects.create(service=service, kind=kind, author=actor, text=clean)
        record(actor, f"directory.{kind}", suggestion, f"{suggestion.get_kind_display()} for {service.name}")
    return suggestion


def report_correction(actor: User | None, service: Service, text: str) -> Suggestion:
    """Anyone, signed in or not, may tell the owner something is wrong."""
    return _suggest(actor if actor is not None and actor.is_authenticated else None, service,
                    SuggestionKind.CORRECTION, text)


def suggest_change(actor: User, service: Service, text: str) -> Suggestion:
    """Staff suggest; only the owner changes the listing."""
    _require("directory.suggest_change", actor)
    return _suggest(actor, service, SuggestionKind.STAFF, text)


def answer_suggestion(actor: User | None, suggestion: Suggestion, *, accepted: bool,
                      response: str = "") -> Suggestion:
    _require("directory.answer_suggestion", actor, suggestion)
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().select_related("service").get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.OPEN:
            raise ValidationError("This has already been answered")
        suggestion.status = SuggestionStatus.ACCEPTED if accepted else SuggestionStatus.DECLINED
        suggestion.response = oruk.plain_text(response)[0]
        suggestion.closed_by, suggestion.closed_at = actor, timezone.now()
        suggestion.save()
        record(actor, "directory.answer_suggestion", suggestion,
               f"{suggestion.get_status_display()}: {suggestion.service.name}")
    return suggestion


def nudge_stale(today: dt.date | None = None) -> list[Service]:
    """Mark listings unconfirmed for 6 months as nudged (at most every 30 days); the owners'
    pages show the nudge. Returns the services nudged."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = list(Service.objects.filter(
        assured_date__lt=today - UNCONFIRMED_AFTER, merged_into__isnull=True,
        status=Status.ACTIVE).exclude(nudged_at__gt=now - NUDGE_EVERY))
    with transaction.atomic():
        Service.objects.filter(pk__in=[s.pk for s in due]).update(nudged_at=now)
        for s in due:
            record(None, "directory.nudge", s, f"Asked the owner of {s.name} to confirm it")
        _email_owners(due)
    return due


def _email_owners(services: Sequence[Service]) -> None:
    """One email per organisation to its leaders and members, listing what needs confirming."""
    by_org: dict[int, list[Service]] = {}
    for s in services:
        by_org.setdefault(s.organisation_id, []).append(s)
    owners: dict[int, set[str]] = {}
    for org_id, email in RoleAssignment.objects.filter(
            organisation_id__in=list(by_org), role__in=OWNERS, user__is_active=True
    ).values_list("organisation_id", "user__email"):
        owners.setdefault(org_id, set()).add(email)
    for org_id, listed in by_org.items():
        if not owners.get(org_id):
            continue
        names = "\n".join(f"- {s.name} (last confirmed {s.assured_date:%d %B %Y})" for s in listed)
        body = (f"Nobody has confirmed these listings for six months:\n\n{names}\n\n"
                "People and link workers rely on them. Sign in, open Your listings, and confirm "
                "each one is still right (or update it). Listings not confirmed for a year leave "
                "the directory's search.")
        transaction.on_commit(partial(
            send_mail, "Please confirm your listings are still right", body, None,
            sorted(owners[org_id]), fail_silently=True))


def _listing(s: Service) -> ds.Listing:
    """A service as the duplicate finder sees it. Charity numbers identify organisations (matched
    on import), not services: one charity runs many activities."""
    loc = next(iter(s.locations.all()), None)
    return ds.Listing(s.pk, s.name, "", loc.postcode if loc else "", s.latitude, s.longitude)


def detect_duplicates(only: Sequence[Service] | None = None) -> list[Duplicate]:
    """Record pairs of live listings that look like the same group (same charity number, or a
    similar name at the same place)."""
    live = Service.objects.filter(merged_into__isnull=True).prefetch_related("locations")
    pairs = ds.find_duplicates([_listing(s) for s in live],
                               only={s.pk for s in only} if only is not None else None)
    found = []
    with transaction.atomic():
        for a, b, reason in pairs:
            dup, created = Duplicate.objects.get_or_create(first_id=int(a), second_id=int(b),
                                                           defaults={"reason": reason})
            if created:
                found.append(dup)
    return found


def merge(actor: User | None, duplicate: Duplicate, keep: Service) -> Service:
    """Merge a duplicate into `keep`: the other listing stays (history) but points to `keep`,
    leaves search, and gives `keep` any terms and service areas it lacked."""
    _require("directory.merge", actor)
    if keep.pk not in (duplicate.first_id, duplicate.second_id):
        raise ValidationError("Keep one of the two listings")
    other_id = duplicate.second_id if keep.pk == duplicate.first_id else duplicate.first_id
    with transaction.atomic():
        other = Service.objects.select_for_update().get(pk=other_id)
        keep.terms.add(*other.terms.all())
        keep.service_areas.add(*other.service_areas.all())
        other.merged_into = keep
        other.save(update_fields=["merged_into", "last_modified"])
        Duplicate.objects.filter(pk=duplicate.pk).update(status=DuplicateStatus.MERGED)
        search_index.remove([other.pk])
        search_index.reindex([keep])
        record(actor, "directory.merge", keep, f"Merged {other.name} (#{other.pk}) into {keep.name}")
    return keep


def dismiss_duplicate(actor: User | None, duplicate: Duplicate) -> None:
    _require("directory.merge", actor)
    with transaction.atomic():
        Duplicate.objects.filter(pk=duplicate.pk).update(status=DuplicateStatus.DISMISSED)
        record(actor, "directory.dismiss_duplicate", duplicate, duplicate.reason)


# Import.


@dataclass(frozen=True)
class TaxonomyReport:
    vocabulary: str
    created: int
    updated: int


def import_taxonomy(actor: User | None, concepts: Sequence[openactive.Concept], *,
                    vocabulary: str = openactive.VOCABULARY) -> TaxonomyReport:
    """Add or update a vocabulary's terms (code = the concept's URI), with their alternative
    labels as search synonyms and their broader terms as parents. All in one transaction."""
    _require("directory.import", actor)
    with transaction.atomic():
        existing = {t.code: t for t in TaxonomyTerm.objects.filter(code__in=[c.id for c in concepts])}
        for code, term in existing.items():
            if term.vocabulary != vocabulary:
                raise ValidationError(f"term {code} already belongs to the vocabulary "
                                      f"{term.vocabulary}; import it under that vocabulary")
        fresh = [TaxonomyTerm(code=c.id, name=c.label[:200], vocabulary=vocabulary,
                              synonyms=" ".join(c.synonyms)[:500]) for c in concepts if c.id not in existing]
        TaxonomyTerm.objects.bulk_create(fresh, batch_size=1000)
        terms = {t.code: t for t in TaxonomyTerm.objects.filter(vocabulary=vocabulary)}
        changed = []
        for c in concepts:  # SKOS allows several parents; the directory keeps the first
            term = terms[c.id]
            term.name, term.synonyms = c.label[:200], " ".join(c.synonyms)[:500]
            term.parent = terms[c.broader[0]] if c.broader else None
            changed.append(term)
        TaxonomyTerm.objects.bulk_update(changed, ["name", "synonyms", "parent"], batch_size=1000)
        report = TaxonomyReport(vocabulary, len(fresh), len(concepts) - len(fresh))
        record(actor, "directory.taxonomy.import", None,
               f"Imported the {vocabulary} vocabulary: {report.created} new terms, {report.updated} updated")
    return report


@dataclass
class ImportReport:
    source: str
    taken: list[str] = field(default_factory=list)  # new services (feed ids)
    updated: list[str] = field(default_factory=list)  # same feed id seen before
    merged: list[tuple[str, int, str]] = field(default_factory=list)  # (feed id, existing id, why)
    rejected: list[oruk.Rejection] = field(default_factory=list)
    cleaned: int = 0
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source, "dry_run": self.dry_run, "taken": len(self.taken),
            "updated": len(self.updated), "merged": len(self.merged), "rejected": len(self.rejected),
            "cleaned": self.cleaned,
            "merges": [{"id": a, "into": b, "reason": r} for a, b, r in self.merged],
            "rejections": [{"line": r.line, "id": r.row_id, "reason": r.reason} for r in self.rejected],
        }


def _unique_slugs(names: Sequence[str]) -> list[str]:
    taken = set(Organisation.objects.values_list("slug", flat=True))
    out = []
    for name in names:
        base = slugify(name)[:180] or "organisation"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out.append(slug)
    return out


def _organisations(feed: oruk.Feed) -> dict[str, Organisation]:
    """Feed organisation id -> core.Organisation, matched by feed id, charity number, or name."""
    wanted = {s.organisation.id: s.organisation for s in feed.services}
    by_source = {p.source_id: p.organisation for p in Profile.objects.filter(
        source_id__in=list(wanted)).select_related("organisation")}
    charities = {o.charity_number for o in wanted.values() if o.charity_number}
    by_charity = {o.charity_number: o for o in Organisation.objects.filter(charity_number__in=charities)}
    by_name = {o.name.lower(): o for o in Organisation.objects.filter(
        name__in=[o.name for o in wanted.values()])}
    found: dict[str, Organisation] = {}
    new: dict[str, oruk.Organisation] = {}  # one new organisation per charity number or name
    same: dict[str, str] = {}
    for oid, o in wanted.items():
        match = by_source.get(oid) or by_charity.get(o.charity_number) or by_name.get(o.name.lower())
        if match is not None:
            found[oid] = match
        else:
            same[oid] = key = o.charity_number or o.name.lower()
            new.setdefault(key, o)
    keys = list(new)
    rows = [Organisation(name=new[k].name[:200], slug=slug, charity_number=new[k].charity_number[:20])
            for k, slug in zip(keys, _unique_slugs([new[k].name for k in keys]), strict=True)]
    Organisation.objects.bulk_create(rows, batch_size=1000)
    Profile.objects.bulk_create([
        Profile(organisation=row, description=new[k].description, website=new[k].url[:200],
                email=new[k].email[:254], company_number=new[k].company_number[:20],
                source=feed.path[:200], source_id=new[k].id[:200])
        for k, row in zip(keys, rows, strict=True)], batch_size=1000)
    made = dict(zip(keys, rows, strict=True))
    found.update({oid: made[key] for oid, key in same.items()})
    return found


def _terms(feed: oruk.Feed) -> dict[str, TaxonomyTerm]:
    ensure_what_matters()
    wanted = {t.id: t for s in feed.services for t in s.terms}
    existing = {t.code: t for t in TaxonomyTerm.objects.filter(code__in=list(wanted))}
    TaxonomyTerm.objects.bulk_create([TaxonomyTerm(code=t.id[:100], name=t.name[:200], vocabulary=t.vocabulary[:100])
                                      for k, t in wanted.items() if k not in existing], ignore_conflicts=True)
    return {t.code: t for t in TaxonomyTerm.objects.filter(code__in=list(wanted))}


def _service_values(s: oruk.Service) -> dict[str, Any]:
    first = s.locations[0] if s.locations else None
    return {
        "name": s.name[:200], "description": s.description, "url": s.url[:500], "email": s.email[:254],
        "phone": s.phone[:40], "status": s.status, "is_free": s.free, "fees": s.fees[:300],
        "minimum_age": s.minimum_age, "maximum_age": s.maximum_age, "capacity": s.capacity,
        "languages": _joined(s.languages), "accessibility": _joined(
            [a for loc in s.locations for a in loc.accessibility]),
        "latitude": first.latitude if first else None, "longitude": first.longitude if first else None,
    }


def _insert_services(rows: Sequence[oruk.Service], organisations: dict[str, Organisation],
                     source: str, today: dt.date) -> list[Service]:
    """INSERT the new services with plain SQL (the ORM's per-object cost matters at 50,000),
    values prepared by the model's own fields, then read their ids back by feed id."""
    if not rows:
        return []
    now = timezone.now()
    fields = {f.attname: f for f in Service._meta.concrete_fields if f.attname != "id"}
    columns = list(fields)
    # Only these need the database's own form (text, numbers and booleans go in as they are).
    convert = {c for c, f in fields.items() if f.get_internal_type() in ("UUIDField", "DateField", "DateTimeField")}
    prepared = []
    for s in rows:
        values = {**_service_values(s), "uuid": uuid.uuid4(), "organisation_id": organisations[s.organisation.id].pk,
                  "source": source, "source_id": s.id[:200], "assured_date": s.assured_date or today,
                  "assured_by_id": None, "nudged_at": None, "merged_into_id": None,
                  "capacity_updated_at": now if s.capacity is not None else None,
                  "created_at": now, "last_modified": now}
        prepared.append(tuple(fields[c].get_db_prep_save(values[c], connection) if c in convert
                              else values[c] for c in columns))
    search_index.insert_rows(Service._meta.db_table, [fields[c].column for c in columns], prepared)
    ids: dict[str, int] = {}
    wanted = [s.id[:200] for s in rows]
    for start in range(0, len(wanted), 900):
        ids.update(Service.objects.filter(source=source, source_id__in=wanted[start:start + 900])
                   .values_list("source_id", "pk"))
    return [Service(pk=ids[k]) for k in wanted]


def import_feed(actor: User | None, feed: oruk.Feed, *, dry_run: bool = False, today: dt.date | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Take a read feed whole: new services created, known feed ids updated, likely duplicates of
    existing listings merged into them (reported, not created). All in one transaction."""
    _require("directory.import", actor)
    today = today or timezone.localdate()
    report = ImportReport(feed.path, rejected=list(feed.rejected), cleaned=feed.cleaned, dry_run=dry_run)
    existing = dict(Service.objects.filter(source_id__in=[s.id for s in feed.services]
                                           ).values_list("source_id", "pk"))
    fresh = [s for s in feed.services if s.id not in existing]
    report.updated = [s.id for s in feed.services if s.id in existing]
    # Likely duplicates of listings already here: compare the feed's new rows with them.
    live = Service.objects.filter(merged_into__isnull=True).prefetch_related("locations")
    listings = [_listing(x) for x in live]
    keys: set[int | str] = {f"new:{i}" for i in range(len(fresh))}
    for i, s in enumerate(fresh):
        loc = s.locations[0] if s.locations else None
        listings.append(ds.Listing(f"new:{i}", s.name, "", loc.postcode if loc else "", loc.latitude if loc else None,
                                   loc.longitude if loc else None))
    merged_into: dict[int, tuple[int, str]] = {}
    for a, b, reason in ds.find_duplicates(listings, only=keys, across=True):
        new_key, old_key = (a, b) if isinstance(a, str) else (b, a)
        if isinstance(old_key, int) and isinstance(new_key, str):
            merged_into.setdefault(int(new_key[4:]), (old_key, reason))
    report.merged = [(fresh[i].id, k, r) for i, (k, r) in sorted(merged_into.items())]
    to_create = [s for i, s in enumerate(fresh) if i not in merged_into]
    report.taken = [s.id for s in to_create]
    if dry_run:
        return report
    with transaction.atomic():
        organisations = _organisations(feed)
        terms = _terms(feed)
        services = _insert_services(to_create, organisations, feed.path[:200], today)
        updated = []
        now = timezone.now()
        for s in feed.services:  # one plain UPDATE each: cheaper than bulk_update's CASE
            if s.id in existing:
                values = {"organisation": organisations[s.organisation.id], "source": feed.path[:200],
                          "assured_date": s.assured_date or today, "last_modified": now,
                          **_service_values(s)}
                Service.objects.filter(pk=existing[s.id]).update(**values)
                updated.append(Service(pk=existing[s.id]))
        pairs = list(zip(to_create, services, strict=True)) + [
            (s, row) for s, row in zip([s for s in feed.services if s.id in existing], updated, strict=True)]
        ids = [row.pk for row in updated]  # new services have nothing to replace
        for begin in range(0, len(ids), 900):
            chunk = ids[begin:begin + 900]
            Location.objects.filter(service_id__in=chunk).delete()
            Schedule.objects.filter(service_id__in=chunk).delete()
            Service.terms.through.objects.filter(service_id__in=chunk).delete()
        search_index.insert_rows(
            "directory_location",
            ("service_id", "name", "address", "postcode", "latitude", "longitude", "source_id"),
            [(row.pk, loc.name[:200], loc.address[:300], loc.postcode[:10], loc.latitude, loc.longitude,
              loc.id[:200]) for s, row in pairs for loc in s.locations])
        search_index.insert_rows(
            "directory_schedule", ("service_id", "freq", "interval", "byday", "bymonthday", "opens_at",
                                   "closes_at", "valid_from", "valid_to", "description"),
            [_schedule_params(row.pk, x) for s, row in pairs for x in s.schedules])
        search_index.insert_rows(
            "directory_service_terms", ("service_id", "taxonomyterm_id"),
            list(dict.fromkeys((row.pk, terms[t.id].pk) for s, row in pairs for t in s.terms if t.id in terms)))
        synonyms = {t.code: (t.name, t.synonyms) for t in terms.values()}
        rows = [search_index.IndexRow(
            row.pk, search_index.service_parts(
                s.name, s.description, organisations[s.organisation.id].name,
                [synonyms[t.id] for t in s.terms if t.id in synonyms], s.fees, _joined(s.languages),
                _joined([a for loc in s.locations for a in loc.accessibility]),
                [(loc.name, loc.address, loc.postcode) for loc in s.locations]),
            [(loc.longitude, loc.latitude) for loc in s.locations
             if loc.longitude is not None and loc.latitude is not None], [], s.schedules, bool(s.free),
            list(dict.fromkeys(terms[t.id].pk for t in s.terms if t.id in terms)))
            for s, row in pairs]
        step = 5000
        for begin in range(0, len(rows), step):
            search_index.write(rows[begin:begin + step], replace=bool(updated))
            if progress:
                progress(min(begin + step, len(rows)), len(rows))
        record(actor, "directory.import", None,
               f"Imported {feed.path}: {len(report.taken)} new, {len(report.updated)} updated, "
               f"{len(report.merged)} merged, {len(report.rejected)} rejected")
    search_index.analyze()
    return report

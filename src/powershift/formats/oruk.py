"""Reading and writing community directory feeds: Open Referral UK v1, HSDS 3 JSON, and CSV.

`read(path, fmt=..., mapping=...)` checks everything and returns a `Feed`: the services that
can be taken whole, and the rows rejected, each named `FILE:LINE: what is wrong; how to fix it`.
A problem with the whole file (not JSON, no list of services, a bad mapping) raises `OrukError`.
Text fields are cleaned to plain text: HTML tags are dropped and scripts removed with their
content, so nothing from a feed can ever render as markup.

ORUK v1 names are mapped to HSDS 3 ones: `content` -> `contents`, `regular_schedules` ->
`schedules`, `weekday` -> `byday`, `eligibilitys` -> ages, `service_taxonomys` -> terms.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

FORMATS = ("oruk1", "hsds3", "csv")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQS = ("WEEKLY", "MONTHLY", "DAILY")
# Great Britain and Northern Ireland with their islands, generously: a point outside is a mistake
# (most often latitude and longitude swapped, or a 0,0 placeholder).
UK_LAT = (49.8, 60.95)
UK_LON = (-8.7, 1.9)
OUR_VOCABULARY = "what-matters"
# The plain-words "what matters" vocabulary: id -> (name, words people search with).
WHAT_MATTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "company": ("Company", ("lonely", "loneliness", "isolated", "isolation", "friendship",
                            "friends", "social", "chat", "natter")),
    "being-active": ("Being active", ("exercise", "sport", "walking", "fitness", "dance")),
    "food": ("Food", ("hungry", "meals", "foodbank", "pantry", "groceries", "cooking")),
    "money": ("Money", ("debt", "benefits", "bills", "budgeting", "advice")),
    "mental-health": ("Mental health", ("anxiety", "depression", "wellbeing", "stress",
                                        "peer", "support")),
    "learning": ("Learning", ("classes", "courses", "reading", "library", "skills", "english")),
    "volunteering": ("Volunteering", ("volunteer", "helping", "giving")),
    "carers": ("Carers", ("caring", "carer", "respite")),
    "families": ("Families", ("children", "parents", "toddlers", "baby", "youth")),
    "housing": ("Housing", ("home", "homeless", "rent", "landlord")),
    "nature": ("Nature", ("gardening", "garden", "allotment", "outdoors", "park")),
    "creativity": ("Creativity", ("art", "craft", "knitting", "music", "singing", "writing")),
}


class OrukError(ValueError):
    """A problem with a directory feed as a whole, worded so its publisher can fix it."""

    def __init__(self, path: str, problem: str, *, line: int | None = None) -> None:
        self.path, self.line = path, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(" ".join(f"{where}: {problem}".split()))  # always one line


class _RowError(Exception):
    """One row cannot be taken; becomes a `Rejection`."""


@dataclass(frozen=True)
class Rejection:
    path: str
    line: int
    row_id: str
    reason: str  # "what is wrong; how to fix it"

    def __str__(self) -> str:
        return " ".join(f"{self.path}:{self.line}: {self.reason}".split())


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    vocabulary: str


@dataclass(frozen=True)
class Schedule:
    """An iCal-style repeat rule with opening hours (HSDS 3 `schedule`)."""

    freq: str = "WEEKLY"
    interval: int = 1
    byday: tuple[str, ...] = ()  # "MO".."SU", with an ordinal for MONTHLY ("1TU", "-1FR")
    bymonthday: tuple[int, ...] = ()
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    description: str = ""


@dataclass(frozen=True)
class Location:
    id: str
    name: str = ""
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    accessibility: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    description: str = ""
    url: str = ""
    email: str = ""
    charity_number: str = ""
    company_number: str = ""


@dataclass(frozen=True)
class Service:
    id: str
    line: int
    name: str
    organisation: Organisation
    description: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""
    status: str = "active"
    free: bool | None = None
    fees: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    capacity: int | None = None
    assured_date: date | None = None
    last_modified: str = ""
    terms: tuple[Term, ...] = ()
    languages: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    service_areas: tuple[str, ...] = ()
    cleaned: tuple[str, ...] = ()  # fields whose HTML was removed


@dataclass
class Feed:
    path: str
    fmt: str
    services: list[Service] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def cleaned(self) -> int:
        return sum(1 for s in self.services if s.cleaned)


# Cleaning text.


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "iframe", "object", "noscript", "template"})
    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_MARKUP = re.compile(r"<[a-zA-Z/!]|&[#a-zA-Z0-9]+;")


def plain_text(value: Any) -> tuple[str, bool]:
    """(plain text, whether markup was removed). Keeps paragraphs, collapses other whitespace."""
    text = "" if value is None else str(value)
    if not _MARKUP.search(text):
        return text.strip(), False
    parser = _Text()
    parser.feed(text)
    parser.close()
    joined = html.unescape("".join(parser.parts))
    paragraphs = (" ".join(p.split()) for p in joined.split("\n"))
    return "\n".join(p for p in paragraphs if p), True


# Reading values.


def _text(row: Mapping[str, Any], key: str, cleaned: list[str]) -> str:
    value, was_markup = plain_text(row.get(key))
    if was_markup:
        cleaned.append(key)
    return value


def _time(value: Any, what: str) -> time | None:
    if value in (None, ""):
        return None
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?", str(value).strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise _RowError(f"{what} '{value}' is not a time; write it as HH:MM, e.g. 09:30")
    return time(int(m[1]), int(m[2]))


def _date(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise _RowError(f"{what} '{value}' is not a date; write it as YYYY-MM-DD") from None


def _age(value: Any, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        age = float(value)
    except (TypeError, ValueError):
        raise _RowError(f"{what} '{value}' is not a number; give an age in whole years") from None
    if not 0 <= age <= 130 or age != int(age):
        raise _RowError(f"{what} {value} is not an age; give an age in whole years from 0 to 130")
    return int(age)


def _coordinate(value: Any, what: str) -> float | None:
    if value in (None, "", "NA"):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _RowError(f"{what} '{value}' is not a number; give decimal degrees (WGS84)") from None


def check_point(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise _RowError("a location has only one of latitude and longitude; give both or neither")
    if lat is None or lon is None:
        return
    if not (UK_LAT[0] <= lat <= UK_LAT[1] and UK_LON[0] <= lon <= UK_LON[1]):
        hint = (" (latitude and longitude look swapped)"
                if UK_LAT[0] <= lon <= UK_LAT[1] and UK_LON[0] <= lat <= UK_LON[1] else "")
        raise _RowError(f"coordinates {lat}, {lon} are outside the UK{hint}; give latitude and "
                        "longitude in WGS84 decimal degrees, e.g. 53.48, -2.24")


def _byday(value: Any, freq: str) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    raw = value if isinstance(value, list) else str(value).split(",")
    days: list[str] = []
    for item in raw:
        token = str(item).strip().upper()
        full = {"MONDAY": "MO", "TUESDAY": "TU", "WEDNESDAY": "WE", "THURSDAY": "TH",
                "FRIDAY": "FR", "SATURDAY": "SA", "SUNDAY": "SU"}
        token = full.get(token, token)
        m = re.fullmatch(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)", token)
        if not m or (m[1] and freq != "MONTHLY"):
            raise _RowError(f"schedule day '{item}' is not a day; use MO, TU, WE, TH, FR, SA or SU "
                            "(with a week number such as 1TU only for MONTHLY)")
        days.append(token)
    return tuple(days)


def _schedule(raw: Any) -> Schedule:
    if not isinstance(raw, dict):
        raise _RowError("a schedule is not an object; give each schedule as {...} with byday, "
                        "opens_at and closes_at")
    freq = str(raw.get("freq") or "WEEKLY").strip().upper()
    if freq not in FREQS:
        raise _RowError(f"schedule freq '{raw.get('freq')}' is not known; use WEEKLY, MONTHLY or DAILY")
    try:
        interval = int(raw["interval"]) if raw.get("interval") not in (None, "") else 1
    except (TypeError, ValueError):
        interval = 0
    if interval < 1:
        raise _RowError(f"schedule interval '{raw.get('interval')}' is not a whole number from 1; "
                        "give 1 for every week, 2 for every other week")
    byday = _byday(raw.get("byday") if raw.get("byday") not in (None, "") else raw.get("weekday"), freq)
    monthdays: list[int] = []
    for d in str(raw.get("bymonthday") or "").replace(" ", "").split(","):
        if d:
            if not re.fullmatch(r"-?\d{1,2}", d) or not 1 <= abs(int(d)) <= 31:
                raise _RowError(f"schedule bymonthday '{d}' is not a day of the month; use 1 to 31")
            monthdays.append(int(d))
    opens, closes = _time(raw.get("opens_at"), "opens_at"), _time(raw.get("closes_at"), "closes_at")
    if opens is not None and closes is not None and closes <= opens:
        raise _RowError(f"schedule closes at {closes:%H:%M}, not after it opens at {opens:%H:%M}; "
                        "check the times (use 24-hour clock)")
    if freq == "WEEKLY" and not byday:
        raise _RowError("a WEEKLY schedule has no day; give byday, e.g. TU")
    valid_from, valid_to = _date(raw.get("valid_from"), "valid_from"), _date(raw.get("valid_to"), "valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise _RowError(f"schedule valid_to {valid_to} is before valid_from {valid_from}; swap them")
    description, _ = plain_text(raw.get("description") or raw.get("notes"))
    return Schedule(freq, interval, byday, tuple(monthdays), opens, closes, valid_from, valid_to,
                    description)


# Opening times as people write them: "Tuesday 1pm - 3pm", "Wednesday 9:30am - 12noon".
_HUMAN_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|noon)?"
_HUMAN = re.compile(rf"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\s+"
                    rf"{_HUMAN_TIME}\s*(?:-|–|to)\s*{_HUMAN_TIME}", re.IGNORECASE)


def _human_clock(hour: str, minute: str | None, half: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    half = (half or "").lower()
    if half == "pm" and h < 12:
        h += 12
    if half == "am" and h == 12:
        h = 0
    return time(h, m) if h < 24 and m < 60 else None


def human_schedules(text: str) -> tuple[Schedule, ...]:
    """Weekly schedules read from free-text opening times; () when none can be read safely."""
    found: list[Schedule] = []
    for m in _HUMAN.finditer(text):
        opens, closes = _human_clock(m[2], m[3], m[4]), _human_clock(m[5], m[6], m[7])
        if opens is None or closes is None or closes <= opens:
            continue
        found.append(Schedule(byday=(m[1][:2].upper(),), opens_at=opens, closes_at=closes,
                              description=" ".join(text.split())))
    return tuple(found)


def _terms(raw: Iterable[Any], known: Mapping[str, Term]) -> tuple[Term, ...]:
    terms: list[Term] = []
    for item in raw:
        t = item.get("taxonomy") or item.get("taxonomy_term") or item if isinstance(item, dict) else {"id": item}
        if not isinstance(t, dict):
            t = {"id": t}
        tid = str(t.get("id") or t.get("code") or "").strip()
        name, _ = plain_text(t.get("name") or t.get("term"))
        vocabulary = str(t.get("vocabulary") or t.get("taxonomy_id") or "").strip()
        if tid.lower() in known:
            terms.append(known[tid.lower()])
        elif tid and name and vocabulary and vocabulary != OUR_VOCABULARY:
            terms.append(Term(tid, name, vocabulary))  # fully described by the feed: take it
        else:
            choices = ", ".join(sorted(WHAT_MATTERS))
            raise _RowError(f"taxonomy term '{tid or name}' is unknown; use a what-matters term "
                            f"({choices}) or give the term's id, name and vocabulary")
    return tuple(dict.fromkeys(terms))


def known_terms(extra: Iterable[Term] = ()) -> dict[str, Term]:
    """Terms by lower-case id, and by lower-case name where no id or earlier name has it (so a
    CSV can say "Badminton" for the OpenActive term)."""
    extra = list(extra)
    terms = {k: Term(k, name, OUR_VOCABULARY) for k, (name, _) in WHAT_MATTERS.items()}
    terms.update({t.id.lower(): t for t in extra})
    for t in extra:
        terms.setdefault(t.name.lower(), t)
    return terms


# ORUK v1 and HSDS 3 JSON.


def _address(loc: Mapping[str, Any]) -> tuple[str, str]:
    addresses = loc.get("physical_addresses") or loc.get("addresses") or []
    if not addresses or not isinstance(addresses[0], dict):
        return "", ""
    a = addresses[0]
    parts = [a.get(k) for k in ("address_1", "address_2", "city", "region", "state_province")]
    return ", ".join(str(p).strip() for p in parts if p), str(a.get("postal_code") or "").strip()


def _location(raw: Any, number: int) -> Location:
    loc = raw.get("location", raw) if isinstance(raw, dict) else None
    if not isinstance(loc, dict):
        raise _RowError("a service_at_location has no location object; give location {...}")
    lid = str(loc.get("id") or "").strip()
    if not lid:
        raise _RowError(f"location {number} has no id; give every location a unique id")
    lat, lon = _coordinate(loc.get("latitude"), "latitude"), _coordinate(loc.get("longitude"), "longitude")
    check_point(lat, lon)
    address, postcode = _address(loc)
    access = tuple(plain_text(a.get("accessibility") or a.get("description"))[0]
                   for a in (loc.get("accessibility_for_disabilities") or loc.get("accessibility") or [])
                   if isinstance(a, dict))
    return Location(lid, plain_text(loc.get("name"))[0], address, postcode, lat, lon,
                    tuple(a for a in access if a))


def _ages(s: Mapping[str, Any]) -> tuple[int | None, int | None]:
    lo, hi = _age(s.get("minimum_age"), "minimum_age"), _age(s.get("maximum_age"), "maximum_age")
    for e in s.get("eligibilitys") or []:  # ORUK v1
        if isinstance(e, dict):
            lo = lo if lo is not None else _age(e.get("minimum_age"), "minimum_age")
            hi = hi if hi is not None else _age(e.get("maximum_age"), "maximum_age")
    if lo is not None and hi is not None and hi < lo:
        raise _RowError(f"maximum_age {hi} is below minimum_age {lo}; swap them")
    return lo, hi


def _capacity(s: Mapping[str, Any]) -> int | None:
    caps = s.get("capacities") or []
    value = s.get("capacity", caps[0].get("available") if caps and isinstance(caps[0], dict) else None)
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = -1
    if n < 0:
        raise _RowError(f"capacity '{value}' is not a whole number of places; give 0 or more")
    return n


def _free(s: Mapping[str, Any]) -> bool | None:
    options = s.get("cost_options") or []
    if options:
        amounts = [o.get("amount") for o in options if isinstance(o, dict)]
        return all(a in (None, "", 0, "0", 0.0) for a in amounts) and not s.get("fees")
    fees = str(s.get("fees") or s.get("fees_description") or "").strip().lower()
    if fees in ("free", "no charge", "none", "0", "£0"):
        return True
    return False if fees else None


def _organisation(raw: Any, fallback_id: str) -> Organisation:
    o = raw if isinstance(raw, dict) else {}
    oid = str(o.get("id") or "").strip()
    name, _ = plain_text(o.get("name"))
    if not name:
        raise _RowError("the service has no organization name; give organization {id, name}")
    ids = {str(i.get("identifier_scheme") or i.get("identifier_type") or "").lower(): str(i.get("identifier") or "")
           for i in o.get("organization_identifiers") or [] if isinstance(i, dict)}
    charity = str(o.get("charity_number") or ids.get("gb-chc") or ids.get("charity") or "").strip()
    company = str(o.get("company_number") or ids.get("gb-coh") or ids.get("company") or "").strip()
    return Organisation(oid or f"org-{fallback_id}", name, plain_text(o.get("description"))[0],
                        str(o.get("url") or o.get("website") or "").strip(),
                        str(o.get("email") or "").strip(), charity, company)


def _service(s: Any, line: int, known: Mapping[str, Term]) -> Service:
    if not isinstance(s, dict):
        raise _RowError("the service is not an object; give each service as {...}")
    sid = str(s.get("id") or "").strip()
    if not sid:
        raise _RowError("the service has no id; give every service a unique id")
    cleaned: list[str] = []
    name = _text(s, "name", cleaned)
    if not name:
        raise _RowError(f"service '{sid}' has no name; give the name people know it by")
    lo, hi = _ages(s)
    terms = _terms(list(s.get("service_taxonomys") or []) + list(s.get("attributes") or [])
                   + list(s.get("taxonomy_terms") or []), known)
    schedules = tuple(_schedule(r) for r in (s.get("schedules") or s.get("regular_schedules") or []))
    sal = s.get("service_at_locations") or s.get("locations") or []
    locations = tuple(_location(r, i) for i, r in enumerate(sal, 1))
    for r in sal:  # HSDS 3 puts schedules on service_at_location as well
        if isinstance(r, dict):
            schedules += tuple(_schedule(x) for x in r.get("schedules") or r.get("regular_schedules") or [])
    languages = tuple(str(x.get("name") or x.get("language") or x.get("code") or "").strip()
                      if isinstance(x, dict) else str(x).strip() for x in s.get("languages") or [])
    areas = tuple(str(a.get("service_area") or a.get("name") or "").strip() if isinstance(a, dict) else str(a)
                  for a in s.get("service_areas") or [])
    phones = [p.get("number") for c in s.get("contacts") or [] if isinstance(c, dict)
              for p in c.get("phones") or [] if isinstance(p, dict)]
    phones += [p.get("number") for p in s.get("phones") or [] if isinstance(p, dict)]
    status = str(s.get("status") or "active").strip().lower()
    if status not in ("active", "inactive", "defunct", "temporarily closed"):
        raise _RowError(f"status '{status}' is not known; use active, inactive, defunct or "
                        "temporarily closed")
    return Service(
        id=sid, line=line, name=name, organisation=_organisation(s.get("organization"), sid),
        description=_text(s, "description", cleaned), url=str(s.get("url") or "").strip(),
        email=str(s.get("email") or "").strip(), phone=str(phones[0] or "") if phones else "",
        status=status, free=_free(s), fees=_text(s, "fees", cleaned) or _text(s, "fees_description", cleaned),
        minimum_age=lo, maximum_age=hi, capacity=_capacity(s),
        assured_date=_date(s.get("assured_date"), "assured_date"),
        last_modified=str(s.get("last_modified") or ""), terms=terms,
        languages=tuple(x for x in languages if x), locations=locations, schedules=schedules,
        service_areas=tuple(a for a in areas if a), cleaned=tuple(cleaned))


def _items_with_lines(text: str, data: Any, path: str) -> list[tuple[int, Any]]:
    """Each service with the line it starts on (so rejections can name it)."""
    if isinstance(data, list):
        items, key = data, None
    elif isinstance(data, dict) and isinstance(data.get("contents", data.get("content")), list):
        key = "contents" if "contents" in data else "content"
        items = data[key]
    else:
        raise OrukError(path, "there is no list of services; give a JSON array of services, or a "
                        "page object with 'contents' (HSDS 3) or 'content' (ORUK v1)", line=1)
    start = text.index("[") if key is None else re.search(rf'"{key}"\s*:\s*\[', text).end() - 1  # type: ignore[union-attr]
    decoder, pos, lines = json.JSONDecoder(), start + 1, []
    line, counted = 1, 0  # newlines are counted once each, as the scan moves on
    for _ in items:
        while text[pos] in " \t\r\n,":
            pos += 1
        line += text.count("\n", counted, pos)
        counted = pos
        lines.append(line)
        _, pos = decoder.raw_decode(text, pos)
    return list(zip(lines, items, strict=True))


def _read_json(path: str, text: str, fmt: str, known: Mapping[str, Term]) -> Feed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise OrukError(path, f"this is not JSON ({e.msg}); check the file is a JSON feed, not an "
                        "HTML page or CSV", line=e.lineno) from None
    feed = Feed(path, fmt)
    seen: dict[str, int] = {}
    for line, item in _items_with_lines(text, data, path):
        rid = str(item.get("id") or "") if isinstance(item, dict) else ""
        try:
            service = _service(item, line, known)
            if service.id in seen:
                raise _RowError(f"service id '{service.id}' is used again (first on line "
                                f"{seen[service.id]}); give every service a unique id")
        except _RowError as problem:
            feed.rejected.append(Rejection(path, line, rid, str(problem)))
            continue
        seen[service.id] = line
        feed.services.append(service)
    return feed


# CSV with a column mapping (TOML).

CSV_FIELDS = ("id", "name", "description", "organisation", "charity_number", "url", "email",
              "phone", "address", "postcode", "latitude", "longitude", "opening_times", "terms",
              "minimum_age", "maximum_age", "fees", "capacity", "assured_date", "languages")


@dataclass(frozen=True)
class CsvMapping:
    columns: dict[str, str]
    terms: tuple[str, ...] = ()
    missing: frozenset[str] = frozenset({""})
    id_prefix: str = ""
    # Their word for a term -> our term's id or name ("Riding" = "Equestrian"); "" drops it.
    term_names: Mapping[str, str] = field(default_factory=dict)


def read_mapping(path: str | Path) -> CsvMapping:
    """A CSV mapping: `[columns]` our field = "their column"; `terms = [...]`; `missing = [...]`."""
    source = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise OrukError(source, f"cannot read the mapping ({e}); check the path") from None
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise OrukError(source, f"this is not TOML ({e}); fix the mapping's syntax",
                        line=int(m[1]) if m else None) from None
    columns = data.get("columns")
    if not isinstance(columns, dict) or "name" not in columns:
        raise OrukError(source, "there is no [columns] table with a name column; add [columns] "
                        "with at least name = \"Their name column\"")
    for key in columns:
        if key not in CSV_FIELDS:
            raise OrukError(source, f"[columns] has '{key}', which is not a field; use some of "
                            f"{', '.join(CSV_FIELDS)}")
    term_names = data.get("term_names", {})
    if not isinstance(term_names, dict):
        raise OrukError(source, "term_names is not a table; write [term_names] with lines like "
                        "\"Their word\" = \"Our term\"")
    return CsvMapping({k: str(v) for k, v in columns.items()}, tuple(data.get("terms", ())),
                      frozenset({"", *map(str, data.get("missing", ()))}), str(data.get("id_prefix", "")),
                      {str(k).lower(): str(v) for k, v in term_names.items()})


def _csv_row(row: dict[str, str], line: int, mapping: CsvMapping, known: Mapping[str, Term],
             path: str) -> Service:
    def get(key: str) -> str:
        column = mapping.columns.get(key)
        value = (row.get(column) or "").strip() if column else ""
        return "" if value in mapping.missing else value

    cleaned: list[str] = []

    def clean(key: str) -> str:
        text, was_markup = plain_text(get(key))
        if was_markup:
            cleaned.append(key)
        return text

    name = clean("name")
    if not name:
        raise _RowError("the row has no name; fill in the name column")
    if "id" in mapping.columns:
        sid = get("id")
        if not sid:
            raise _RowError("the row has no id; fill in the id column")
    else:  # no id column: name and postcode make a stable one
        sid = re.sub(r"[^a-z0-9]+", "-", f"{name} {get('postcode')}".lower()).strip("-")
    sid = mapping.id_prefix + sid
    lat, lon = _coordinate(get("latitude"), "latitude"), _coordinate(get("longitude"), "longitude")
    check_point(lat, lon)
    location = (Location(f"{sid}-location", name, clean("address"), get("postcode"), lat, lon),)
    opening = clean("opening_times")
    schedules = human_schedules(opening) or ((Schedule(freq="DAILY", description=opening),)
                                             if opening else ())
    theirs = [t.strip() for t in re.split(r"[;,|]", get("terms")) if t.strip()]
    term_ids = [*mapping.terms, *(mapping.term_names.get(t.lower(), t) for t in theirs)]
    term_ids = [t for t in term_ids if t]
    lo, hi = _age(get("minimum_age"), "minimum_age"), _age(get("maximum_age"), "maximum_age")
    org_name = clean("organisation") or name
    fees = clean("fees")
    capacity = _capacity({"capacity": get("capacity")})
    return Service(
        id=sid, line=line, name=name,
        organisation=Organisation(f"org-{re.sub(r'[^a-z0-9]+', '-', org_name.lower()).strip('-')}",
                                  org_name, charity_number=get("charity_number")),
        description=clean("description"), url=get("url"), email=get("email"), phone=get("phone"),
        free=(fees.lower() == "free") if fees else None, fees=fees, minimum_age=lo, maximum_age=hi,
        capacity=capacity, assured_date=_date(get("assured_date"), "assured_date"),
        terms=_terms([t.strip() for t in term_ids], known),
        languages=tuple(x.strip() for x in get("languages").split(";") if x.strip()),
        locations=location, schedules=schedules, cleaned=tuple(cleaned))


def _read_csv(path: str, text: str, mapping: CsvMapping, known: Mapping[str, Term]) -> Feed:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    for key, column in mapping.columns.items():
        if column not in header:
            raise OrukError(path, f"there is no column '{column}' (mapped to {key}); the columns "
                            f"are {', '.join(header)}; fix the mapping", line=1)
    feed = Feed(path, "csv")
    seen: dict[str, int] = {}
    rows: Iterator[dict[str, str]] = iter(reader)
    while True:
        line = reader.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            raise OrukError(path, f"the CSV cannot be read ({e}); check quotes are closed",
                            line=reader.line_num) from None
        try:
            service = _csv_row(row, line, mapping, known, path)
            if service.id in seen:
                service = replace(service, id=f"{service.id}-{line}")  # same name and postcode
        except _RowError as problem:
            feed.rejected.append(Rejection(path, line, "", str(problem)))
            continue
        seen[service.id] = line
        feed.services.append(service)
    return feed


def guess_format(path: str | Path) -> str:
    name = str(path).lower()
    if name.endswith(".csv"):
        return "csv"
    return "hsds3"


def read(path: str | Path, *, fmt: str | None = None, mapping: CsvMapping | None = None,
         terms: Iterable[Term] = ()) -> Feed:
    """Read a feed whole. `terms`: taxonomy terms known beyond the what-matters vocabulary."""
    source = str(path)
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise OrukError(source, f"format '{fmt}' is not known; use oruk1, hsds3 or csv")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OrukError(source, "there is no such file; check the path") from None
    except UnicodeDecodeError:
        raise OrukError(source, "the file is not UTF-8 text; save it as UTF-8") from None
    known = known_terms(terms)
    if fmt == "csv":
        if mapping is None:
            raise OrukError(source, "a CSV needs a column mapping; give --mapping MAP.toml "
                            "(see the README)")
        return _read_csv(source, text, mapping, known)
    return _read_json(source, text, fmt, known)


# Writing HSDS 3 / ORUK JSON (the API and exports use these shapes).


def schedule_json(s: Schedule, sid: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": sid, "freq": s.freq, "interval": s.interval}
    if s.byday:
        out["byday"] = ",".join(s.byday)
    if s.bymonthday:
        out["bymonthday"] = ",".join(map(str, s.bymonthday))
    if s.opens_at:
        out["opens_at"] = s.opens_at.strftime("%H:%M")
    if s.closes_at:
        out["closes_at"] = s.closes_at.strftime("%H:%M")
    if s.valid_from:
        out["valid_from"] = s.valid_from.isoformat()
    if s.valid_to:
        out["valid_to"] = s.valid_to.isoformat()
    if s.description:
        out["description"] = s.description
    return out


def write_hsds3(services: Iterable[Service], path: str | Path) -> None:
    """A page of services as HSDS 3 JSON (read back by `read(..., fmt="hsds3")`)."""
    contents = []
    for s in services:
        contents.append({
            "id": s.id, "name": s.name, "description": s.description, "status": s.status,
            "url": s.url or None, "email": s.email or None,
            "minimum_age": s.minimum_age, "maximum_age": s.maximum_age,
            "assured_date": s.assured_date.isoformat() if s.assured_date else None,
            "capacity": s.capacity,
            "organization": {"id": s.organisation.id, "name": s.organisation.name,
                             "charity_number": s.organisation.charity_number or None},
            "attributes": [{"taxonomy_term": {"id": t.id, "name": t.name, "vocabulary": t.vocabulary}}
                           for t in s.terms],
            "cost_options": [{"amount": 0}] if s.free else [],
            "languages": [{"name": x} for x in s.languages],
            "schedules": [schedule_json(x, f"{s.id}-schedule-{i}") for i, x in enumerate(s.schedules, 1)],
            "service_at_locations": [
                {"id": f"{s.id}-at-{loc.id}", "location": {
                    "id": loc.id, "name": loc.name, "latitude": loc.latitude, "longitude": loc.longitude,
                    "addresses": [{"address_1": loc.address, "postal_code": loc.postcode}]}}
                for loc in s.locations],
        })
    Path(path).write_text(json.dumps({"total_items": len(contents), "contents": contents},
                                     indent=1), encoding="utf-8")

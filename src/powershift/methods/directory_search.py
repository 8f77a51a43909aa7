"""The directory's plain-Python parts: reading a search query, typo tolerance over a vocabulary,
next occurrences of iCal-style schedules, weekly opening slots, duplicate similarity, and ranking
by relevance and nearness. The databases do the stemming (Porter on both); everything here runs
the same whichever database is behind it, so both behave alike.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_WORDS = {
    "monday": (0,), "mon": (0,), "mondays": (0,), "tuesday": (1,), "tue": (1,), "tues": (1,),
    "tuesdays": (1,), "wednesday": (2,), "wed": (2,), "wednesdays": (2,), "thursday": (3,),
    "thu": (3,), "thurs": (3,), "thursdays": (3,), "friday": (4,), "fri": (4,), "fridays": (4,),
    "saturday": (5,), "sat": (5,), "saturdays": (5,), "sunday": (6,), "sun": (6,), "sundays": (6,),
    "weekend": (5, 6), "weekends": (5, 6), "weekday": (0, 1, 2, 3, 4), "weekdays": (0, 1, 2, 3, 4),
}
# Parts of the day, in minutes from midnight: what people mean by them in a timetable.
_PARTS = {"morning": (6 * 60, 12 * 60), "mornings": (6 * 60, 12 * 60),
          "lunchtime": (12 * 60, 14 * 60), "afternoon": (12 * 60, 17 * 60),
          "afternoons": (12 * 60, 17 * 60), "evening": (17 * 60, 22 * 60),
          "evenings": (17 * 60, 22 * 60), "tonight": (17 * 60, 24 * 60),
          "night": (18 * 60, 24 * 60)}
_FILLER = frozenset({"on", "in", "at", "a", "an", "the", "and", "for", "of", "near", "me",
                     "open", "group", "groups", "i", "am", "feel", "feeling", "something", "to"})
_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case words without accents, as FTS5's unicode61 tokenizer splits them."""
    folded = text.lower()
    if not folded.isascii():  # most text is: skip the accent folding
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]  # left for full-text search
    days: frozenset[int]  # 0 = Monday
    window: tuple[int, int] | None  # minutes from midnight, [start, end)
    free: bool = False


def parse_query(text: str) -> Query:
    """Split "lonely tuesday afternoon" into words to search and when it should be on."""
    words: list[str] = []
    days: set[int] = set()
    window: tuple[int, int] | None = None
    free = False
    for word in tokens(text):
        if word in _DAY_WORDS:
            days.update(_DAY_WORDS[word])
        elif word in _PARTS:
            lo, hi = _PARTS[word]
            window = (min(window[0], lo), max(window[1], hi)) if window else (lo, hi)
        elif word == "free":
            free = True
        elif word not in _FILLER:
            words.append(word)
    return Query(tuple(dict.fromkeys(words)), frozenset(days), window, free)


# Typo tolerance.


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (a swap of neighbours counts 1), capped at `limit`."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[-1], limit)


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def allowed_typos(word: str) -> int:
    return 0 if len(word) <= 3 else 1 if len(word) <= 6 else 2


class Vocabulary:
    """The words in the directory's text, for correcting a word nobody has written."""

    def __init__(self, counts: Iterable[tuple[str, int]]) -> None:
        self.counts: dict[str, int] = dict(counts)
        self._by_gram: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.counts):
            for g in trigrams(word):
                self._by_gram[g].append(word)

    def __contains__(self, word: object) -> bool:
        return word in self.counts

    def correct(self, word: str) -> str | None:
        """The known word nearest `word` (fewest edits, then most used, then alphabetical)."""
        if word in self.counts:
            return word
        limit = allowed_typos(word)
        if limit == 0:
            return None
        shared: dict[str, int] = defaultdict(int)
        for g in trigrams(word):
            for candidate in self._by_gram.get(g, ()):
                shared[candidate] += 1
        best: tuple[int, int, str] | None = None
        for candidate, n in shared.items():
            if n < 2 or abs(len(candidate) - len(word)) > limit:
                continue
            d = edit_distance(word, candidate, limit + 1)
            if d <= limit:
                key = (d, -self.counts[candidate], candidate)
                best = key if best is None or key < best else best
        return best[2] if best else None


# Schedules.


class Rule(Protocol):
    """An iCal-style repeat rule with opening hours (formats.oruk.Schedule has this shape)."""

    @property
    def freq(self) -> str: ...
    @property
    def interval(self) -> int: ...
    @property
    def byday(self) -> tuple[str, ...]: ...
    @property
    def bymonthday(self) -> tuple[int, ...]: ...
    @property
    def opens_at(self) -> time | None: ...
    @property
    def closes_at(self) -> time | None: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...


# Counting weeks (for "every other week") from a fixed Monday when a rule gives no start.
EPOCH = date(2024, 1, 1)


def _ordinal_day(code: str) -> tuple[int | None, int]:
    """"-1FR" -> (-1, 4); "TU" -> (None, 1)."""
    return (int(code[:-2]) if len(code) > 2 else None), DAY_CODES.index(code[-2:])


def _matches(rule: Rule, day: date) -> bool:
    if rule.valid_from and day < rule.valid_from or rule.valid_to and day > rule.valid_to:
        return False
    anchor = rule.valid_from or EPOCH
    if rule.freq == "DAILY":
        return (day - anchor).days % rule.interval == 0
    if rule.freq == "WEEKLY":
        weeks = ((day - timedelta(days=day.weekday())) - (anchor - timedelta(days=anchor.weekday()))).days // 7
        return weeks % rule.interval == 0 and DAY_CODES[day.weekday()] in rule.byday
    months = (day.year - anchor.year) * 12 + day.month - anchor.month
    if months % rule.interval:
        return False
    if rule.bymonthday:
        last = (date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)).day
        if any(d == day.day or d < 0 and last + d + 1 == day.day for d in rule.bymonthday):
            return True
    last = (date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)).day
    for code in rule.byday:
        n, weekday = _ordinal_day(code)
        if weekday != day.weekday():
            continue
        if n is None or (n > 0 and (day.day - 1) // 7 + 1 == n) or (n < 0 and (last - day.day) // 7 + 1 == -n):
            return True
    return False


def occurrences(rule: Rule, after: datetime, count: int = 3, horizon_days: int = 400
                ) -> list[tuple[datetime, datetime]]:
    """The next `count` (start, end) times the rule is on, ending after `after` (naive, local)."""
    opens, closes = rule.opens_at or time(0), rule.closes_at or time(23, 59)
    found: list[tuple[datetime, datetime]] = []
    day = after.date()
    for _ in range(horizon_days):
        if rule.valid_to and day > rule.valid_to:
            break
        if _matches(rule, day):
            start, end = datetime.combine(day, opens), datetime.combine(day, closes)
            if end > after:
                found.append((start, end))
                if len(found) == count:
                    break
        day += timedelta(days=1)
    return found


def weekly_slots(rule: Rule) -> list[tuple[int, int, int]]:
    """(weekday, opening minute, closing minute) for the day-and-time filter.

    Monthly rules give their weekdays too ("first Tuesday" is on a Tuesday), so a filter for
    Tuesday afternoons finds them; their page shows the actual next dates.
    """
    if not rule.byday and not rule.bymonthday and rule.opens_at is None and rule.closes_at is None:
        return []  # only words ("contact for details"): no time to filter on
    opens = rule.opens_at.hour * 60 + rule.opens_at.minute if rule.opens_at else 0
    closes = rule.closes_at.hour * 60 + rule.closes_at.minute if rule.closes_at else 24 * 60
    if rule.freq == "DAILY" and not rule.byday:
        days = list(range(7))
    else:
        days = sorted({_ordinal_day(c)[1] for c in rule.byday})
    return [(d, opens, closes) for d in days]


def open_during(slots: Iterable[tuple[int, int, int]], days: Iterable[int],
                window: tuple[int, int] | None) -> bool:
    wanted = set(days) or set(range(7))
    lo, hi = window or (0, 24 * 60)
    return any(d in wanted and o < hi and c > lo for d, o, c in slots)


# Filters as tag words. A text search matches these inside the full-text index, which is
# much faster than intersecting its hits with filtered rows (tens of thousands at 50,000).
# Each tag is one word that no text contains and no stemmer changes.

NO_MATCH = "znone"  # a filter asking for something no listing has (an unknown term)
FREE = "zfree"


def _tagged(prefix: str, keys: Iterable[int]) -> tuple[str, ...]:
    """One tag per key: zt3 (term), zp12 (place it is in), za4 (service area), zd1 (day)."""
    return tuple(f"{prefix}{k}" for k in sorted(set(keys)))


def filter_tags(free: bool, term_ids: Iterable[int], place_ids: Iterable[int], area_ids: Iterable[int],
                weekdays: Iterable[int]) -> str:
    """A listing's tags: free, its terms, the places it is in, its service areas, its days."""
    return " ".join([*([FREE] if free else []), *_tagged("zt", term_ids), *_tagged("zp", place_ids),
                     *_tagged("za", area_ids), *_tagged("zd", weekdays)])


@dataclass(frozen=True)
class TagFilter:
    """What a search asks of the tags: each group needs at least one of its tags."""

    groups: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, *, free: bool = False, term_ids: Iterable[int] | None = None,
           place_ids: Iterable[int] = (), area_ids: Iterable[int] = (),
           weekdays: Iterable[int] = ()) -> TagFilter:
        """`term_ids=None` asks nothing of terms; an empty list (only unknown terms) matches nothing."""
        groups: list[tuple[str, ...]] = [(FREE,)] if free else []
        if term_ids is not None:
            groups.append(_tagged("zt", term_ids) or (NO_MATCH,))
        if place := (*_tagged("zp", place_ids), *_tagged("za", area_ids)):
            groups.append(place)
        if days := _tagged("zd", weekdays):
            groups.append(days)
        return cls(tuple(groups))

    def fts5(self, column: str) -> str:
        """As an SQLite FTS5 query on `column` ("" when it asks nothing)."""
        return " AND ".join("(" + " OR ".join(f'{column}:"{t}"' for t in g) + ")" for g in self.groups)

    def tsquery(self) -> str:
        """As a PostgreSQL tsquery ("" when it asks nothing)."""
        return " & ".join("(" + " | ".join(g) + ")" for g in self.groups)


# Duplicates.

_NOISE = frozenset({"the", "ltd", "limited", "cic", "group", "club", "and", "of", "uk", "trust"})


def normalise_name(name: str) -> str:
    return " ".join(w for w in tokens(name.replace("&", " and ")) if w not in _NOISE)


def name_similarity(a: str, b: str) -> float:
    """Trigram Jaccard similarity of normalised names, 0..1."""
    ga, gb = trigrams(normalise_name(a)), trigrams(normalise_name(b))
    return len(ga & gb) / len(ga | gb) if ga | gb else 0.0


@dataclass(frozen=True)
class Listing:
    key: int | str
    name: str
    charity_number: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None


NAME_THRESHOLD = 0.6
NEAR_M = 250.0


def duplicate_reason(a: Listing, b: Listing, similarity: float | None = None) -> str | None:
    """Why `a` and `b` look like the same group, or None: same charity number, or a similar name
    at the same postcode or within 250 m."""
    if a.charity_number.strip() and a.charity_number.strip() == b.charity_number.strip():
        return f"same charity number {a.charity_number.strip()}"
    if similarity is None:
        similarity = name_similarity(a.name, b.name)
    if similarity < NAME_THRESHOLD:
        return None
    same_postcode = bool(a.postcode) and a.postcode.replace(" ", "").upper() == b.postcode.replace(" ", "").upper()
    near = (a.latitude is not None and a.longitude is not None and b.latitude is not None
            and b.longitude is not None
            and float(distances_m(a.latitude, a.longitude, [b.latitude], [b.longitude])[0]) <= NEAR_M)
    if same_postcode or near:
        return f"similar name ({similarity:.0%}) at the same place"
    return None


# Grid cells of about 550 m by 330 m: listings NEAR_M apart fall in the same or a neighbouring cell.
_CELL = 0.005


def _cell(item: Listing) -> tuple[int, int] | None:
    if item.latitude is None or item.longitude is None:
        return None
    return (math.floor(item.latitude / _CELL), math.floor(item.longitude / _CELL))


def _trigram_matrix(listings: Sequence[Listing]) -> tuple[sparse.csr_matrix, npt.NDArray[np.float64]]:
    """Each normalised name as a row of 0/1 over the trigrams seen, and each row's size."""
    vocabulary: dict[str, int] = {}
    indptr, indices = [0], []
    for item in listings:
        for gram in trigrams(normalise_name(item.name)):
            indices.append(vocabulary.setdefault(gram, len(vocabulary)))
        indptr.append(len(indices))
    matrix = sparse.csr_matrix((np.ones(len(indices)), indices, indptr),
                               shape=(len(listings), max(1, len(vocabulary))))
    return matrix, np.diff(matrix.indptr).astype(float)


def _pair_distances_m(lat1: npt.NDArray[np.float64], lon1: npt.NDArray[np.float64],
                      lat2: npt.NDArray[np.float64], lon2: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Haversine distances between matching elements of two lists of points, in metres."""
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=float)


def find_duplicates(listings: Sequence[Listing], *, only: set[int | str] | None = None,
                    across: bool = False) -> list[tuple[int | str, int | str, str]]:
    """Pairs (earlier key, later key, reason) that `duplicate_reason` accepts. With `only`, just
    the pairs involving those keys; with `across` as well, just those between a key in `only`
    and one outside it (new rows against existing ones, on import).

    Only listings that could qualify are compared: the same charity number, the same postcode, or
    neighbouring grid cells; within those, names are compared all at once as sparse trigram
    vectors (intersections by a sparse product), so no pair with a similar enough name is missed
    and the work grows with the list and the crowding of places, not the list's square."""
    n = len(listings)
    left = np.zeros(n, dtype=bool)
    left[[i for i, x in enumerate(listings) if only is None or x.key in only]] = True
    right = ~left if across else np.ones(n, dtype=bool)
    grams, sizes = _trigram_matrix(listings)
    lats = np.array([x.latitude if x.latitude is not None else np.nan for x in listings])
    lons = np.array([x.longitude if x.longitude is not None else np.nan for x in listings])
    charities: dict[str, list[int]] = defaultdict(list)
    postcodes: dict[str, list[int]] = defaultdict(list)
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, item in enumerate(listings):
        if item.charity_number.strip():
            charities[item.charity_number.strip()].append(i)
        if item.postcode.strip():
            postcodes[item.postcode.replace(" ", "").upper()].append(i)
        cell = _cell(item)
        if cell is not None:
            cells[cell].append(i)
    found: dict[tuple[int, int], float | None] = {}

    def keep(rows: npt.NDArray[np.int_], cols: npt.NDArray[np.int_], similarity: npt.NDArray[np.float64] | None
             ) -> None:
        for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            if i != j:
                found.setdefault((min(i, j), max(i, j)), None if similarity is None else float(similarity[k]))

    def similar(group_left: list[int], group_right: list[int]
                ) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.int_], npt.NDArray[np.float64]]:
        rows = np.array([i for i in group_left if left[i]], dtype=int)
        cols = np.array([j for j in group_right if right[j]], dtype=int)
        empty = np.zeros(0, dtype=int)
        if not len(rows) or not len(cols):
            return empty, empty, np.zeros(0)
        shared = (grams[rows] @ grams[cols].T).tocoo()
        jaccard = shared.data / (sizes[rows[shared.row]] + sizes[cols[shared.col]] - shared.data)
        hit = jaccard >= NAME_THRESHOLD
        return rows[shared.row[hit]], cols[shared.col[hit]], jaccard[hit]

    for members in charities.values():
        rows = np.array([i for i in members if left[i]], dtype=int)
        cols = np.array([j for j in members if right[j]], dtype=int)
        keep(np.repeat(rows, len(cols)), np.tile(cols, len(rows)), None)
    for members in postcodes.values():
        keep(*similar(members, members))
    for (y, x), members in cells.items():
        around = [j for dy in (-1, 0, 1) for dx in (-1, 0, 1) for j in cells.get((y + dy, x + dx), ())]
        rows, cols, jaccard = similar(members, around)
        near = _pair_distances_m(lats[rows], lons[rows], lats[cols], lons[cols]) <= NEAR_M
        keep(rows[near], cols[near], jaccard[near])
    pairs = []
    for (i, j), similarity in sorted(found.items()):
        reason = duplicate_reason(listings[i], listings[j], similarity)
        if reason:
            pairs.append((listings[i].key, listings[j].key, reason))
    return pairs


# Ranking.

EARTH_RADIUS_M = 6_371_008.8


def distances_m(lat: float, lon: float, lats: Sequence[float] | npt.NDArray[np.float64],
                lons: Sequence[float] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Great-circle distances (haversine) from one point to many, in metres."""
    p1, l1 = math.radians(lat), math.radians(lon)
    p2, l2 = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lons, dtype=float))
    h = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=float)


# Half the weight is lost at this distance: a walk of about half an hour.
NEAR_HALF_M = 2000.0


def rank(keys: Sequence[int], relevance: Sequence[float], distance: Sequence[float | None]
         ) -> list[int]:
    """Order results by relevance (scaled to the best, 1.0 when there was no text) times
    nearness (1 / (1 + d / 2 km); counted as 2 km away when the place is not known); ties by key."""
    rel = np.asarray(relevance, dtype=float)
    top = float(rel.max()) if len(rel) else 0.0
    rel = rel / top if top > 0 else np.ones(len(keys))
    near = np.array([0.5 if d is None else 1.0 / (1.0 + d / NEAR_HALF_M) for d in distance])
    score = rel * (0.5 + 0.5 * near) if len(near) else rel
    order = sorted(range(len(keys)), key=lambda i: (-round(float(score[i]), 9), keys[i]))
    return [keys[i] for i in order]

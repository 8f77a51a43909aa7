"""One full-text search over SQLite FTS5 and PostgreSQL text search, behaving the same.

Both stem with Porter (FTS5 `tokenize='porter unicode61'`, PostgreSQL's 'english' config); both
get the same query: words ANDed, English stop words dropped here (PostgreSQL would drop them,
FTS5 would require them), and words nobody has written corrected to the nearest word in the
`Word` vocabulary in plain Python. Only actions call `reindex`/`remove` (no signals).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet

from powershift.core import queries as core_queries
from powershift.core.models import Place, PlaceKind
from powershift.directory.models import SearchDocument, Service, Slot, Word
from powershift.methods import directory_search as ds
from powershift.methods.geo import PlaceIndex

# PostgreSQL's English stop words (its 'english' dictionary drops these; we drop them for both).
STOP_WORDS = frozenset(["i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now"])


def postgres() -> bool:
    return connection.vendor == "postgresql"


def document_text(service: Service, place_names: Sequence[str] = ()) -> str:
    """What a service is found by: name (twice, to weigh it), description, terms with their
    synonyms, organisation, locations, places, languages. Expects terms and locations prefetched."""
    parts = [service.name, service.name, service.description, service.organisation.name,
             " ".join(f"{t.name} {t.synonyms}" for t in service.terms.all()), service.fees,
             service.languages.replace(";", " "), service.accessibility.replace(";", " ")]
    parts += [f"{loc.name} {loc.address} {loc.postcode}" for loc in service.locations.all()]
    parts += list(place_names)
    return "\n".join(p for p in parts if p)


def _write_words(counts: Counter[str]) -> None:
    """Add new words; raise the counts of known ones (one UPDATE per distinct increment)."""
    if not counts:
        return
    words = list(counts)
    known: set[str] = set()
    for start in range(0, len(words), 900):
        known.update(Word.objects.filter(word__in=words[start:start + 900]).values_list("word", flat=True))
    Word.objects.bulk_create([Word(word=w, count=counts[w]) for w in words if w not in known],
                             ignore_conflicts=True, batch_size=2000)
    by_step: dict[int, list[str]] = {}
    for w in known:
        by_step.setdefault(counts[w], []).append(w)
    for step, group in by_step.items():
        for start in range(0, len(group), 900):
            Word.objects.filter(word__in=group[start:start + 900]).update(count=F("count") + step)
    forget_vocabulary()


def _places_of(service: Service, index: PlaceIndex[int]) -> list[int]:
    ids = {p.pk for p in service.service_areas.all()}
    for loc in service.locations.all():
        if loc.latitude is not None and loc.longitude is not None:
            ids.update(index.lookup(loc.longitude, loc.latitude))
    return sorted(ids)


def reindex(services: Iterable[Service]) -> None:
    """Rewrite the derived rows of these services: places, slots, search text, vocabulary."""
    ids = [s.pk for s in services]
    if not ids:
        return
    rows = list(Service.objects.filter(pk__in=ids).select_related("organisation").prefetch_related(
        "terms", "locations", "schedules", "service_areas"))
    index = core_queries.place_index(tuple(PlaceKind.values))
    places = {s.pk: _places_of(s, index) for s in rows}
    names = dict(Place.objects.filter(pk__in={k for v in places.values() for k in v}
                                      ).values_list("pk", "name"))
    through = Service.places.through
    through.objects.filter(service_id__in=ids).delete()
    through.objects.bulk_create([through(service_id=k, place_id=p) for k, v in places.items() for p in v],
                                batch_size=2000)
    Slot.objects.filter(service_id__in=ids).delete()
    Slot.objects.bulk_create([Slot(service_id=s.pk, weekday=d, opens=o, closes=c) for s in rows
                              for sched in s.schedules.all() for d, o, c in ds.weekly_slots(rule(sched))],
                             batch_size=2000)
    docs = {s.pk: document_text(s, [names[p] for p in places[s.pk]]) for s in rows}
    SearchDocument.objects.filter(service_id__in=ids).delete()
    SearchDocument.objects.bulk_create([SearchDocument(service_id=k, text=t) for k, t in docs.items()],
                                       batch_size=2000)
    if not postgres():
        with connection.cursor() as c:
            c.executemany("DELETE FROM directory_fts WHERE rowid = %s", [(k,) for k in ids])
            c.executemany("INSERT INTO directory_fts(rowid, text) VALUES (%s, %s)", list(docs.items()))
    _write_words(Counter(w for t in docs.values() for w in set(ds.tokens(t)) if len(w) < 60))


def remove(service_ids: Sequence[int]) -> None:
    SearchDocument.objects.filter(service_id__in=service_ids).delete()
    Slot.objects.filter(service_id__in=service_ids).delete()
    if not postgres():
        with connection.cursor() as c:
            c.executemany("DELETE FROM directory_fts WHERE rowid = %s", [(k,) for k in service_ids])


class RuleView:
    """A Schedule row seen as a methods.directory_search.Rule."""

    def __init__(self, s: Any) -> None:
        self.freq, self.interval = s.freq, s.interval or 1
        self.byday = tuple(x for x in s.byday.split(",") if x)
        self.bymonthday = tuple(int(x) for x in s.bymonthday.split(",") if x)
        self.opens_at, self.closes_at = s.opens_at, s.closes_at
        self.valid_from, self.valid_to = s.valid_from, s.valid_to


def rule(schedule: Any) -> ds.Rule:
    return RuleView(schedule)


# The vocabulary, cached per process and refreshed when it grows (or every few seconds).
_vocab_lock = threading.Lock()
_vocab: tuple[int, float, ds.Vocabulary] | None = None
VOCAB_FRESHNESS = 5.0


def forget_vocabulary() -> None:
    global _vocab
    with _vocab_lock:
        _vocab = None


def vocabulary() -> ds.Vocabulary:
    global _vocab
    now = time.monotonic()
    with _vocab_lock:
        cached = _vocab
    if cached is not None and now - cached[1] < VOCAB_FRESHNESS:
        return cached[2]
    n = Word.objects.count()
    if cached is not None and cached[0] == n:
        vocab = cached[2]
    else:
        vocab = ds.Vocabulary(Word.objects.values_list("word", "count"))
    with _vocab_lock:
        _vocab = (n, now, vocab)
    return vocab


def query_words(words: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """(words to search, {typed: corrected}) after dropping stop words and fixing typos."""
    vocab = vocabulary()
    out: list[str] = []
    corrected: dict[str, str] = {}
    for w in words:
        if w in STOP_WORDS:
            continue
        fixed = w if w in vocab else vocab.correct(w)
        if fixed and fixed != w:
            corrected[w] = fixed
        out.append(fixed or w)
    return list(dict.fromkeys(out)), corrected


def matches(words: Sequence[str], among: QuerySet[Service], limit: int | None = None
            ) -> list[tuple[int, float]]:
    """(service id, relevance, higher is better) for services in `among` containing every word,
    best first. `sub` is the SQL Django compiled for `among`; words go in as parameters."""
    if not words:
        return []
    sub, params = among.values("id").query.sql_with_params()
    cap = f" LIMIT {int(limit)}" if limit else ""
    with connection.cursor() as c:
        if postgres():
            sql = (
                "SELECT d.service_id, ts_rank(d.tsv, q) AS r FROM directory_searchdocument d, "  # noqa: S608
                f"to_tsquery('english', %s) q WHERE d.tsv @@ q AND d.service_id IN ({sub}) "
                f"ORDER BY r DESC, d.service_id{cap}")
            c.execute(sql, [" & ".join(words), *params])
        else:
            sql = (
                "SELECT rowid, -bm25(directory_fts) AS r FROM directory_fts WHERE directory_fts "  # noqa: S608
                f"MATCH %s AND rowid IN ({sub}) ORDER BY r DESC, rowid{cap}")
            c.execute(sql, [" ".join(f'"{w}"' for w in words), *params])
        return [(int(k), float(r)) for k, r in c.fetchall()]

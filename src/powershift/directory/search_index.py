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
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet

from powershift.core import queries as core_queries
from powershift.core.models import Place, PlaceKind
from powershift.directory.models import SearchDocument, Service, Slot, Word
from powershift.methods import directory_search as ds

# PostgreSQL's English stop words (its 'english' dictionary drops these; we drop them for both).
STOP_WORDS = frozenset(["i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now"])


def postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class IndexRow:
    """What the index holds for one service, made from ORM rows or straight from a feed."""

    pk: int
    parts: Sequence[str]  # name, description, organisation, terms with synonyms, ...
    points: Sequence[tuple[float, float]]  # (lon, lat) of its locations
    area_ids: Sequence[int]  # service areas
    rules: Sequence[ds.Rule]
    free: bool = False
    term_ids: Sequence[int] = ()


def document_text(parts: Sequence[str], place_names: Sequence[str] = ()) -> str:
    """What a service is found by: its parts (name twice, to weigh it), then its places."""
    return "\n".join(p for p in [*parts, *place_names] if p)


def service_parts(name: str, description: str, organisation: str, terms: Sequence[tuple[str, str]],
                  fees: str, languages: str, accessibility: str,
                  locations: Sequence[tuple[str, str, str]]) -> list[str]:
    return [name, name, description, organisation, " ".join(f"{n} {syn}" for n, syn in terms), fees,
            languages.replace(";", " "), accessibility.replace(";", " "),
            *(" ".join(loc) for loc in locations)]


def _row_of(s: Service) -> IndexRow:
    locations = list(s.locations.all())
    return IndexRow(
        s.pk, service_parts(s.name, s.description, s.organisation.name,
                            [(t.name, t.synonyms) for t in s.terms.all()], s.fees, s.languages,
                            s.accessibility, [(x.name, x.address, x.postcode) for x in locations]),
        [(x.longitude, x.latitude) for x in locations if x.longitude is not None and x.latitude is not None],
        [p.pk for p in s.service_areas.all()], [rule(x) for x in s.schedules.all()], bool(s.is_free),
        [t.pk for t in s.terms.all()])


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


def reindex(services: Iterable[Service]) -> None:
    """Rewrite the derived rows of these services: places, slots, search text, vocabulary."""
    ids = [s.pk for s in services]
    if not ids:
        return
    rows = Service.objects.filter(pk__in=ids).select_related("organisation").prefetch_related(
        "terms", "locations", "schedules", "service_areas")
    write([_row_of(s) for s in rows], replace=True)


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Plain INSERTs (the ORM's per-object cost matters at 50,000); COPY on PostgreSQL, which
    takes rows as a stream instead of one statement each."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as c:
        if postgres():
            with c.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for start in range(0, len(rows), 5000):
            c.executemany(sql, rows[start:start + 5000])


def write(rows: Sequence[IndexRow], *, replace: bool) -> None:
    """Write the index rows with plain INSERTs (the ORM's per-object cost matters at 50,000)."""
    ids = [r.pk for r in rows]
    index = core_queries.place_index(tuple(PlaceKind.values))
    places = {r.pk: sorted({*r.area_ids, *(k for lon, lat in r.points for k in index.lookup(lon, lat))})
              for r in rows}
    names = dict(Place.objects.filter(pk__in={k for v in places.values() for k in v}).values_list("pk", "name"))
    if replace:
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            Service.places.through.objects.filter(service_id__in=chunk).delete()
            Slot.objects.filter(service_id__in=chunk).delete()
            SearchDocument.objects.filter(service_id__in=chunk).delete()
        if not postgres():
            remove_from_fts(ids)
    insert_rows("directory_service_places", ("service_id", "place_id"),
                [(k, p) for k, v in places.items() for p in v])
    slots = {r.pk: [s for x in r.rules for s in ds.weekly_slots(x)] for r in rows}
    insert_rows("directory_slot", ("service_id", "weekday", "opens", "closes"),
                [(k, d, o, c) for k, v in slots.items() for d, o, c in v])
    docs = {r.pk: document_text(r.parts, [names[p] for p in places[r.pk]]) for r in rows}
    tags = {r.pk: ds.filter_tags(r.free, r.term_ids, places[r.pk], r.area_ids, [d for d, _, _ in slots[r.pk]])
            for r in rows}
    records = [(k, text, tags[k]) for k, text in docs.items()]
    insert_rows("directory_searchdocument", ("service_id", "text", "tags"), records)
    if not postgres():
        insert_rows("directory_fts", ("rowid", "text", "tags"), records)
    _write_words(Counter(w for t in docs.values() for w in set(ds.tokens(t)) if len(w) < 60))


def analyze() -> None:
    """Refresh the query planner's statistics after a bulk import. Without them SQLite checks a
    text search's hits by walking every listed service instead of looking the hits up. On
    PostgreSQL a vacuum also sorts the GIN indexes' new entries and marks the new rows visible,
    so hits are checked from the indexes alone (autovacuum would, a while later); inside a
    transaction, where VACUUM cannot run, the GIN entries are sorted and statistics taken."""
    tables = ["directory_service", "directory_searchdocument", "directory_slot", "directory_service_places"]
    with connection.cursor() as c:
        if postgres() and not connection.in_atomic_block:
            for table in tables:
                c.execute(f"VACUUM ANALYZE {table}")
            return
        if postgres():
            c.execute("SELECT gin_clean_pending_list('directory_searchdocument_tsv'::regclass), "
                      "gin_clean_pending_list('directory_searchdocument_tagv'::regclass)")
        for table in tables:
            c.execute(f"ANALYZE {table}")


def remove(service_ids: Sequence[int]) -> None:
    SearchDocument.objects.filter(service_id__in=service_ids).delete()
    Slot.objects.filter(service_id__in=service_ids).delete()
    if not postgres():
        remove_from_fts(service_ids)


def remove_from_fts(service_ids: Sequence[int]) -> None:
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


def matches(words: Sequence[str], tags: ds.TagFilter, among: QuerySet[Service], limit: int | None = None
            ) -> tuple[list[tuple[int, float]], int]:
    """The first `limit` (service id, relevance, higher is better) for services in `among`
    containing every word and matching `tags`, best first, and how many there are in all (counted
    in the same pass, so only one page of rows comes back). Words and tags are matched in the
    index; `among` then only checks those hits, by primary key (the planner needs the statistics
    of `analyze`, or SQLite may walk every listed service instead). Relevance comes from the
    text alone (the tags column weighs nothing)."""
    if not words:
        return [], 0
    cap = f" LIMIT {int(limit)}" if limit else ""
    sub, params = among.order_by().values("id").query.sql_with_params()
    if postgres():
        text, tag_query = " & ".join(words), tags.tsquery()
        tagged = " AND d.tagv @@ to_tsquery('simple', %s)" if tag_query else ""
        sql = ("SELECT d.service_id, ts_rank(d.tsv, q) AS r, count(*) OVER () "  # noqa: S608
               f"FROM directory_searchdocument d, to_tsquery('english', %s) q WHERE d.tsv @@ q{tagged} "
               f"AND d.service_id IN ({sub}) ORDER BY r DESC, d.service_id{cap}")
        args = [text, *([tag_query] if tag_query else []), *params]
    else:
        match = " AND ".join([*(f'text:"{w}"' for w in words), *filter(None, [tags.fts5("tags")])])
        sql = ("SELECT k, r, count(*) OVER () FROM (SELECT rowid AS k, "  # noqa: S608
               "-bm25(directory_fts, 1.0, 0.0) AS r FROM directory_fts WHERE directory_fts MATCH %s) h "
               f"JOIN ({sub}) l ON l.id = h.k ORDER BY r DESC, k{cap}")
        args = [match, *params]
    with connection.cursor() as c:
        c.execute(sql, args)
        rows = c.fetchall()
    return [(int(k), float(r)) for k, r, _ in rows], int(rows[0][2]) if rows else 0

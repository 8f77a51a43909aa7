"""The directory's plain-Python search parts: query reading, typos, schedules, duplicates, ranking."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from powershift.formats.oruk import Schedule
from powershift.methods import directory_search as ds


def test_parse_query_takes_days_and_parts_of_the_day_out() -> None:
    q = ds.parse_query("lonely Tuesday afternoon")
    assert (q.words, q.days, q.window) == (("lonely",), frozenset({1}), (12 * 60, 17 * 60))
    q = ds.parse_query("free knitting at the weekend, mornings or evenings")
    assert q.words == ("knitting", "or") and q.free and q.days == {5, 6}
    assert q.window == (6 * 60, 22 * 60)
    assert ds.parse_query("Café").words == ("cafe",)


def test_edit_distance() -> None:
    assert ds.edit_distance("knitting", "knitting") == 0
    assert ds.edit_distance("kintting", "knitting") == 1  # swapped neighbours
    assert ds.edit_distance("lonly", "lonely") == 1
    assert ds.edit_distance("abc", "xyz", limit=2) == 2


def test_vocabulary_corrects_typos_within_limits() -> None:
    vocab = ds.Vocabulary([("knitting", 5), ("knotting", 1), ("lonely", 3), ("tea", 9), ("walking", 4)])
    assert vocab.correct("kniting") == "knitting"  # most used of the nearest
    assert vocab.correct("lonley") == "lonely"
    assert vocab.correct("tae") is None  # short words must be exact
    assert vocab.correct("swimming") is None
    assert vocab.correct("walking") == "walking"


def test_weekly_occurrences() -> None:
    rule = Schedule(byday=("TU",), opens_at=time(13), closes_at=time(15))
    after = datetime(2026, 11, 23, 9)  # a Monday
    assert ds.occurrences(rule, after, 2) == [
        (datetime(2026, 11, 24, 13), datetime(2026, 11, 24, 15)),
        (datetime(2026, 12, 1, 13), datetime(2026, 12, 1, 15))]
    # Still on at 14:00 on the day: that session counts.
    assert ds.occurrences(rule, datetime(2026, 11, 24, 14), 1)[0][0] == datetime(2026, 11, 24, 13)


def test_monthly_ordinal_and_month_day() -> None:
    first_tuesday = Schedule(freq="MONTHLY", byday=("1TU",), opens_at=time(10), closes_at=time(12))
    starts = [s.date() for s, _ in ds.occurrences(first_tuesday, datetime(2026, 11, 23), 3)]
    assert starts == [date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 2)]
    last_friday = Schedule(freq="MONTHLY", byday=("-1FR",))
    assert [s.date() for s, _ in ds.occurrences(last_friday, datetime(2026, 11, 1), 2)] == [
        date(2026, 11, 27), date(2026, 12, 25)]
    fifteenth = Schedule(freq="MONTHLY", bymonthday=(15,))
    assert ds.occurrences(fifteenth, datetime(2026, 11, 20), 1)[0][0].date() == date(2026, 12, 15)


def test_valid_window_limits_occurrences() -> None:
    rule = Schedule(byday=("MO",), valid_from=date(2026, 12, 1), valid_to=date(2026, 12, 20))
    got = [s.date() for s, _ in ds.occurrences(rule, datetime(2026, 11, 1), 10)]
    assert got == [date(2026, 12, 7), date(2026, 12, 14)]


@settings(max_examples=60, deadline=None)
@given(days=st.sets(st.sampled_from(ds.DAY_CODES), min_size=1), interval=st.integers(1, 3),
       offset=st.integers(0, 800))
def test_weekly_occurrences_properties(days: set[str], interval: int, offset: int) -> None:
    rule = Schedule(byday=tuple(sorted(days)), interval=interval, opens_at=time(9), closes_at=time(10))
    after = datetime(2025, 1, 1) + timedelta(days=offset)
    got = ds.occurrences(rule, after, 6)
    assert len(got) == 6
    assert [s for s, _ in got] == sorted(s for s, _ in got)
    for start, end in got:
        assert ds.DAY_CODES[start.weekday()] in days and end > after
        monday = start.date() - timedelta(days=start.weekday())
        assert ((monday - ds.EPOCH).days // 7) % interval == 0


def test_weekly_slots_and_open_during() -> None:
    slots = ds.weekly_slots(Schedule(byday=("TU", "TH"), opens_at=time(13), closes_at=time(15)))
    assert slots == [(1, 780, 900), (3, 780, 900)]
    assert ds.open_during(slots, {1}, (12 * 60, 17 * 60))
    assert not ds.open_during(slots, {1}, (17 * 60, 22 * 60))
    assert not ds.open_during(slots, {0}, None)
    assert ds.open_during(slots, set(), (14 * 60, 14 * 60 + 1))
    assert len(ds.weekly_slots(Schedule(freq="DAILY", opens_at=time(9)))) == 7
    assert ds.weekly_slots(Schedule(freq="DAILY", description="Contact for details")) == []


def test_duplicates_by_charity_number_or_similar_name_nearby() -> None:
    items = [
        ds.Listing(1, "Riverside Knit and Natter", postcode="RV1 2AB"),
        ds.Listing(2, "Riverside Knit & Natter Group", postcode="rv12ab"),
        ds.Listing(3, "Riverside Knit and Natter", latitude=53.0, longitude=-2.0),
        ds.Listing(4, "Food Bank North", charity_number="1100001"),
        ds.Listing(5, "Northside Pantry", charity_number="1100001"),
        ds.Listing(6, "Riverside Walking Football", postcode="RV1 2AB"),
    ]
    pairs = ds.find_duplicates(items)
    assert [(a, b) for a, b, _ in pairs] == [(1, 2), (4, 5)]
    assert pairs[1][2] == "same charity number 1100001"
    assert pairs[0][2].startswith("similar name")


def test_distances_and_rank() -> None:
    d = ds.distances_m(53.48, -2.24, [53.48, 53.49], [-2.24, -2.24])
    assert d[0] == 0 and 1100 < d[1] < 1120
    # Equal relevance: nearer first; no text: nearness alone; ties by key.
    assert ds.rank([3, 1, 2], [1.0, 1.0, 1.0], [5000.0, 100.0, None]) == [1, 2, 3]
    assert ds.rank([1, 2], [0.2, 1.0], [0.0, 3000.0]) == [2, 1]
    assert ds.rank([2, 1], [0.0, 0.0], [None, None]) == [1, 2]


def test_duplicates_across_only_pairs_new_with_existing() -> None:
    items = [
        ds.Listing(1, "Riverside Knit and Natter", postcode="RV1 2AB"),
        ds.Listing("new:0", "Riverside Knit & Natter", postcode="RV1 2AB"),
        ds.Listing("new:1", "Riverside Knit and Natter Club", latitude=53.5, longitude=-2.0),
        ds.Listing("new:2", "Riverside Knit and Natter", latitude=53.5005, longitude=-2.0),
        ds.Listing(2, "Riverside Knit and Natter", latitude=53.52, longitude=-2.0),  # 2.2 km away
    ]
    new = {"new:0", "new:1", "new:2"}
    everything = ds.find_duplicates(items, only=new)
    assert [(a, b) for a, b, _ in everything] == [(1, "new:0"), ("new:1", "new:2")]
    assert [(a, b) for a, b, _ in ds.find_duplicates(items, only=new, across=True)] == [(1, "new:0")]


def test_duplicates_compare_every_name_in_a_crowded_place() -> None:
    """Names are compared all at once within a place, so none is missed however many share it."""
    names = [f"{a} {b} Lunch Club" for a in ("Oak", "Ash", "Elm", "Yew") for b in ("North", "South", "East")]
    items = [ds.Listing(i, n, postcode="RV9 9ZZ") for i, n in enumerate(names)]
    items.append(ds.Listing(99, "Oak North Lunch Club", postcode="RV9 9ZZ"))
    expected = sorted((a.key, b.key) for i, a in enumerate(items) for b in items[i + 1:]
                      if ds.duplicate_reason(a, b))
    assert [(a, b) for a, b, _ in ds.find_duplicates(items)] == expected
    assert (0, 99) in expected


def test_filter_tags_and_the_queries_that_match_them():
    assert ds.filter_tags(True, [3, 1, 3], [7], [2], [1, 1, 4]) == "zfree zt1 zt3 zp7 za2 zd1 zd4"
    assert ds.filter_tags(False, [], [], [], []) == ""
    f = ds.TagFilter.of(free=True, term_ids=[3, 1], place_ids=[7], area_ids=[7, 2], weekdays=[1])
    assert f.groups == (("zfree",), ("zt1", "zt3"), ("zp7", "za2", "za7"), ("zd1",))
    assert f.tsquery() == "(zfree) & (zt1 | zt3) & (zp7 | za2 | za7) & (zd1)"
    assert f.fts5("tags") == '(tags:"zfree") AND (tags:"zt1" OR tags:"zt3") AND (tags:"zp7" OR tags:"za2" OR tags:"za7") AND (tags:"zd1")'
    assert ds.TagFilter.of(term_ids=[]).groups == ((ds.NO_MATCH,),)  # only unknown terms: nothing
    assert ds.TagFilter.of().tsquery() == "" and ds.TagFilter.of(term_ids=None).fts5("tags") == ""

"""Search: stemming, typo tolerance, days and times, places (natural neighbourhoods), filters,
staleness and ranking; the same on SQLite and PostgreSQL (run both, see DESIGN.md §8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from powershift.core.models import Place
from powershift.directory import actions, queries
from powershift.directory.demo import KNIT_GROUP
from powershift.directory.models import Service
from tests.directory.conftest import person

pytestmark = pytest.mark.django_db


def names(**filters: object) -> list[str]:
    return [s.name for s in queries.search(queries.Filters(**filters), limit=50).services]  # type: ignore[arg-type]


def test_lonely_tuesday_afternoon_in_the_old_mills_finds_knit_and_natter(directory):
    result = queries.search(queries.Filters(text="lonely Tuesday afternoon",
                                            place=Place.objects.get(code="RV-N-MILLS")))
    assert result.services[0].name == KNIT_GROUP
    assert result.days == {1} and result.window == (12 * 60, 17 * 60) and result.words == ["lonely"]
    for s in result.services:  # every result is on a Tuesday afternoon in The Old Mills
        assert any(x.weekday == 1 and x.opens < 17 * 60 and x.closes > 12 * 60 for x in s.slots.all())
        assert s.places.filter(code="RV-N-MILLS").exists()


def test_stemming_matches_other_forms_of_a_word(directory):
    assert KNIT_GROUP in names(text="knitting")  # "Knit" and "knitting" share a stem
    assert "Walking for Health" in names(text="walks")


def test_typos_are_corrected_to_known_words(directory):
    result = queries.search(queries.Filters(text="kniting"))
    assert result.corrected == {"kniting": "knitting"}
    assert KNIT_GROUP in [s.name for s in result.services]
    assert queries.search(queries.Filters(text="xylophone")).total == 0


def test_stop_words_do_not_change_results(directory):
    assert names(text="the knitting") == names(text="knitting")


def test_filters_free_age_language_access_terms(directory):
    assert all(s.is_free for s in queries.search(queries.Filters(free=True), limit=200).services)
    kids = queries.search(queries.Filters(age=3), limit=200).services
    assert kids and all((s.minimum_age or 0) <= 3 <= (s.maximum_age if s.maximum_age is not None else 200)
                        for s in kids)
    urdu = queries.search(queries.Filters(language="urdu"), limit=200).services
    assert urdu and all("urdu" in s.language_list() for s in urdu)
    step = queries.search(queries.Filters(accessibility="step-free"), limit=200).services
    assert step and all("step-free access" in s.accessibility_list() for s in step)
    food = queries.search(queries.Filters(terms=["food"]), limit=200).services
    assert food and all("food" in {t.code for t in s.terms.all()} for s in food)


def test_stale_listings_leave_default_search(directory):
    old = timezone.localdate() - dt.timedelta(days=400)
    Service.objects.filter(name=KNIT_GROUP).update(assured_date=old)
    assert KNIT_GROUP not in names(text="knitting")
    assert KNIT_GROUP in names(text="knitting", include_stale=True)


def test_nearness_ranks_nearer_first(directory):
    near_mills = (53.5497, -1.9728)
    result = queries.search(queries.Filters(text="natter", near=near_mills))
    assert result.services[0].name == KNIT_GROUP
    far = queries.search(queries.Filters(text="natter", near=(53.5405, -1.9420)))
    assert far.services[0].name != KNIT_GROUP


def test_a_new_listing_is_found_at_once_and_edits_reindex(directory):
    org = person("leader").roles.get(role="org_leader").organisation
    s = actions.create_service(person("leader"), org, actions.Listing(
        name="Tuesday Teatime Friends", description="Cake and company for older neighbours",
        terms=["company"], latitude=53.5497, longitude=-1.9728))
    assert "Tuesday Teatime Friends" in names(text="cake")
    actions.update_service(person("leader"), s, actions.Listing(name="Tuesday Teatime Friends",
                                                               description="Scones now"))
    assert "Tuesday Teatime Friends" not in names(text="cake")
    assert "Tuesday Teatime Friends" in names(text="scones")


def test_referrals_search_with_capacity(directory):
    """The support module searches services that can take a referral."""
    s = Service.objects.get(name=KNIT_GROUP)
    actions.set_capacity(person("leader"), s, 0)
    assert KNIT_GROUP not in names(text="knitting", has_capacity=True)
    actions.set_capacity(person("leader"), s, 3)
    assert KNIT_GROUP in names(text="knitting", has_capacity=True)


def test_order_is_deterministic(directory):
    assert names(text="lunch") == names(text="lunch")
    assert names() == sorted(names(), key=str)  # no text, no place: by name


def _ids(**filters: object) -> set[int]:
    result = queries.search(queries.Filters(**filters), limit=1000)  # type: ignore[arg-type]
    assert result.total == len(result.services)
    return {s.pk for s in result.services}


@pytest.mark.parametrize("filters", [
    {"free": True}, {"terms": ["food"]}, {"terms": ["company", "food"]}, {"terms": ["no-such-term"]},
    {"days": frozenset({1})}, {"days": frozenset({1, 5})}, {"window": (12 * 60, 17 * 60)},
    {"days": frozenset({1}), "window": (17 * 60, 22 * 60)}, {"place": "RV-N-MILLS"}, {"place": "RV-W-MILL"},
    {"place": "RV-N-MILLS", "days": frozenset({1}), "free": True, "terms": ["company"]},
    {"age": 70, "free": True}, {"include_stale": True, "free": True},
])
@pytest.mark.parametrize("word", ["group", "club", "tea"])
def test_text_search_filters_in_the_index_as_the_filters_alone_do(directory, filters, word):
    """With text, free, terms, places and days are matched as tags inside the full-text index;
    without text they are SQL filters. Both must pick the same services."""
    org = person("leader").roles.get(role="org_leader").organisation
    actions.create_service(person("leader"), org, actions.Listing(  # found by its area, not a location
        name="Town-wide tea club", description="A group for everyone", is_free=True, terms=["company"],
        service_areas=[Place.objects.get(code="RV-LOC")]))
    filters = dict(filters)
    if "place" in filters:
        filters["place"] = Place.objects.get(code=filters["place"])
    text_only = _ids(text=word, include_stale=filters.get("include_stale", False))
    assert text_only, f"no service mentions {word!r}"
    assert _ids(text=word, **filters) == text_only & _ids(**filters)


def test_edits_update_the_filter_tags(directory):
    s = Service.objects.get(name=KNIT_GROUP)
    assert s.is_free and KNIT_GROUP in names(text="knitting", free=True)
    actions.update_service(person("leader"), s, actions.Listing(
        name=KNIT_GROUP, description="Knitting and natter", is_free=False, fees="£2", terms=["learning"]))
    assert KNIT_GROUP not in names(text="knitting", free=True)
    assert KNIT_GROUP not in names(text="knitting", terms=["company"])
    assert KNIT_GROUP in names(text="knitting", terms=["learning"])

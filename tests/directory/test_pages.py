"""Directory pages for every role, a leader editing through the form (with the error-summary
pattern), a resident's search, a correction reported and answered, duplicates merged."""

from __future__ import annotations

import pytest

from powershift.core.models import User
from powershift.directory.demo import KNIT_GROUP
from powershift.directory.models import (
    Duplicate,
    DuplicateStatus,
    Service,
    Suggestion,
    SuggestionStatus,
)
from tests.core.test_pages import ROLES, _check
from tests.directory.conftest import person

pytestmark = pytest.mark.django_db


def knit() -> Service:
    return Service.objects.get(name=KNIT_GROUP)


def urls() -> tuple[list[str], list[str], dict[str, set[str]]]:
    s = knit()
    public = ["/directory/", "/directory/?q=lonely+tuesday+afternoon&place=RV-N-MILLS",
              "/directory/?q=kniting&day=1&time=afternoon&free=on&age=70&term=company",
              f"/directory/services/{s.pk}/", f"/directory/services/{s.pk}/report/"]
    signed_in = ["/directory/mine/"]
    staff = {f"/directory/services/{s.pk}/edit/": {"leader", "member"},
             "/directory/organisations/riverside-knit-and-natter/new/": {"leader", "member"},
             f"/directory/services/{s.pk}/suggest/": {"linkworker", "keyworker", "staff", "commissioner",
                                                      "facilitator", "admin"},
             "/directory/duplicates/": {"admin"}}
    return public, signed_in, staff


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_directory_page_for_every_role(client, directory, role):
    if role:
        client.force_login(User.objects.get(email=f"{role}@riverside.example"))
    public, signed_in, staff = urls()
    for url in public + signed_in + list(staff):
        response = client.get(url)
        if url in staff and role not in staff[url]:
            assert response.status_code in (302, 403), (url, role)
            continue
        if url in signed_in and role is None:
            assert response.status_code == 302, url
            continue
        assert response.status_code == 200, (url, role)
        _check(response.content.decode(), url)


def test_resident_search_lists_the_group_with_when_it_was_confirmed(client, directory):
    page = client.get("/directory/", {"q": "lonely Tuesday afternoon", "place": "RV-N-MILLS"}).content.decode()
    assert page.index(KNIT_GROUP) < page.index("Last confirmed")
    assert "Knit and Natter at the Old Mills" in page


def test_leader_edits_the_group_and_form_errors_use_the_summary(client, directory):
    client.force_login(person("leader"))
    s = knit()
    bad = client.post(f"/directory/services/{s.pk}/edit/", {
        "name": "", "description": "x", "day": "", "opens_at": "15:00", "closes_at": "13:00",
        "latitude": "53.5"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in html and "There is a problem" in html
    for message in ("This field is required", "Choose the day it meets", "It must finish after it starts",
                    "Give both latitude and longitude"):
        assert message in html
    assert 'href="#id_name"' in html
    ok = client.post(f"/directory/services/{s.pk}/edit/", {
        "name": KNIT_GROUP, "description": "Now <script>alert(1)</script>with <b>cake</b>", "terms": ["company"],
        "day": "1", "opens_at": "13:00", "closes_at": "15:30", "capacity": "4", "location_name": "Old Mills",
        "latitude": "53.5497", "longitude": "-1.9728"})
    assert ok.status_code == 302
    s.refresh_from_db()
    assert s.description == "Now with cake" and s.capacity == 4
    page = client.get(f"/directory/services/{s.pk}/").content.decode()
    assert "<script>alert" not in page and "Now with cake" in page


def test_staff_cannot_edit_but_can_suggest_and_the_owner_answers(client, directory):
    s = knit()
    client.force_login(person("staff"))
    assert client.get(f"/directory/services/{s.pk}/edit/").status_code == 403
    client.post(f"/directory/services/{s.pk}/suggest/", {"text": "The room moved upstairs"})
    client.logout()
    client.post(f"/directory/services/{s.pk}/report/", {"text": "Starts at 1pm now"})
    assert Suggestion.objects.filter(service=s, status=SuggestionStatus.OPEN).count() == 2
    client.force_login(person("leader"))
    page = client.get(f"/directory/services/{s.pk}/").content.decode()
    assert "The room moved upstairs" in page and "Starts at 1pm now" in page
    suggestion = Suggestion.objects.get(text="Starts at 1pm now")
    assert client.post(f"/directory/suggestions/{suggestion.pk}/answer/",
                       {"accepted": "yes", "response": "Thanks"}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.closed_by == person("leader")


def test_empty_report_shows_the_error_summary(client, directory):
    response = client.post(f"/directory/services/{knit().pk}/report/", {"text": "  "})
    assert "govuk-error-summary" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_admin_merges_a_duplicate_keeping_history(client, directory):
    client.force_login(person("admin"))
    dup = Duplicate.objects.filter(status=DuplicateStatus.OPEN).order_by("pk").first()
    assert dup is not None
    response = client.post(f"/directory/duplicates/{dup.pk}/", {"keep": str(dup.first_id)})
    assert response.status_code == 302
    dup.refresh_from_db()
    other = Service.objects.get(pk=dup.second_id)
    assert dup.status == DuplicateStatus.MERGED and other.merged_into_id == dup.first_id
    # The merged listing's page leads to the one kept.
    assert client.get(f"/directory/services/{other.pk}/").url == f"/directory/services/{dup.first_id}/"

"""Budget pages on the full Riverside demo, for every role, and a vote cast through the forms."""

from __future__ import annotations

import pytest

from powershift.budgets.demo import GRANTS, LAST_YEAR, THIS_YEAR
from powershift.budgets.models import Ballot, Round, Stage
from powershift.core.models import User
from tests.core.test_pages import ROLES, _check

pytestmark = pytest.mark.django_db

PUBLIC = ["/budgets/", f"/budgets/{THIS_YEAR}/", f"/budgets/{THIS_YEAR}/projects/1/",
          f"/budgets/{LAST_YEAR}/", f"/budgets/{LAST_YEAR}/results/", f"/budgets/{LAST_YEAR}/projects/2/",
          f"/budgets/{GRANTS}/", f"/budgets/{GRANTS}/projects/1/"]
SIGNED_IN = [f"/budgets/{GRANTS}/propose/", f"/budgets/{THIS_YEAR}/code/"]
ROUND_STAFF = {"commissioner", "facilitator", "admin"}
STAFF = {f"/budgets/{THIS_YEAR}/manage/": ROUND_STAFF, f"/budgets/{THIS_YEAR}/manage/paper/": ROUND_STAFF,
         f"/budgets/{GRANTS}/projects/1/review/": ROUND_STAFF,
         "/budgets/new/": {"facilitator", "admin"}}


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_budget_page_for_every_role(client, riverside_full, role):
    if role:
        client.force_login(User.objects.get(email=f"{role}@riverside.example"))
    for url in PUBLIC + SIGNED_IN + list(STAFF):
        response = client.get(url)
        if url in STAFF and role not in STAFF[url]:
            assert response.status_code in (302, 403), (url, role)
            continue
        if url in SIGNED_IN and role is None:
            assert response.status_code == 302, url
            continue
        assert response.status_code == 200, (url, role)
        _check(response.content.decode(), url)


def test_the_demo_has_a_round_in_voting_and_one_being_delivered(riverside_full):
    this, last = Round.objects.get(slug=THIS_YEAR), Round.objects.get(slug=LAST_YEAR)
    assert this.stage == Stage.VOTING and this.projects.count() == 25 and this.ballots.count() == 2000
    assert this.result is None
    assert last.stage == Stage.DELIVERY and last.result["selected"]
    assert all(last.projects.get(number=n).updates.exists() for n in last.result["selected"])


def test_a_resident_votes_with_the_form_and_cannot_vote_twice(client, riverside_full):
    client.force_login(User.objects.get(email="resident@riverside.example"))
    url = f"/budgets/{THIS_YEAR}/vote/"
    page = client.get(url).content.decode()
    assert "Choose the projects you want, up to the budget" in page and 'data-cost="18000"' in page
    # Over the budget: the error summary, nothing saved.
    many = {f"p{n}": "on" for n in range(1, 26)}
    response = client.post(url, many)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert "more than the budget" in response.content.decode()
    assert Ballot.objects.filter(round__slug=THIS_YEAR).count() == 2000
    response = client.post(url, {"p1": "on", "p7": "on"})
    assert "Your vote is cast" in response.content.decode()
    assert Ballot.objects.filter(round__slug=THIS_YEAR).count() == 2001
    assert "You have already voted" in client.get(url).content.decode()
    client.post(url, {"p2": "on"})
    assert Ballot.objects.filter(round__slug=THIS_YEAR).count() == 2001


def test_someone_not_on_the_register_is_asked_for_their_letter_code(client, riverside_full):
    client.force_login(User.objects.get(email="member@riverside.example"))
    response = client.get(f"/budgets/{THIS_YEAR}/vote/")
    assert response.status_code == 302 and response.url.endswith("/code/")
    response = client.post(f"/budgets/{THIS_YEAR}/code/", {"code": "WRONG", "date_of_birth": "1990-01-01"})
    assert "That code is not right" in response.content.decode()

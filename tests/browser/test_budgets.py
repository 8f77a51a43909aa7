"""A budget round end to end in the browser: a facilitator opens it, a resident proposes, staff
review, people vote (with and without JavaScript), the count is published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.test_demo_pages import _axe, _sign_in

pytestmark = pytest.mark.browser


def _as(browser: Any, base: str, role: str, **options: Any) -> Any:
    context = browser.new_context(bypass_csp=True, **options)
    page = context.new_page()
    _sign_in(page, base, role)
    return page


def _clean(page: Any) -> None:
    violations = _axe(page)
    assert not violations, [f'{page.url}: {v["id"]}: {v["nodes"][0]["target"]}' for v in violations]


def test_a_round_from_opening_to_results(browser: Any, demo_server: str) -> None:
    base = demo_server
    fac = _as(browser, base, "facilitator")
    fac.goto(f"{base}/budgets/new/")
    _clean(fac)
    fac.fill("#id_title", "Castle Hill Pocket Parks")
    fac.select_option("#id_place", label="Riverside")
    fac.fill("#id_description", "£20,000 for small green spaces.")
    fac.fill("#id_budget", "20000")
    today = dt.date.today()  # the round's dates must lie ahead of whenever the test runs
    fac.fill("#id_proposals_close", (today + dt.timedelta(days=10)).isoformat())
    fac.fill("#id_voting_opens", (today + dt.timedelta(days=11)).isoformat())
    fac.fill("#id_voting_closes", (today + dt.timedelta(days=30)).isoformat())
    fac.click("main button[type=submit]")
    fac.wait_for_url(f"{base}/budgets/castle-hill-pocket-parks/")
    round_url = f"{base}/budgets/castle-hill-pocket-parks"

    resident = _as(browser, base, "resident")
    for title, costs in [("Planters on Keep Street", "Planters: 6000\nSoil and plants: 2000"),
                         ("Wildlife pond", "Digging and liner: 9000"),
                         ("Picnic benches", "Benches: 4000")]:
        resident.goto(f"{round_url}/propose/")
        resident.fill("#id_title", title)
        resident.fill("#id_description", f"{title} for everyone in Castle Hill.")
        resident.fill("#id_costs", costs)
        resident.click("main button[type=submit]")
        assert resident.locator("h1").inner_text() == title
    # A cost written wrongly gets the error summary, linked to the field.
    resident.goto(f"{round_url}/propose/")
    resident.fill("#id_title", "Bad sums")
    resident.fill("#id_description", "x")
    resident.fill("#id_costs", "lots of money")
    resident.click("main button[type=submit]")
    assert "write each cost as" in resident.locator(".govuk-error-summary").inner_text()
    _clean(resident)

    for number in (1, 2, 3):
        fac.goto(f"{round_url}/projects/{number}/review/")
        _clean(fac)
        fac.check("#id_decision_0")
        fac.fill("#id_reason", "The parks team can do this within the cost.")
        fac.click("main button[type=submit]")
    for stage in ("Feasibility review", "Voting"):
        fac.goto(f"{round_url}/manage/")
        fac.click(f"text=Move to {stage}")
    # The resident and the group member are checked at a venue.
    for email in ("resident@riverside.example", "member@riverside.example"):
        fac.goto(f"{round_url}/manage/")
        fac.fill("#id_email", email)
        fac.check("#id_age_confirmed")
        fac.click("text=Let them vote")
    _clean(fac)

    # With JavaScript: the meter follows the money left.
    resident.goto(f"{round_url}/vote/")
    meter = resident.locator("[data-meter]")
    assert meter.inner_text() == "£20,000 of £20,000 left"
    resident.check("#id_p1")
    assert meter.inner_text() == "£12,000 of £20,000 left"
    resident.check("#id_p2")
    resident.check("#id_p3")
    assert meter.inner_text() == "£1,000 over the budget"
    _clean(resident)
    resident.uncheck("#id_p2")
    assert meter.inner_text() == "£8,000 of £20,000 left"
    resident.click("text=Cast my vote")
    assert "Your vote is cast" in resident.locator("h1").inner_text()
    _clean(resident)

    # Without JavaScript: the plain form works, and the server refuses an over-budget ballot.
    member = _as(browser, base, "member", java_script_enabled=False)
    member.goto(f"{round_url}/vote/")
    assert member.locator("[data-meter]").is_hidden()
    for box in ("#id_p1", "#id_p2", "#id_p3"):
        member.check(box)
    member.click("text=Cast my vote")
    assert "more than the budget" in member.locator(".govuk-error-summary").inner_text()
    member.uncheck("#id_p1")
    member.click("text=Cast my vote")
    assert "Your vote is cast" in member.locator("h1").inner_text()

    fac.goto(f"{round_url}/manage/")
    assert "2" in fac.locator("text=People who have voted").locator("xpath=..").inner_text()
    fac.click("text=Move to Results")
    fac.goto(f"{round_url}/results/")
    _clean(fac)
    assert fac.locator("svg[role=img] rect").count() == 3
    assert "2 people voted" in fac.locator("main").inner_text()
    for page in (fac, resident, member):
        page.context.close()

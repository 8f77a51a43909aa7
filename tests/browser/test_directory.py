"""The community directory in the browser: a group's leader lists and edits their group; a
resident finds it by searching "lonely Tuesday afternoon" in their natural neighbourhood, with
and without JavaScript; axe-core clean on every page on the way."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_budgets import _as, _clean

pytestmark = pytest.mark.browser

KNIT = "Knit and Natter at the Old Mills"


def test_a_leader_lists_and_edits_their_group(browser: Any, demo_server: str) -> None:
    base = demo_server
    leader = _as(browser, base, "leader")
    leader.goto(f"{base}/directory/mine/")
    _clean(leader)
    assert KNIT in leader.locator("main table").inner_text()
    # List a new activity for the group.
    leader.click("text=List a new group or activity")
    _clean(leader)
    leader.fill("#id_name", "Crochet Corner")
    leader.click("main button[type=submit]")  # no description: the error summary
    summary = leader.locator(".govuk-error-summary")
    assert "This field is required" in summary.inner_text()
    _clean(leader)
    leader.fill("#id_description", "Learn to crochet with friendly neighbours. Hooks and yarn provided.")
    leader.check("input[name=terms][value=creativity]")
    leader.select_option("#id_day", label="Thursday")
    leader.fill("#id_opens_at", "14:00")
    leader.fill("#id_closes_at", "16:00")
    leader.fill("#id_location_name", "Old Mills Community Room")
    leader.fill("#id_latitude", "53.5497")
    leader.fill("#id_longitude", "-1.9728")
    leader.click("main button[type=submit]")
    assert leader.locator("h1").inner_text() == "Crochet Corner"
    _clean(leader)
    # Edit the group's own listing.
    leader.goto(f"{base}/directory/mine/")
    leader.click(f"main table a:has-text('Change'):has(span:text-is(' {KNIT}'))")
    _clean(leader)
    description = leader.locator("#id_description")
    description.fill(description.input_value() + " Now with a tea urn and big-print patterns.")
    leader.fill("#id_capacity", "6")
    leader.click("main button[type=submit]")
    assert leader.locator("h1").inner_text() == KNIT
    body = leader.locator("main").inner_text()
    assert "big-print patterns" in body and "Places available" in body
    _clean(leader)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_finds_it_in_their_natural_neighbourhood(browser: Any, demo_server: str,
                                                            javascript: bool) -> None:
    base = demo_server
    resident = _as(browser, base, "resident", java_script_enabled=javascript)
    check = _clean if javascript else (lambda page: None)  # axe itself needs JavaScript
    resident.goto(f"{base}/directory/")
    check(resident)
    resident.fill("#id_q", "lonely Tuesday afternoon")
    resident.select_option("#id_place", label="The Old Mills (Natural neighbourhood)")
    resident.click("main form[role=search] button[type=submit]")
    first = resident.locator("main ol li").first
    assert KNIT in first.inner_text()
    assert "Last confirmed" in first.inner_text()
    check(resident)
    first.locator("a").first.click()
    assert resident.locator("h1").inner_text() == KNIT
    assert "Tuesday" in resident.locator("main").inner_text()
    check(resident)

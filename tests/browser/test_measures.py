"""Measures that matter, stories and practice in the browser: a resident proposes a measure,
neighbours endorse it, the facilitator records agreement, a volunteer records values on a phone,
a commissioner sees it beside the official figure; a story is told, moderated and pinned; a team
draws a card and logs what it learned. Every page axe-checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.test_budgets import _as, _clean

pytestmark = pytest.mark.browser

TITLE = "Children who walk or cycle to school"


def test_a_measure_from_proposal_to_beside_the_official_figure(browser: Any, demo_server: str) -> None:
    base = demo_server
    resident = _as(browser, base, "resident")
    resident.goto(f"{base}/measures/")
    _clean(resident)
    resident.get_by_role("link", name="Propose a measure").click()
    _clean(resident)
    resident.select_option("#id_place", label="Weavers Green")
    resident.fill("#id_title", TITLE)
    resident.fill("#id_description", "Counted at the school gates of Weavers Green Primary one morning a week.")
    resident.fill("#id_why", "Parents want safer streets; walking to school shows whether they are.")
    resident.get_by_label("A count").check()
    resident.get_by_label("A whole number").check()
    resident.fill("#id_unit", "children")
    resident.fill("#id_min_value", "0")
    resident.fill("#id_max_value", "300")
    resident.get_by_label("Higher is better").check()
    resident.click("main button[type=submit]")
    assert resident.locator("h1").inner_text() == TITLE
    measure_url = resident.url
    assert "Proposed" in resident.locator("main").inner_text()
    _clean(resident)

    for neighbour in ("member", "leader"):
        page = _as(browser, base, neighbour)
        page.goto(measure_url)
        page.get_by_label("I live, work or volunteer in Weavers Green").check()
        page.get_by_role("button", name="Endorse this measure").click()
        assert "your endorsement is counted" in page.locator(".govuk-notification-banner").inner_text()
        assert "You have endorsed this measure." in page.locator("main").inner_text()
        _clean(page)
        page.context.close()

    fac = _as(browser, base, "facilitator")
    fac.goto(measure_url)
    assert "2 people have endorsed it" in fac.locator("main").inner_text()
    fac.get_by_role("link", name="Record community agreement").click()
    _clean(fac)
    fac.fill("#id_note", "Agreed at the Weavers Green residents' meeting, 31 people there.")
    fac.select_option("#id_beside", label="A&E attendances per 1000 people")
    fac.click("main button[type=submit]")
    assert "Agreed by the community" in fac.locator("main").inner_text()

    # A volunteer records values on a phone, at 320 and 390 pixels wide: one from a paper form.
    for width in (320, 390):
        phone = _as(browser, base, "member", viewport={"width": width, "height": 740})
        phone.goto(measure_url)
        phone.get_by_role("link", name="Record a value").click()
        _clean(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= width
        phone.fill("#id_value", "12.5")
        phone.click("main button[type=submit]")
        assert "not a whole number" in phone.locator(".govuk-error-summary").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= width
        _clean(phone)
        day = dt.date.today() - dt.timedelta(days=14 if width == 320 else 0)
        phone.fill("#id_value", "41" if width == 320 else "47")
        phone.fill("#id_observed_on", day.isoformat())
        if width == 320:
            phone.get_by_label("From a paper form").check()
            phone.fill("#id_collector", "Weavers Green walking bus volunteers")
        phone.click("main button[type=submit]")
        assert "Recorded. Thank you." in phone.locator(".govuk-notification-banner").inner_text()
        phone.context.close()

    fac.goto(measure_url)
    fac.get_by_role("link", name="Add a note to the chart").click()
    fac.fill("#id_on", (dt.date.today() - dt.timedelta(days=7)).isoformat())
    fac.fill("#id_text", "School street closure began")
    fac.click("main button[type=submit]")

    commissioner = _as(browser, base, "commissioner")
    commissioner.goto(measure_url)
    main = commissioner.locator("main").inner_text()
    assert "Beside the official figure" in main and "A&E attendances per 1000 people" in main
    assert "School street closure began" in main and "Weavers Green walking bus volunteers" in main
    assert commissioner.locator("figure svg").count() == 2
    table = commissioner.locator("table", has_text="Every value recorded").inner_text()
    assert "41" in table and "47" in table and "entered" in table  # the paper form's entry date
    _clean(commissioner)
    commissioner.goto(f"{base}/measures/places/RV-W-WEAV/")
    side = commissioner.locator("main").inner_text()
    assert TITLE in side and "A&E attendances per 1000 people" in side and "GP appointments" in side
    _clean(commissioner)
    commissioner.context.close()
    fac.context.close()
    resident.context.close()


def test_a_story_is_told_moderated_and_pinned(browser: Any, demo_server: str) -> None:
    base = demo_server
    resident = _as(browser, base, "resident")
    resident.goto(f"{base}/measures/stories/tell/")
    _clean(resident)
    resident.fill("#id_title", "The walking bus")
    resident.fill("#id_what_happened", "Parents take turns to walk the children to school in a group.")
    resident.fill("#id_difference", "Nobody has to do it every day, and the children love it.")
    resident.fill("#id_who_helped", "Weavers Green Primary and the PCSO")
    resident.get_by_label("Weavers Green", exact=True).check()
    resident.get_by_label("Young people", exact=True).check()
    resident.click("main button[type=submit]")
    assert "Without that consent the story is not saved" in resident.locator(".govuk-error-summary").inner_text()
    _clean(resident)
    resident.get_by_label("Publish it with my first name only").check()
    resident.click("main button[type=submit]")
    assert resident.locator("h1").inner_text() == "The walking bus"
    assert "Waiting for a facilitator" in resident.locator("main").inner_text()
    story_url = resident.url

    fac = _as(browser, base, "facilitator")
    fac.goto(f"{base}/measures/stories/moderate/")
    _clean(fac)
    fac.get_by_role("link", name="The walking bus").click()
    _clean(fac)
    fac.get_by_label("Publish", exact=True).check()
    fac.click("main button[type=submit]")
    assert "Decision recorded" in fac.locator(".govuk-notification-banner").inner_text()

    commissioner = _as(browser, base, "commissioner")
    commissioner.goto(f"{base}/measures/stories/?q=walking+bus")
    commissioner.get_by_role("link", name="The walking bus").click()
    assert "Told by Amira" in commissioner.locator("main").inner_text()
    commissioner.get_by_role("link", name="Pin to a plan or a budget round").click()
    _clean(commissioner)
    commissioner.select_option("#id_plan", label="Riverside Health and Wellbeing Plan 2027")
    commissioner.fill("#id_note", "Active travel: parents sharing the load")
    commissioner.click("main button[type=submit]")
    assert "Riverside Health and Wellbeing Plan 2027: Active travel" in commissioner.locator("main").inner_text()
    commissioner.get_by_role("link", name="Printable story card").click()
    _clean(commissioner)
    commissioner.emulate_media(media="print")
    assert not commissioner.locator(".ps-no-print").first.is_visible()
    assert commissioner.locator("h1").inner_text() == "The walking bus"
    for page in (resident, fac, commissioner):
        page.context.close()
    assert story_url


def test_a_team_draws_a_card_and_logs_what_it_learned(browser: Any, demo_server: str) -> None:
    base = demo_server
    staff = _as(browser, base, "staff")
    staff.goto(f"{base}/measures/practice/")
    _clean(staff)
    staff.get_by_role("link", name="Riverside North Neighbourhood Team").click()
    _clean(staff)
    assert "Self-assessment over time" in staff.locator("main").inner_text()
    staff.get_by_role("link", name="Draw a card").click()
    _clean(staff)
    staff.get_by_label("In a team meeting").check()
    staff.fill("#id_community", "Young carers in Millbank")
    staff.click("main button[type=submit]")
    card = staff.locator("#drawn-card").inner_text()
    assert "Applied to: Young carers in Millbank" in card
    _clean(staff)
    staff.fill("#id_what_we_did", "Did the card's task with two young carers and their school.")
    staff.fill("#id_what_happened", "They asked for a quiet room at lunchtime, which the school agreed.")
    staff.fill("#id_what_we_learned", "Young carers know exactly what would help if we ask them.")
    staff.click("main button[type=submit]")
    assert "Added to the log book" in staff.locator(".govuk-notification-banner").inner_text()
    assert "Young carers know exactly what would help" in staff.locator("main").inner_text()
    _clean(staff)
    # The log book is private to the team.
    outsider = _as(browser, base, "commissioner")
    response = outsider.goto(staff.url)
    assert response.status == 403
    staff.context.close()
    outsider.context.close()

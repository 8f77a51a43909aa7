"""Support and social prescribing in the browser, each role doing its part end to end: the link
worker adds a person in their own words and refers them to a community group found in place;
the group accepts, marks first attendance and sends a note back; the link worker sees the loop
close and discharges; the keyworker writes the plan with the person, records a conversation and
wellbeing answers and reads the journey; the person rates their own progress, sees who looked at
their record and withdraws consent, which the group feels at once. axe-core clean throughout."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.browser.test_budgets import _as, _clean

pytestmark = pytest.mark.browser

KNIT = "Knit and Natter at the Old Mills"


def _in(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def test_link_worker_group_keyworker_and_person_each_do_their_part(browser: Any, demo_server: str) -> None:
    base = demo_server
    # The link worker adds Bea, in her own words.
    lw = _as(browser, base, "linkworker")
    lw.goto(f"{base}/support/")
    _clean(lw)
    assert "No answer for 7 days" in lw.locator("main").inner_text() or "7 days" in lw.locator("main").inner_text()
    lw.click("text=Add a person")
    _clean(lw)
    lw.fill("#id_full_name", "Beatrice Moss")
    lw.click("main button[type=submit]")  # no preferred name, no consent date: the error summary
    assert "There is a problem" in lw.locator(".govuk-error-summary").inner_text()
    _clean(lw)
    lw.fill("#id_preferred_name", "Bea")
    lw.fill("#id_strengths", "I used to run the church choir")
    lw.fill("#id_what_matters", "Getting out of the flat since my husband died")
    lw.fill("#id_good_day", "Singing, and a natter over a cuppa")
    lw.select_option("#id_keyworker", label="Priya Shah")
    lw.fill("#id_consent_expires_on", _in(180))
    lw.click("main button[type=submit]")
    assert lw.locator("h1").inner_text() == "Bea"
    _clean(lw)
    record = lw.url
    # Refer, searching the directory in place; only groups with places are offered.
    lw.click("text=Refer to a community group")
    lw.fill("#id_q", "knit")
    lw.click("main form[role=search] button[type=submit]")
    _clean(lw)
    lw.click(f"main ol a:has(span:text-is(': {KNIT}, Riverside Knit and Natter'))")
    # The number is the group's own (the directory's browser test may have changed it).
    assert re.search(r"Places available: \d+\.", lw.locator("main").inner_text())
    lw.fill("#id_note", "Bea would love to meet people; she was a choir leader.")
    lw.click("main form[method=post] button[type=submit]")  # no consent date yet
    assert "Enter the date" in lw.locator(".govuk-error-summary").inner_text() or \
        "required" in lw.locator(".govuk-error-summary").inner_text()
    _clean(lw)
    lw.fill("#id_consent_expires_on", _in(90))
    lw.click("main form[method=post] button[type=submit]")
    assert "Referral sent" in lw.locator(".govuk-notification-banner").inner_text()
    assert "Waiting for the group" in lw.locator("main").inner_text()

    # The group accepts, marks first attendance and sends a note back.
    leader = _as(browser, base, "leader")
    leader.goto(f"{base}/support/")
    _clean(leader)
    amiras = "main a[href='/support/referrals/1/']"  # the resident's referral to the group
    assert leader.locator(amiras).count() == 1
    leader.click(f"text=Bea for {KNIT}")
    _clean(leader)
    assert "was a choir leader" in leader.locator("main").inner_text()
    leader.check("input[name=answer-decision][value=accept]")
    leader.click("main form:has(input[value=answer]) button[type=submit]")
    leader.fill("#id_attended-attended_on", dt.date.today().isoformat())
    leader.click("main form:has(input[value=attended]) button[type=submit]")
    leader.fill("#id_note-note_back", "Bea came on Tuesday and is already teaching us a round!")
    leader.click("main form:has(input[value=note_back]) button[type=submit]")
    assert "teaching us a round" in leader.locator("main").inner_text()
    _clean(leader)

    # The link worker sees the loop close, and discharges.
    lw.goto(record)
    body = lw.locator("main").inner_text()
    assert "Attending" in body and "teaching us a round" in body
    lw.click(f"main table a:text-is('{KNIT}')")
    assert "871731000000106" in lw.locator("main").inner_text()
    lw.check("input[name=close-outcome][value=discharge]")
    lw.click("main form:has(input[value=close]) button[type=submit]")
    assert "Finished" in lw.locator("main").inner_text()
    _clean(lw)

    # The keyworker writes the plan with Bea, notes the conversation, records wellbeing.
    kw = _as(browser, base, "keyworker")
    kw.goto(record)
    _clean(kw)
    kw.click("text=Write the plan together")
    _clean(kw)
    kw.fill("#id_review_on", _in(28))
    kw.click("main button[type=submit]")  # no goals: refused
    assert "at least one goal" in kw.locator(".govuk-error-summary").inner_text()
    kw.fill("#id_goal_1", "I want to sing with people again")
    kw.fill("#id_action_1", "Go to Knit and Natter; ask about the community choir")
    kw.fill("#id_who_1", "Bea, with Sam for the first visit")
    kw.fill("#id_review_1", _in(14))
    kw.click("main button[type=submit]")
    assert "I want to sing with people again" in kw.locator("main").inner_text()
    kw.click("text=Add a conversation or contact")
    kw.fill("#id_note", "What are you good at? Bringing people together.")
    kw.click("main button[type=submit]")
    kw.click("text=Answer the four wellbeing questions")
    _clean(kw)
    for key, value in (("life_satisfaction", "11"), ("worthwhile", "6"), ("happiness", "5"), ("anxiety", "4")):
        kw.fill(f"#id_{key}", value)
    kw.click("main button[type=submit]")
    assert "outside 0 to 10" in kw.locator(".govuk-error-summary").inner_text()
    _clean(kw)
    kw.fill("#id_life_satisfaction", "5")
    kw.click("main button[type=submit]")
    assert "5 (medium)" in kw.locator("main").inner_text()
    # Dawn's journey: passed around six agencies before she had a keyworker.
    kw.goto(f"{base}/support/people/2/journey/")
    _clean(kw)
    summary = kw.locator("main").inner_text()
    assert "agencies involved" in summary and "repeated assessments" in summary
    assert "Riverside Housing Options" in summary and "Housing needs" in summary

    # The person: their own record, their rating, who looked, and withdrawing consent.
    me = _as(browser, base, "resident")
    me.goto(f"{base}/support/")
    me.click("text=Your support record")
    _clean(me)
    assert me.locator("h1").inner_text() == "Amira"
    me.click("main a:has-text('Rate your progress') >> nth=0")
    _clean(me)
    me.check("input[name=rating][value='7']")
    me.click("main button[type=submit]")
    assert "7/10" in me.locator("main").inner_text()
    me.click("text=Who has looked at this record")
    _clean(me)
    assert "Sam Ellis" in me.locator("main").inner_text()
    me.go_back()
    me.click("main tr:has-text('Riverside Knit and Natter') button:has-text('Withdraw')")
    assert "Consent withdrawn" in me.locator(".govuk-notification-banner").inner_text()
    _clean(me)
    # The group no longer sees Amira's referral.
    leader.goto(f"{base}/support/")
    assert leader.locator(amiras).count() == 0
    assert leader.goto(f"{base}/support/referrals/1/").status == 404


def test_the_record_and_journey_fit_320_pixels(browser: Any, demo_server: str) -> None:
    base = demo_server
    page = _as(browser, base, "keyworker", viewport={"width": 320, "height": 640})
    too_wide = {}
    for url in ("/support/", "/support/people/2/", "/support/people/2/journey/", "/support/people/2/plan/",
                "/support/referrals/1/"):
        page.goto(base + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[url] = width
    assert not too_wide, too_wide

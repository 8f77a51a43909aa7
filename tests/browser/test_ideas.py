"""An Ideas Shop conversation end to end: a facilitator and 20 residents in the browser."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from tests.browser.test_budgets import _as, _clean

pytestmark = pytest.mark.browser

SEEDS = ["The park needs more bins", "Open the pool early for swimmers", "Plant fruit trees in the park",
         "Ban barbecues in the park", "Floodlight the football pitch", "Keep the park gates open at night"]


def _vote_all(page: Any, agree: set[str], keyboard: bool = False) -> None:
    while page.locator("#statement-text").count():
        text = page.locator("#statement-text p").inner_text()
        label = "Agree" if text in agree else "Disagree"
        before = page.locator("#vote-progress").inner_text()
        if keyboard:  # focus moves to the statement after each vote; Tab reaches the buttons
            button = page.get_by_role("button", name=label, exact=True)
            button.focus()
            page.keyboard.press("Enter")
        else:
            page.get_by_role("button", name=label, exact=True).click()
        page.wait_for_function(
            "before => !document.getElementById('vote-progress') || "
            "document.getElementById('vote-progress').innerText !== before", arg=before)


def test_a_facilitator_and_twenty_residents_find_common_ground(browser: Any, demo_server: str) -> None:
    base = demo_server
    fac = _as(browser, base, "facilitator")
    fac.goto(f"{base}/ideas/new/")
    _clean(fac)
    today = dt.date.today()
    fac.fill("#id_question", "What would make Castle Park better?")
    fac.select_option("#id_place", label="Riverside")
    fac.fill("#id_description", "For the park's friends group and the council's parks team.")
    fac.fill("#id_opens_on", today.isoformat())
    fac.fill("#id_closes_on", (today + dt.timedelta(days=14)).isoformat())
    fac.fill("#id_seeds", "\n".join(SEEDS))
    fac.click("main button[type=submit]")
    fac.wait_for_url(f"{base}/ideas/what-would-make-castle-park-better/")
    url = fac.url

    # Two camps who share one wish: more bins.
    quiet = {SEEDS[0], SEEDS[1], SEEDS[2], SEEDS[5]}
    lively = {SEEDS[0], SEEDS[3], SEEDS[4]}
    residents = []
    for i in range(20):
        page = browser.new_context(bypass_csp=True, java_script_enabled=(i != 7)).new_page()
        page.goto(url)
        page.get_by_role("button", name="Take part").click()
        page.wait_for_selector("#vote-progress")
        _vote_all(page, quiet if i % 2 else lively, keyboard=(i == 3))
        assert "You have voted on all 6 statements" in page.locator("#vote-card").inner_text()
        residents.append(page)
    _clean(residents[0])

    # The worker analyses a few seconds after the votes stop.
    deadline = time.time() + 60
    while True:
        fac.goto(f"{url}report/")
        if "20 people have voted 120 times" in fac.locator("main").inner_text() or time.time() > deadline:
            break
        time.sleep(2)
    _clean(fac)
    report = fac.locator("main").inner_text()
    assert "20 people have voted 120 times" in report
    assert "Group A (10 people)" in report and "Group B (10 people)" in report, report
    common = fac.locator("h2:has-text('What we agree on') + ul").inner_text()
    assert SEEDS[0] in common
    fac.get_by_role("link", name="Act on this (statement 1)").first.click()
    fac.fill("#id_title", "Six new bins by the paths")
    fac.fill("#id_owner", "Parks team")
    fac.click("main button[type=submit]")
    assert "Six new bins by the paths" in fac.locator("main").inner_text()

    # A resident adds a statement; the facilitator accepts it from the moderation queue.
    residents[5].fill("#id_text", "Add a water fountain by the playground")
    residents[5].click("text=Add statement")
    assert "A facilitator will check" in residents[5].locator("main").inner_text()
    fac.goto(f"{url}moderate/")
    _clean(fac)
    fac.get_by_role("button", name="Record decision on statement 7").click()
    residents[5].goto(url)
    assert "In the conversation" in residents[5].locator("main").inner_text()
    for page in [fac, *residents]:
        page.context.close()

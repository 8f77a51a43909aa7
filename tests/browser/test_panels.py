"""A citizens' panel end to end in the browser: a facilitator recruits by letter and phone,
publishes the seed commitment, draws the panel in the worker, replaces someone who declines,
and the commissioner answers the panel's recommendation in public."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_budgets import _as, _clean

pytestmark = pytest.mark.browser

QUOTAS = "Age, Under 45, 2, 3, 45\nAge, 45 and over, 2, 3, 55\nArea, North, 1, 3, 50\nArea, South, 1, 3, 50"
PEOPLE = [("Under 45", "North"), ("Under 45", "South"), ("45 and over", "North"), ("45 and over", "South"),
          ("Under 45", "North"), ("45 and over", "South")]


def test_a_panel_recruited_drawn_and_answered(browser: Any, demo_server: str) -> None:
    base = demo_server
    fac = _as(browser, base, "facilitator")
    fac.goto(f"{base}/panels/new/")
    _clean(fac)
    today = dt.date.today()
    fac.fill("#id_question", "Where should the new bus stops go?")
    fac.select_option("#id_place", label="Riverside")
    fac.fill("#id_description", "Four residents advise the transport team.")
    fac.fill("#id_size", "4")
    fac.fill("#id_recruitment_closes", (today + dt.timedelta(days=7)).isoformat())
    fac.fill("#id_meets_from", (today + dt.timedelta(days=14)).isoformat())
    fac.fill("#id_meets_to", (today + dt.timedelta(days=21)).isoformat())
    fac.fill("#id_quotas", QUOTAS)
    fac.click("main button[type=submit]")
    fac.wait_for_url(f"{base}/panels/where-should-the-new-bus-stops-go/manage/")
    manage = fac.url
    _clean(fac)

    addresses = "\n".join(f"{n} Station Road, Riverside" for n in range(1, 41))
    fac.set_input_files("#id_addresses", files=[{"name": "addresses.txt", "mimeType": "text/plain",
                                                 "buffer": addresses.encode()}])
    fac.fill("#id_count", "6")
    with fac.expect_download() as download:
        fac.click("text=Pick addresses and download letters")
    letters = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(letters) == 6 and all(len(row["code"]) == 11 for row in letters)

    for i, (row, (age, area)) in enumerate(zip(letters, PEOPLE, strict=True)):
        page = browser.new_context(bypass_csp=True, java_script_enabled=(i != 2)).new_page()
        page.goto(f"{base}/panels/where-should-the-new-bus-stops-go/join/")
        if i == 0:
            _clean(page)
        page.fill("#id_code", row["code"])
        page.fill("#id_name", f"Resident {i}")
        page.fill("#id_email", f"resident{i}@example.org")
        page.check(f"input[name=feature_Age][value='{age}']")
        page.check(f"input[name=feature_Area][value='{area}']")
        page.check("#id_consent")
        page.click("text=Put my name in")
        assert "You are in the pool" in page.locator("h1").inner_text()
        page.context.close()

    # One more answer taken by phone.
    fac.goto(manage)
    fac.fill("#id_name", "Phone Caller")
    fac.fill("#id_phone", "0161 000 0000")
    fac.fill("#id_address", "99 Mill Street, Riverside")
    fac.check("input[name=feature_Age][value='Under 45']")
    fac.check("input[name=feature_Area][value='South']")
    fac.check("#id_consent")
    fac.click("text=Add to the pool")
    assert "7 volunteers in the pool" in fac.locator("main").inner_text()

    fac.fill("#id_seed", "bus stop dice 6-2-5")
    fac.click("text=Publish the seed commitment")
    commitment = fac.locator("main code").inner_text()
    fac.goto(f"{base}/panels/where-should-the-new-bus-stops-go/")
    assert commitment in fac.locator("main").inner_text()
    assert "bus stop dice 6-2-5" not in fac.content()

    fac.goto(manage)
    fac.click("text=Draw the panel")
    deadline = time.time() + 120
    while "Panel members" not in fac.locator("main").inner_text() and time.time() < deadline:
        time.sleep(1)
        fac.goto(manage)
    _clean(fac)
    members = fac.locator("main table").nth(1).locator("tbody tr")
    assert members.count() == 4

    fac.locator("button:has-text('Declined')").first.click()
    fac.click("text=Draw 1 replacement")
    assert fac.locator("text=replacement").count() >= 1

    public = f"{base}/panels/where-should-the-new-bus-stops-go/"
    fac.goto(public)
    _clean(fac)
    text = fac.locator("main").inner_text()
    assert "bus stop dice 6-2-5" in text and "%" in text  # the seed, and each group's chance

    fac.goto(manage)
    fac.click("text=Move to the next stage")
    fac.fill("#id_text", "Put a stop outside the health centre.")
    fac.fill("#id_votes_for", "4")
    fac.fill("#id_votes_against", "0")
    fac.fill("#id_votes_abstain", "0")
    fac.click("text=Add recommendation")

    com = _as(browser, base, "commissioner")
    com.goto(f"{public}recommendations/1/respond/")
    _clean(com)
    com.check("#id_answer-status_0")
    com.fill("#id_answer-response", "Agreed: the stop opens in March.")
    com.click("text=Publish the answer")
    assert "Agreed: the stop opens in March." in com.locator("main").inner_text()
    for page in (fac, com):
        page.context.close()

"""Sign in as each demo role, open every page, run axe-core: no serious or critical violations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import AXE

pytestmark = pytest.mark.browser

PASSWORD = "share the power"
NEIGHBOURS = "neighbours-who-know-someone-they-could-ask-for-help-millbank"  # a demo measure
TEAM = "/measures/practice/teams/riverside-north-neighbourhood-team"  # the demo's practice team
ROLES = ["resident", "member", "leader", "linkworker", "keyworker", "staff", "commissioner",
         "facilitator", "admin"]
PUBLIC = ["/", "/about/", "/places/", "/places/?kind=ward", "/places/RV-LOC/", "/places/RV-N-TOWN/",
          "/account/password-reset/",
          "/m/directory/", "/support/",
          "/budgets/", "/budgets/riverside-community-budget-2026/",
          "/budgets/riverside-community-budget-2026/projects/6/",
          "/budgets/riverside-community-budget-2025/results/",
          "/budgets/riverside-community-budget-2025/projects/2/",
          "/budgets/riverside-community-grants-2026/",
          "/ideas/", "/ideas/what-would-make-riverside-a-better-place-to-live/",
          "/ideas/what-would-make-riverside-a-better-place-to-live/report/",
          "/panels/", "/panels/how-should-riverside-spend-less-on-energy-and-stay-warm/",
          "/panels/how-should-riverside-spend-less-on-energy-and-stay-warm/join/",
          "/panels/how-can-riversides-high-street-thrive-again/",
          "/directory/", "/directory/?q=lonely+tuesday+afternoon&place=RV-N-MILLS",
          "/directory/services/1/", "/directory/services/1/report/",
          "/measures/", f"/measures/m/{NEIGHBOURS}/", "/measures/places/", "/measures/places/RV-N-HOLLOW/",
          "/measures/stories/", "/measures/stories/?q=youth", "/measures/stories/1/", "/measures/stories/1/card/",
          "/measures/plans/1/", "/measures/practice/", "/measures/practice/framework/", "/measures/practice/decks/1/",
          "/measures/practice/checklist/RV-LOC/"]
SIGNED_IN = ["/account/", "/account/details/", "/account/my-data/", "/account/delete/", "/places/propose/",
             "/budgets/riverside-community-grants-2026/propose/",
             "/budgets/riverside-community-budget-2026/code/", "/directory/mine/",
             "/measures/propose/", f"/measures/m/{NEIGHBOURS}/record/", "/measures/stories/tell/"]
STAFF = {"/staff/": {"linkworker", "keyworker", "staff", "commissioner", "facilitator", "admin"},
         "/staff/audit/": {"admin"}, "/staff/roles/": {"admin"}, "/staff/import-places/": {"admin"},
         "/organisations/riverside-knit-and-natter/members/": {"leader", "admin"},
         "/budgets/new/": {"facilitator", "admin"},
         "/budgets/riverside-community-budget-2026/manage/": {"commissioner", "facilitator", "admin"},
         "/budgets/riverside-community-budget-2026/manage/paper/": {"commissioner", "facilitator", "admin"},
         "/ideas/new/": {"facilitator", "admin"},
         "/panels/new/": {"facilitator", "admin"},
         "/panels/how-should-riverside-spend-less-on-energy-and-stay-warm/manage/": {"facilitator", "admin"},
         "/panels/how-can-riversides-high-street-thrive-again/manage/": {"facilitator", "admin"},
         "/ideas/what-would-make-riverside-a-better-place-to-live/moderate/": {"facilitator", "admin"},
         "/directory/services/1/edit/": {"leader", "member"},
         "/directory/organisations/riverside-knit-and-natter/new/": {"leader", "member"},
         "/directory/services/1/suggest/": {"linkworker", "keyworker", "staff", "commissioner",
                                            "facilitator", "admin"},
         "/directory/duplicates/": {"admin"},
         "/measures/indicators/import/": {"commissioner", "facilitator", "admin"},
         f"/measures/m/{NEIGHBOURS}/annotate/": {"facilitator", "admin"},
         "/measures/stories/moderate/": {"facilitator", "admin"},
         "/measures/stories/28/moderate/": {"facilitator", "admin"},
         "/measures/stories/1/pin/": {"commissioner", "facilitator", "admin"},
         "/measures/practice/framework/edit/": {"admin"},
         "/measures/practice/teams/new/": {"linkworker", "keyworker", "staff", "commissioner", "facilitator",
                                           "admin"},
         f"{TEAM}/": {"staff", "linkworker", "keyworker"}, f"{TEAM}/draw/": {"staff", "linkworker", "keyworker"},
         f"{TEAM}/log/": {"staff", "linkworker", "keyworker"}, f"{TEAM}/assess/": {"staff", "linkworker", "keyworker"},
         "/measures/practice/checklist/RV-LOC/people/1/": {"linkworker", "keyworker", "commissioner",
                                                          "facilitator", "admin"},
         # Support: Dawn (record 2) has the link worker, keyworker and Early Help (staff@) in her
         # team with her consent; Amira (record 1) is the resident's own record.
         "/support/people/1/": {"resident", "linkworker", "keyworker"},
         "/support/people/2/": {"linkworker", "keyworker", "staff"},
         "/support/people/2/journey/": {"linkworker", "keyworker", "staff"},
         "/support/people/2/plan/": {"linkworker", "keyworker"},
         "/support/people/2/refer/?q=company": {"linkworker"},
         "/support/people/2/refer/?q=company&service=2": {"linkworker"},
         "/support/people/2/wellbeing/": {"keyworker"},
         "/support/people/2/outcomes/1/": {"keyworker"},
         "/support/people/2/notes/new/": {"keyworker"},
         "/support/people/2/about/": {"keyworker"},
         "/support/people/2/team/": {"keyworker"},
         "/support/people/2/consent/": {"keyworker"},
         "/support/people/2/who-looked/": {"keyworker"},
         "/support/people/2/export.html": {"keyworker"},
         "/support/people/2/erase/": {"keyworker"},
         "/support/people/new/": {"linkworker", "keyworker"},
         "/support/referrals/1/": {"leader", "member", "linkworker", "keyworker"},
         "/support/check/": {"linkworker", "keyworker", "staff", "commissioner", "facilitator", "admin"},
         "/support/checks/": {"admin"}, "/support/scales/": {"admin"},
         "/support/unit-costs/": {"linkworker", "keyworker", "admin"}}


# Public pages differ by role only in a few links and buttons: these roles see them all; the
# others check their own signed-in and staff pages (the same templates, fewer page loads).
PUBLIC_FOR = {None, "resident", "leader", "facilitator", "admin"}


def _pages(role: str | None) -> list[str]:
    pages = list(PUBLIC) if role in PUBLIC_FOR else []
    if role is None:
        pages += ["/account/sign-in/", "/account/sign-up/"]
    else:
        pages += SIGNED_IN + [url for url, roles in STAFF.items() if role in roles]
    return pages


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _sign_in(page: Any, base: str, role: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.fill("#id_username", f"{role}@riverside.example")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/account/")


@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *ROLES])
def test_every_page_is_axe_clean(browser: Any, demo_server: str, role: str | None) -> None:
    context = browser.new_context(bypass_csp=True)  # lets us inject axe-core
    page = context.new_page()
    if role:
        _sign_in(page, demo_server, role)
    problems = {}
    for url in _pages(role):
        response = page.goto(demo_server + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        violations = _axe(page)
        if violations:
            problems[url] = [f'{v["id"]} ({v["impact"]}): {v["nodes"][0]["target"]}' for v in violations]
    context.close()
    assert not problems, "\n".join(f"{url}: {'; '.join(p)}" for url, p in problems.items())


def test_api_docs_load_under_the_csp(browser: Any, demo_server: str) -> None:
    """Swagger UI is a third-party developer page, so it is not held to axe; it must still load
    from our own static files under the Content-Security-Policy."""
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{demo_server}/api/docs")
    page.wait_for_selector("#operations-places-powershift_core_api_lookup")
    page.close()
    assert not refused, refused


def test_pages_obey_the_content_security_policy(browser: Any, demo_server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(page, demo_server, "admin")
    for url in _pages("admin"):
        page.goto(demo_server + url)
        page.wait_for_load_state("networkidle")
    context.close()
    assert not refused, refused


def test_usable_at_320_pixels(browser: Any, demo_server: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    _sign_in(page, demo_server, "admin")
    too_wide = {}
    for url in _pages("admin"):
        page.goto(demo_server + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[url] = width
    context.close()
    assert not too_wide, too_wide


def test_map_draws_polygons_without_tiles(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.goto(f"{demo_server}/places/RV-LOC/")
    page.wait_for_selector("path.leaflet-interactive")
    # The locality, its two service neighbourhoods and the river at least.
    assert page.locator("path.leaflet-interactive").count() >= 4
    page.close()


def test_works_without_javascript(browser: Any, demo_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, demo_server, "resident")
    page.goto(f"{demo_server}/places/propose/")
    page.fill("#id_name", "No Script Close")
    page.fill("#id_geometry", json.dumps({"type": "Polygon", "coordinates": [[
        [-1.97, 53.545], [-1.95, 53.545], [-1.95, 53.555], [-1.97, 53.545]]]}))
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "No Script Close"
    context.close()


def test_error_summary_links_to_the_field(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.goto(f"{demo_server}/account/sign-in/")
    page.click("main button[type=submit]")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.close()


def test_boundary_upload_runs_in_the_worker_and_the_page_follows_it(
    browser: Any, demo_server: str, tmp_path: Any
) -> None:
    upload = tmp_path / "extra.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code": "RV-W-NEW", "name": "Wharfside"},
        "geometry": {"type": "Polygon", "coordinates": [[[-1.99, 53.53], [-1.985, 53.53],
                                                         [-1.985, 53.535], [-1.99, 53.53]]]}}]}))
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    _sign_in(page, demo_server, "admin")
    page.goto(f"{demo_server}/staff/import-places/")
    page.set_input_files("#id_upload", str(upload))
    page.select_option("#id_kind", "ward")
    page.fill("#id_name_field", "name")
    page.fill("#id_code_field", "code")
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/tasks/*/")
    assert not _axe(page)
    # htmx polls the progress until the worker has finished.
    page.wait_for_selector("text=1 new places, 0 updated", timeout=30_000)
    page.goto(f"{demo_server}/places/RV-W-NEW/")
    assert page.locator("h1").inner_text() == "Wharfside"
    context.close()


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_review_page_is_axe_clean(browser: Any, demo_server: str, role: str) -> None:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    _sign_in(page, demo_server, role)
    page.goto(f"{demo_server}/staff/")
    page.click("text=Canal Side")
    assert page.locator("h1").inner_text().startswith("Review")
    assert not _axe(page)
    context.close()

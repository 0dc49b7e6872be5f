"""The training coverage page in Chromium: the first view shows the top of the reader's units,
and "Vis enhederne under …" opens a unit in place with htmx (the address follows, so the back
button and a shared link work), or as a page of its own without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser


def _open_institution(browser: Browser, base_url: str, javascript: bool) -> dict[str, str]:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill("executive")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(base_url + "/kompetence/daekning/")
    seen = {"first": page.locator("main").inner_text()}
    page.get_by_role("link", name="Vis enhederne under Center for Dagtilbud").click()
    page.wait_for_url("**enhed=*")
    page.get_by_role("link", name="Vis enhederne under Børnehuset Mælkebøtten").click()
    page.wait_for_url("**enhed=*")
    page.locator("#coverage-units table").first.wait_for()
    page.wait_for_load_state()
    seen["opened"] = page.locator("#coverage-units").inner_text()
    seen["url"] = page.url
    context.close()
    return seen


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_it_opens_a_unit_of_the_coverage_page_on_request(chromium: BrowserThread, live_server, javascript):
    personas = build_personas()
    seen = chromium.run(_open_institution, live_server.url, javascript)
    assert personas.centre.name in seen["first"] and personas.team.name not in seen["first"]
    assert personas.team.name in seen["opened"] and personas.other_team.name in seen["opened"]
    assert seen["url"].endswith(f"?enhed={personas.institution.pk}")

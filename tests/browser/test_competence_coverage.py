"""The training coverage page in Chromium: the first view shows the top of the reader's units,
and "Vis enhederne under …" opens a unit in place with htmx (the address follows, so the back
button and a shared link work), or as a page of its own without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser


def _open_institution(browser: Browser, base_url: str, javascript: bool, names: tuple[str, str]) -> dict[str, str]:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill("executive")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(base_url + "/kompetence/daekning/")
    seen = {"first": page.locator("main").inner_text()}
    for name in names:
        page.get_by_role("link", name=f"Vis enhederne under {name}").click()
        # The opened unit is named in the trail at the top once its tables are in place.
        page.locator("#coverage-units [aria-current=page]", has_text=name).wait_for()
    seen["opened"] = page.locator("#coverage-units").inner_text()
    seen["url"] = page.url
    context.close()
    return seen


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_it_opens_a_unit_of_the_coverage_page_on_request(chromium: BrowserThread, live_server, javascript):
    personas = build_personas()
    names = (personas.centre.name, personas.institution.name)
    seen = chromium.run(_open_institution, live_server.url, javascript, names)
    assert personas.centre.name in seen["first"] and personas.team.name not in seen["first"]
    assert personas.team.name in seen["opened"] and personas.other_team.name in seen["opened"]
    assert seen["url"].endswith(f"?enhed={personas.institution.pk}")


def test_it_meets_wcag_21_aa_on_the_paged_competence_pages_with_content(chromium: BrowserThread, live_server):
    # The every-page axe run sees these pages mostly empty; here they have what a large
    # municipality shows: a coverage table with a tool and a unit to open, a page of names
    # with links to the next, prompts a page at a time.
    from django.utils import timezone

    from forankring.competence import actions
    from forankring.competence.queries import MISSING_PER_PAGE, PROMPTS_PER_PAGE
    from tests.browser.test_axe import Visit, browse
    from tests.factories import make_activity, make_person, make_prompt, make_tool

    personas = build_personas()
    m = personas.municipality
    tool = make_tool(m, name="Kontorassistenten")
    basics = make_activity(m, title="Grundkursus", tools=(tool,), mandatory=True)
    make_activity(m, title="Persondata og AI", mandatory=True)
    for i in range(MISSING_PER_PAGE + 5):
        person = make_person(m, f"Kollega {i:03d}", unit=personas.team)
        if i % 2:
            actions.complete(
                actor=person, activity=basics, completed_on=timezone.localdate(), evidence="", confirmed=True
            )
    for i in range(PROMPTS_PER_PAGE + 3):
        make_prompt(m, title=f"Prompt {i:03d}")
    visits = [
        Visit("competence:coverage", "/kompetence/daekning/", True),
        Visit("competence:coverage-unit", f"/kompetence/daekning/?enhed={personas.institution.pk}", True),
        Visit("competence:mandatory-names", "/kompetence/obligatorisk/", True),
        Visit("competence:mandatory-page-2", f"/kompetence/obligatorisk/?aktivitet={basics.pk}&side=2", True),
        Visit("competence:prompts-page", "/kompetence/prompts/?side=2", True),
    ]
    problems = chromium.run(browse, live_server.url, "admin", personas.admin.name, visits)
    assert not problems, f"{len(problems)} problems in the browser:\n" + "\n".join(problems)

"""Track 4's pilots end to end in Chromium, each person in their own browser: the team leader
proposes a pilot (choosing the team with the unit picker), the centre chief approves it, the team
leader starts it, and the employee gives this week's pulse on a phone without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from forankring.pilots.models import Pilot, PulseAnswer
from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas, make_use_case

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def _sign_in(browser: Browser, base_url: str, username: str, **context: object) -> Page:
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


def _click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def pilot_flow(browser: Browser, base_url: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    leader = _sign_in(browser, base_url, "team_leader")
    leader.goto(base_url + "/afproevning/afproevninger/ny/")
    leader.locator("#id_title").fill("AI til ugeplaner i 4 uger")
    leader.locator("#id_use_case").select_option(index=1)
    leader.locator("input[name=team_1_soeg]").fill("Sol")
    leader.locator("input[name=team_1_soeg]").press("Enter")
    leader.get_by_label("Team Sol").check()
    leader.locator("#id_goal").fill("Ugeplanen tager højst en halv time.")
    leader.locator("#id_look_at").fill("Tid, og om forældrene læser den.")
    leader.get_by_label("Afprøvningen er lille, tryg og tidsafgrænset").check()
    leader.get_by_label("Arbejdsmiljøet er drøftet med MED").check()
    leader.locator("#id_human_decides").fill("Pædagogen godkender hver plan.")
    for radio in leader.locator("input[type=radio][value=nej]").all():
        radio.check()
    _click(leader, "Gem afprøvningen")
    seen["proposed"] = leader.locator("body").inner_text()
    pilot_url = leader.url

    chief = _sign_in(browser, base_url, "centre_chief")
    chief.goto(base_url + "/afproevning/")
    chief.get_by_role("link", name="AI til ugeplaner i 4 uger").first.click()
    chief.wait_for_load_state()
    _click(chief, "Godkend")
    seen["approved"] = chief.locator("body").inner_text()

    leader.goto(pilot_url)
    _click(leader, "Sæt i gang")
    seen["started"] = leader.locator("body").inner_text()

    employee = _sign_in(browser, base_url, "employee", viewport=PHONE, java_script_enabled=False, is_mobile=True)
    employee.goto(base_url + "/")
    employee.get_by_role("link", name="Ugens puls for »AI til ugeplaner i 4 uger«: hvordan går det?").click()
    employee.wait_for_load_state()
    employee.get_by_label("4 – Det går godt").check()
    employee.locator("#id_easier").fill("Skabelonen gav et godt sted at starte.")
    _click(employee, "Send svaret")
    seen["pulse"] = employee.locator("body").inner_text()
    seen["scrolls"] = str(employee.evaluate("document.documentElement.scrollWidth > window.innerWidth"))
    for page in (leader, chief, employee):
        page.context.close()
    return seen


def test_it_proposes_approves_starts_and_takes_a_pulse_in_separate_browsers(chromium: BrowserThread, live_server):
    personas = build_personas()
    make_use_case(personas.municipality, unit=personas.team)
    seen = chromium.run(pilot_flow, live_server.url)
    assert "Afprøvningen er gemt" in seen["proposed"]
    assert "Afprøvningen er godkendt" in seen["approved"]
    assert "Deltagerne kan nu give deres ugentlige puls" in seen["started"]
    assert "Tak for dit svar" in seen["pulse"]
    assert seen["scrolls"] == "False"
    pilot = Pilot.objects.get()
    assert pilot.status == Pilot.Status.RUNNING
    assert PulseAnswer.objects.get().easier == "Skabelonen gav et godt sted at starte."

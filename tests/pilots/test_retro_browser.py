"""The retrospective in Chromium on a phone-sized screen: a card written on one phone shows on
another without a reload (htmx polling), a dot is put, and every phase of the board meets
WCAG 2.1 AA with axe-core and does not scroll sideways."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize

from forankring.pilots.models import Pilot
from forankring.pilots.models.retro import RetroBoard, RetroVote
from tests.browser.conftest import BrowserThread, chromium  # noqa: F401 - the session's browser
from tests.browser.test_axe import AXE, AXE_URL, _axe, format_violations
from tests.factories import PASSWORD, build_personas
from tests.pilots.retro_support import make_board, make_pilot

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 375, "height": 812}
CARD = "Udkastet gav os en god start fredag eftermiddag."


def _sign_in(browser: Browser, base_url: str, username: str) -> Page:
    context = browser.new_context(viewport=PHONE)
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


def _check(page: Page, phase: str, problems: list[str]) -> None:
    page.wait_for_load_state()
    problems += [f"{phase}: {v}" for v in format_violations(_axe(page))]
    if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
        problems.append(f"{phase}: the page scrolls sideways on a phone")


def _click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    page.wait_for_load_state()


def retro_flow(browser: Browser, base_url: str, board_path: str, due: str) -> dict[str, Any]:
    seen: dict[str, Any] = {"problems": []}
    problems: list[str] = seen["problems"]
    leader = _sign_in(browser, base_url, "team_leader")
    leader.goto(base_url + board_path)
    _check(leader, "cards", problems)
    employee = _sign_in(browser, base_url, "employee")
    employee.goto(base_url + board_path)
    employee.get_by_role("radio", name="Det virkede").check()
    employee.locator("#id_text").fill(CARD)
    _click(employee, "Sæt kortet op")
    seen["posted"] = employee.locator(".app-messages").inner_text()
    # The leader's page has not been reloaded: the card arrives through htmx's refresh.
    leader.locator("#retro-board").get_by_text(CARD).wait_for(timeout=8000)
    seen["reloads"] = leader.evaluate("performance.getEntriesByType('navigation').length")
    _click(leader, "Luk for kort og begynd at samle")
    _check(leader, "grouping (leader)", problems)
    employee.reload()
    _check(employee, "grouping (employee)", problems)
    _click(leader, "Begynd at sætte prikker")
    # The employee's page notices the new phase by itself and reloads into voting.
    employee.get_by_role("button", name="Sæt en prik").first.wait_for(timeout=8000)
    _check(employee, "voting", problems)
    _click(employee, "Sæt en prik")
    seen["dots"] = employee.locator(".app-retro-dots").inner_text()
    _click(leader, "Luk for prikker og begynd drøftelsen")
    _check(leader, "discussion", problems)
    _click(leader, "Videre til beslutningen")
    executive = _sign_in(browser, base_url, "executive")
    executive.goto(base_url + board_path)
    _check(executive, "decision", problems)
    executive.get_by_role("radio", name="Udbred").check()
    executive.locator("#id_note").fill("Det sparer tid, og teamet vil gerne fortsætte.")
    _click(executive, "Træf beslutningen og afslut afprøvningen")
    leader.goto(base_url + board_path)
    leader.locator("#id_what").fill("Dele skabelonen med Team Måne")
    leader.locator("#id_owner").select_option(label="Erik Medarbejder")
    leader.locator("#id_due_on").fill(due)
    _click(leader, "Tilføj handlingen")
    _check(leader, "actions", problems)
    _click(leader, "Afslut retrospektivet")
    _check(leader, "done", problems)
    seen["done"] = leader.locator("main").inner_text()
    for page in (leader, employee, executive):
        page.context.close()
    return seen


def test_it_runs_a_live_retrospective_on_phones(chromium: BrowserThread, live_server):  # noqa: F811
    personas = build_personas()
    pilot = make_pilot(personas.municipality, units=[personas.team], leader=personas.team_leader)
    make_board(pilot)
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    seen = chromium.run(retro_flow, live_server.url, f"/afproevning/{pilot.pk}/retrospektiv/", due)
    assert seen["problems"] == []
    assert "uden dit navn" in seen["posted"]
    assert seen["reloads"] == 1
    assert "Du har 2 prikker tilbage." in seen["dots"]
    assert "Dele skabelonen med Team Måne" in seen["done"]
    pilot.refresh_from_db()
    assert (pilot.status, pilot.decision) == (Pilot.Status.CLOSED, Pilot.Decision.SCALE)
    assert RetroBoard.objects.get(pilot=pilot).phase == RetroBoard.Phase.DONE
    assert RetroVote.objects.count() == 1

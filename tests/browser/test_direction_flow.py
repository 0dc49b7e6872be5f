"""Track 1 end to end in Chromium: the direktion drafts a compass, MED comments in the hearing,
the direktion approves and publishes, an employee acknowledges and the coverage changes; a
compass with six principles is refused beside its principles."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from forankring.direction.models import Compass, HearingComment
from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser

PRINCIPLES = [
    ("Mennesket beslutter", "AI foreslår, en medarbejder afgør."),
    ("Vi passer på data", "Kun godkendte værktøjer til personoplysninger."),
    ("Vi er åbne", "Vi siger det, når AI har hjulpet."),
    ("Vi lærer sammen", "Vi deler både det, der virker, og det, der ikke gør."),
]


def _sign_in(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


def _click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def _draft(page: Page, base_url: str, principles: list[tuple[str, str]]) -> None:
    page.goto(base_url + "/retning/kompas/")
    _click(page, "Skriv en ny version")
    for headline, explanation in principles:
        page.locator("#id_principle-headline").fill(headline)
        page.locator("#id_principle-explanation").fill(explanation)
        _click(page, "Tilføj princippet")
    page.locator("#id_deadline").fill(timezone.localdate().isoformat())
    _click(page, "Send i høring")


def _coverage_row(page: Page, base_url: str, unit: str, opening: tuple[str, ...] = ()) -> str:
    """The unit's row, after opening the units on the way to it (htmx swaps the tables)."""
    page.goto(base_url + "/retning/kompas/daekning/")
    for name in opening:
        page.locator("#coverage").get_by_role("link", name=name, exact=True).click()
        page.locator("caption", has_text=name).wait_for()
    return page.locator("tr", has=page.locator(f"th:text-is('{unit}')")).first.inner_text()


def compass_flow(browser: Browser, base_url: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    direktion = _sign_in(browser, base_url, "executive")
    _draft(direktion, base_url, PRINCIPLES)
    seen["after_hearing"] = direktion.locator("main .font-lead").inner_text()

    med = _sign_in(browser, base_url, "med")
    med.goto(base_url + "/")
    med.get_by_role("link", name="Kommentér udkastet til AI-kompasset").first.click()
    med.wait_for_load_state()
    med.locator("#id_text").fill("Nævn gerne arbejdsmiljøet i princip 4.")
    _click(med, "Send kommentaren")

    direktion.reload()
    seen["comments"] = direktion.locator(".app-comments").inner_text()
    _click(direktion, "Godkend kompasset")
    _click(direktion, "Offentliggør kompasset")
    seen["published"] = direktion.locator(".app-messages").inner_text()
    seen["coverage_before"] = _coverage_row(direktion, base_url, "Direktionen")
    seen["team_before"] = _coverage_row(
        direktion, base_url, "Team Sol", ("Center for Dagtilbud", "Børnehuset Mælkebøtten")
    )

    employee = _sign_in(browser, base_url, "employee")
    employee.goto(base_url + "/retning/kompas/")
    _click(employee, "Jeg har læst og forstået")
    seen["acknowledged"] = employee.locator(".app-messages").inner_text()
    seen["coverage_after"] = _coverage_row(direktion, base_url, "Direktionen")

    # The next version with six principles: refused at publication, beside the principles.
    _draft(direktion, base_url, [("Tid til kerneopgaven", "Ja."), ("Ét sted at spørge", "Fyrtårnene.")])
    _click(direktion, "Godkend kompasset")
    _click(direktion, "Offentliggør kompasset")
    seen["six_error"] = direktion.locator("#principles-error").inner_text()
    seen["six_describedby"] = (
        direktion.get_by_role("button", name="Offentliggør kompasset").get_attribute("aria-describedby") or ""
    )
    for page in (direktion, med, employee):
        page.context.close()
    return seen


def test_it_takes_a_compass_through_hearing_to_acknowledgement(chromium: BrowserThread, live_server):
    personas = build_personas()
    seen = chromium.run(compass_flow, live_server.url)
    assert "I høring i MED" in seen["after_hearing"]
    assert "Nævn gerne arbejdsmiljøet" in seen["comments"] and "Maja MED" in seen["comments"]
    assert "offentliggjort" in seen["published"]
    assert "for få svar" in seen["team_before"]  # a unit of three
    assert "Tak" in seen["acknowledged"]
    assert seen["coverage_before"] != seen["coverage_after"]
    assert "højst have 5 principper" in seen["six_error"] and "Det har 6" in seen["six_error"]
    assert seen["six_describedby"] == "principles-error"
    published = Compass.objects.get(municipality=personas.municipality, status="published")
    assert published.principles.count() == 4
    assert Compass.objects.get(municipality=personas.municipality, version=2).status == "approved"
    assert HearingComment.objects.filter(author=personas.med).count() == 1

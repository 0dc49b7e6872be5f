"""Track 2 end to end in Chromium: an employee points to a workflow, the team leader answers and
turns it into a use case, a second unit joins it ("Vi vil også"), and the employee finds the
answer in their notifications."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from forankring.core.models import ProfessionalArea
from forankring.practice.models import Idea, Lighthouse, LighthouseQuestion, UseCase, UseCaseUnit
from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser


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


def practice_flow(browser: Browser, base_url: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    employee = _sign_in(browser, base_url, "employee")
    employee.goto(base_url + "/praksis/ideer/ny/")
    employee.locator("#id_title").fill("Skrive ugeplaner til forældrene")
    employee.locator("#id_description").fill("Det tager en time hver fredag at skrive ugeplanen.")
    employee.locator("#id_unit").select_option(label="Team Sol")
    _click(employee, "Send idéen")
    seen["sent"] = employee.locator(".app-messages").inner_text()

    leader = _sign_in(browser, base_url, "team_leader")
    leader.goto(base_url + "/praksis/ideer/")
    leader.get_by_role("link", name="Skrive ugeplaner til forældrene").click()
    leader.wait_for_load_state()
    leader.get_by_label("Taget videre som anvendelse").check()
    leader.locator("#id_answer").fill("God idé – vi gør den til en anvendelse og prøver den i teamet.")
    _click(leader, "Gem svaret")
    leader.get_by_role("link", name="Gør idéen til en anvendelse").click()
    leader.wait_for_load_state()
    seen["prefilled"] = leader.locator("#id_title").input_value()
    leader.locator("#id_today").fill("Pædagogen skriver planen fra bunden.")
    leader.locator("#id_human_decides").fill("Pædagogen godkender planen, før den sendes.")
    leader.locator("#id_area").select_option(label="Dagtilbud")
    # The owning unit is found by searching (htmx brings the matches as the name is typed).
    leader.locator("#id_unit").fill("Team Sol")
    leader.locator("#id_unit-matches").get_by_label("Team Sol").check()
    leader.get_by_label("Mere tid til kerneopgaven").check()
    _click(leader, "Gem anvendelsen")
    seen["use_case"] = leader.locator("h1").inner_text()
    use_case_url = leader.url

    chief = _sign_in(browser, base_url, "centre_chief")
    chief.goto(use_case_url)
    chief.locator("#id_unit").select_option(label="Center for Dagtilbud")
    _click(chief, "Vi vil også")
    seen["joined"] = chief.locator("main").inner_text()

    employee.goto(base_url + "/")  # "Det venter på dig" leads to the unread notification
    employee.get_by_role("link", name="Du har 1 ulæst notifikation").click()
    employee.wait_for_load_state()
    seen["notifications"] = employee.locator("main").inner_text()
    for page in (employee, leader, chief):
        page.context.close()
    return seen


def test_it_takes_an_idea_to_a_shared_use_case_and_tells_the_proposer(chromium: BrowserThread, live_server):
    personas = build_personas()
    seen = chromium.run(practice_flow, live_server.url)
    assert "Lederen svarer dig" in seen["sent"]
    assert seen["prefilled"] == "Skrive ugeplaner til forældrene"
    assert seen["use_case"] == "Skrive ugeplaner til forældrene"
    assert "Center for Dagtilbud" in seen["joined"]
    assert "Der er svar på idéen »Skrive ugeplaner til forældrene«" in seen["notifications"]
    idea = Idea.objects.get(municipality=personas.municipality)
    assert idea.status == "accepted" and idea.proposer == personas.employee
    use_case = UseCase.objects.get(idea=idea)
    assert list(UseCaseUnit.objects.filter(use_case=use_case).values_list("unit__name", flat=True)) == [
        "Center for Dagtilbud"
    ]


def lighthouse_flow(browser: Browser, base_url: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    employee = _sign_in(browser, base_url, "employee")
    employee.goto(base_url + "/praksis/fyrtaarne/")
    employee.get_by_role("link", name="Stil Frida Fyrtårn et spørgsmål").click()
    employee.wait_for_load_state()
    employee.locator("#id_text").fill("Må jeg bruge skriveassistenten til ugeplanen, uden børnenes navne?")
    _click(employee, "Send spørgsmålet")
    seen["asked"] = employee.locator(".app-messages").inner_text()

    lighthouse = _sign_in(browser, base_url, "lighthouse")
    lighthouse.get_by_role("link", name="1 spørgsmål venter på dit svar som fyrtårn").click()
    lighthouse.wait_for_load_state()
    lighthouse.get_by_role("link", name="Må jeg bruge skriveassistenten").click()
    lighthouse.wait_for_load_state()
    lighthouse.locator("#id_answer").fill("Ja, gør det – og læs planen igennem, før den sendes.")
    _click(lighthouse, "Send svaret")

    employee.goto(base_url + "/notifikationer/")
    seen["notifications"] = employee.locator("main").inner_text()
    for page in (employee, lighthouse):
        page.context.close()
    return seen


def test_it_lets_an_employee_ask_a_lighthouse_and_read_the_answer(chromium: BrowserThread, live_server):
    personas = build_personas()
    Lighthouse.objects.create(
        municipality=personas.municipality,
        person=personas.lighthouse,
        unit=personas.institution,
        area=ProfessionalArea.objects.get(municipality=personas.municipality, name="Dagtilbud"),
        helps_with="Skriveassistenten og gode formuleringer",
        contact="Tirsdage i personalestuen",
    )
    seen = chromium.run(lighthouse_flow, live_server.url)
    assert "Dit spørgsmål er sendt" in seen["asked"]
    assert "Fyrtårnet har svaret på dit spørgsmål" in seen["notifications"]
    question = LighthouseQuestion.objects.get()
    assert question.asker == personas.employee and question.answer.startswith("Ja, gør det")

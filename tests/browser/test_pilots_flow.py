"""Track 4 end to end in Chromium, each person in a browser of their own.

The team leader proposes a pilot (choosing the team with the unit picker); a leader track 1's
decision rights name for "approve_pilot" (here the centre chief above the team) approves it;
the team leader starts it; two participants give this week's pulse on their phones, one of them
without JavaScript, and a second answer the same week is turned away. When the period ends, the
retrospective runs on 375 px phones: anonymous cards, the leader groups two that say the same,
the participants put their dots, and the one the decision rights name for "scale_or_stop" (the
direktion) decides. The leader then publishes the learning card, and a participant finds it in
the library.

Every wait is on a page state or an element; each context fails a step after ten seconds."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, ViewportSize

from forankring.direction.rules import who_decides
from forankring.pilots.models import Pilot, PulseAnswer
from forankring.pilots.models.retro import RetroBoard, RetroCard, RetroGroup, RetroVote
from forankring.pilots.models.sharing import LearningCard
from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas, make_use_case

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 375, "height": 740}
STEP_TIMEOUT_MS = 10_000
TITLE = "AI til ugeplaner i 4 uger"
CARD_WORKED = "Skabelonen gav os en god start om fredagen."
CARD_WORKED_TOO = "Udkastet til ugeplanen var klar på ti minutter."
CARD_HARDER = "Sproget i udkastet var for stift til forældrene."
LEARNED = "Et udkast sparer tid, men teksten skal altid læses igennem af en pædagog."


def _sign_in(browser: Browser, base_url: str, username: str, **context: Any) -> Page:
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


def _phone(browser: Browser, base_url: str, username: str, *, javascript: bool = True) -> Page:
    return _sign_in(browser, base_url, username, viewport=PHONE, is_mobile=True, java_script_enabled=javascript)


def _click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state()


def _dot(page: Page, topic: str) -> Locator:
    """The dot button of one topic (its name ends with the topic, read only by screen readers)."""
    return page.get_by_role("button", name=re.compile(rf"^Sæt en prik\W+{re.escape(topic)}$"))


def _put_dot(page: Page, topic: str) -> None:
    _dot(page, topic).first.click()
    page.wait_for_load_state()


def _messages(page: Page) -> str:
    return page.locator(".app-messages").inner_text()


def _scrolls_sideways(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


def propose_approve_start(browser: Browser, base_url: str, seen: dict[str, Any]) -> tuple[Page, str]:
    leader = _sign_in(browser, base_url, "team_leader")
    leader.goto(base_url + "/afproevning/afproevninger/ny/")
    leader.locator("#id_title").fill(TITLE)
    # The use case is found by searching the register (never a list of every use case).
    leader.locator("input[name=use_case_soeg]").fill("ugeplaner")
    leader.locator("input[name=use_case_soeg]").press("Enter")
    leader.get_by_label("Skrive ugeplaner", exact=False).first.check()
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
    seen["proposed"] = _messages(leader)
    pilot_url = leader.url

    chief = _sign_in(browser, base_url, "centre_chief")
    chief.goto(base_url + "/afproevning/")
    chief.get_by_role("link", name=TITLE).first.click()
    chief.wait_for_load_state()
    _click(chief, "Godkend")
    seen["approved"] = _messages(chief)
    chief.context.close()

    leader.goto(pilot_url)
    _click(leader, "Sæt i gang")
    seen["started"] = _messages(leader)
    return leader, pilot_url


def pulses(browser: Browser, base_url: str, pilot_url: str, seen: dict[str, Any]) -> None:
    # Without JavaScript, from the home page's "Det venter på dig".
    employee = _phone(browser, base_url, "employee", javascript=False)
    employee.goto(base_url + "/")
    employee.get_by_role("link", name=f"Ugens puls for »{TITLE}«: hvordan går det?").click()
    employee.wait_for_load_state()
    employee.get_by_label("4 – Det går godt").check()
    employee.locator("#id_easier").fill("Skabelonen gav et godt sted at starte.")
    _click(employee, "Send svaret")
    seen["pulse"] = _messages(employee)
    seen["pulse scrolls"] = _scrolls_sideways(employee)
    # Once a week: the same person is turned away until Monday.
    employee.goto(pilot_url)
    employee.get_by_role("link", name="Svar anonymt: hvordan går det?").wait_for(state="detached")
    seen["again"] = employee.locator("main").inner_text()
    employee.context.close()

    # With JavaScript, from the pilot's own page.
    colleague = _phone(browser, base_url, "lighthouse")
    colleague.goto(pilot_url)
    colleague.get_by_role("link", name="Svar anonymt: hvordan går det?").click()
    colleague.wait_for_load_state()
    colleague.get_by_label("3 – Både og").check()
    colleague.locator("#id_harder").fill("Det tog tid at lære at skrive gode instruktioner.")
    _click(colleague, "Send svaret")
    seen["pulse 2"] = _messages(colleague)
    colleague.context.close()


def retrospective(browser: Browser, base_url: str, pilot_url: str, due: str, seen: dict[str, Any]) -> str:
    leader = _phone(browser, base_url, "team_leader")
    leader.goto(pilot_url)
    _click(leader, "Evaluér nu")
    leader.get_by_role("link", name="Til retrospektivet").click()
    leader.wait_for_load_state()
    _click(leader, "Åbn retrospektivet")
    seen["opened"] = _messages(leader)
    board_url = leader.url

    # Cards: one participant without JavaScript, one with; the leader's board fills by itself.
    employee = _phone(browser, base_url, "employee", javascript=False)
    colleague = _phone(browser, base_url, "lighthouse")
    for page, column, text in (
        (employee, "Det virkede", CARD_WORKED),
        (colleague, "Det virkede", CARD_WORKED_TOO),
        (employee, "Det gjorde det sværere", CARD_HARDER),
    ):
        page.goto(board_url)
        page.get_by_role("radio", name=column).check()
        page.locator("#id_text").fill(text)
        _click(page, "Sæt kortet op")
        seen.setdefault("posted", []).append(_messages(page))
    for text in (CARD_WORKED, CARD_WORKED_TOO, CARD_HARDER):
        leader.locator("#retro-board").get_by_text(text).wait_for()

    # Grouping: the two cards that say the same get one heading.
    _click(leader, "Luk for kort og begynd at samle")
    worked = leader.locator("section", has=leader.get_by_role("heading", name="Det virkede", exact=True))
    worked.get_by_label(CARD_WORKED, exact=True).check()
    worked.get_by_label(CARD_WORKED_TOO, exact=True).check()
    worked.get_by_label("Overskrift").fill("Udkastet sparer tid")
    worked.get_by_role("button", name="Saml kortene").click()
    leader.wait_for_load_state()
    leader.get_by_role("heading", name="Udkastet sparer tid").wait_for()
    seen["grouping scrolls"] = _scrolls_sideways(leader)

    # Voting: three dots each, no name stored with a dot.
    _click(leader, "Begynd at sætte prikker")
    employee.goto(board_url)
    for _ in range(3):
        _put_dot(employee, "Udkastet sparer tid")
    seen["dots left"] = employee.locator("main").inner_text()
    # The colleague's phone notices the new phase by itself and shows the dot buttons.
    _dot(colleague, "Udkastet sparer tid").first.wait_for()
    _put_dot(colleague, "Udkastet sparer tid")
    _put_dot(colleague, CARD_HARDER)
    seen["voting scrolls"] = _scrolls_sideways(colleague)
    for page in (employee, colleague):
        page.context.close()

    _click(leader, "Luk for prikker og begynd drøftelsen")
    seen["ranked"] = leader.locator("#retro-board").inner_text()
    _click(leader, "Videre til beslutningen")
    seen["leader may decide"] = leader.get_by_role("button", name="Træf beslutningen og afslut afprøvningen").count()

    # The decision: whoever the decision rights name for "scale_or_stop".
    executive = _phone(browser, base_url, "executive")
    executive.goto(board_url)
    executive.get_by_role("radio", name="Udbred").check()
    executive.locator("#id_note").fill("Det sparer tid, og teamet vil gerne fortsætte.")
    _click(executive, "Træf beslutningen og afslut afprøvningen")
    seen["decision scrolls"] = _scrolls_sideways(executive)
    executive.context.close()

    leader.goto(board_url)
    leader.locator("#id_what").fill("Dele skabelonen med Team Måne")
    leader.locator("#id_owner").select_option(label="Erik Medarbejder")
    leader.locator("#id_due_on").fill(due)
    _click(leader, "Tilføj handlingen")
    _click(leader, "Afslut retrospektivet")
    seen["done"] = leader.locator("main").inner_text()
    seen["done scrolls"] = _scrolls_sideways(leader)
    leader.context.close()
    return board_url


def learning_card(browser: Browser, base_url: str, leader: Page, pilot_url: str, seen: dict[str, Any]) -> None:
    leader.goto(pilot_url)
    leader.locator("#id_tried").fill("Udkast til ugeplanen med kommunens assistent i Team Sol i fire uger.")
    leader.locator("#id_learned").fill(LEARNED)
    leader.locator("#id_advice").fill("Lav en fælles skabelon først.")
    _click(leader, "Del læringskortet")
    seen["published"] = _messages(leader)
    leader.context.close()

    reader = _phone(browser, base_url, "employee")
    reader.goto(base_url + "/afproevning/laeringskort/")
    reader.get_by_role("link", name=TITLE).click()
    reader.wait_for_load_state()
    seen["card"] = reader.locator("main").inner_text()
    seen["card scrolls"] = _scrolls_sideways(reader)
    reader.context.close()


def pilot_flow(browser: Browser, base_url: str, due: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    leader, pilot_url = propose_approve_start(browser, base_url, seen)
    pulses(browser, base_url, pilot_url, seen)
    leader.goto(pilot_url)
    seen["pulse results"] = leader.locator("main").inner_text()
    retrospective(browser, base_url, pilot_url, due, seen)
    learning_card(browser, base_url, leader, pilot_url, seen)
    return seen


def test_it_runs_a_pilot_from_proposal_to_learning_card_in_separate_browsers(chromium: BrowserThread, live_server):
    personas = build_personas()
    make_use_case(personas.municipality, unit=personas.team)
    # The defaults of track 1's decision rights: a leader approves, the direktion scales or stops.
    assert who_decides(personas.municipality, "approve_pilot") == ["leader"]
    assert who_decides(personas.municipality, "scale_or_stop") == ["executive"]
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()

    seen = chromium.run(pilot_flow, live_server.url, due)

    assert "Afprøvningen er gemt" in seen["proposed"]
    assert "Afprøvningen er godkendt" in seen["approved"]
    assert "Deltagerne kan nu give deres ugentlige puls" in seen["started"]
    assert "Tak for dit svar" in seen["pulse"]
    assert "Tak for dit svar" in seen["pulse 2"]
    assert "Du har svaret i denne uge" in seen["again"]
    assert "Gennemsnit 3,5 ud af 5 (2 svar)" in seen["pulse results"]
    assert "Retrospektivet er åbent" in seen["opened"]
    assert all("uden dit navn" in text for text in seen["posted"])
    assert "Du har 0 prikker tilbage." in seen["dots left"]
    assert seen["ranked"].index("Udkastet sparer tid") < seen["ranked"].index(CARD_HARDER)
    assert "4 prikker" in seen["ranked"]
    assert seen["leader may decide"] == 0
    assert "Udbred." in seen["done"]
    assert "Dele skabelonen med Team Måne" in seen["done"]
    assert "Læringskortet står nu i biblioteket" in seen["published"]
    assert LEARNED in seen["card"]
    assert "Udbred" in seen["card"]
    assert not any(seen[key] for key in seen if key.endswith("scrolls"))

    pilot = Pilot.objects.get()
    assert (pilot.status, pilot.decision) == (Pilot.Status.CLOSED, Pilot.Decision.SCALE)
    answers = PulseAnswer.objects.filter(pulse__pilot=pilot)
    assert sorted(answers.values_list("score", flat=True)) == [3, 4]
    assert answers.get(score=4).easier == "Skabelonen gav et godt sted at starte."
    board = RetroBoard.objects.get(pilot=pilot)
    assert board.phase == RetroBoard.Phase.DONE
    assert RetroCard.objects.filter(board=board).count() == 3
    assert RetroGroup.objects.get(board=board, heading="Udkastet sparer tid").cards.count() == 2
    assert RetroVote.objects.filter(board=board).count() == 5
    assert LearningCard.objects.get(pilot=pilot).decision == Pilot.Decision.SCALE

"""Track 3 end to end in Chromium: an employee signs up for a session, a full session puts the
next person on the waiting list, the facilitator registers attendance for everyone at once, and
the register and the employee's own page show the completion with its refresh date."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats, timezone
from playwright.sync_api import Browser, Page

from forankring.competence.dates import add_months
from forankring.competence.models import Record, Session, Signup
from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas, make_activity, make_session

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


def sign_ups(browser: Browser, base_url: str, session_url: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    employee = _sign_in(browser, base_url, "employee")
    employee.goto(base_url + "/kompetence/aktiviteter/")
    employee.get_by_role("link", name="Persondata og AI").click()
    employee.wait_for_load_state()
    employee.locator("main a[href^='/kompetence/hold/']").first.click()
    employee.wait_for_load_state()
    _click(employee, "Tilmeld mig")
    seen["employee"] = employee.locator("#my-signup").inner_text()
    for who in ("lighthouse", "med"):
        page = _sign_in(browser, base_url, who)
        page.goto(base_url + session_url)
        button = "Skriv mig på ventelisten" if who == "med" else "Tilmeld mig"
        _click(page, button)
        seen[who] = page.locator("#my-signup").inner_text()
        page.context.close()
    employee.context.close()
    return seen


def attendance(browser: Browser, base_url: str, session_url: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    facilitator = _sign_in(browser, base_url, "facilitator")
    facilitator.goto(base_url + session_url)
    seen["ticked"] = str(facilitator.locator("input[name=people]:checked").count())
    _click(facilitator, "Registrér fremmøde")
    seen["registered"] = facilitator.locator(".app-messages").inner_text()
    admin = _sign_in(browser, base_url, "admin")
    admin.goto(base_url + "/kompetence/register/")
    seen["register"] = admin.locator("#register").inner_text()
    employee = _sign_in(browser, base_url, "employee")
    employee.goto(base_url + "/kompetence/mig/")
    seen["mine"] = employee.locator("#my-records").inner_text()
    for page in (facilitator, admin, employee):
        page.context.close()
    return seen


def test_it_takes_a_session_from_sign_up_to_the_register(chromium: BrowserThread, live_server):
    personas = build_personas()
    activity = make_activity(personas.municipality, title="Persondata og AI", refresh_months=12)
    session = make_session(activity, days=3, capacity=2, host=personas.facilitator)
    session_url = f"/kompetence/hold/{session.pk}/"

    seen = chromium.run(sign_ups, live_server.url, session_url)
    assert "Du er tilmeldt" in seen["employee"] and "Du er tilmeldt" in seen["lighthouse"]
    assert "nummer 1 på ventelisten" in seen["med"]
    waiting = Signup.objects.get(session=session, person=personas.med)
    assert waiting.status == Signup.Status.WAITING

    # The session takes place: it began an hour ago.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1), ends_at=timezone.now() + datetime.timedelta(hours=1)
    )
    seen = chromium.run(attendance, live_server.url, session_url)
    assert seen["ticked"] == "2"
    assert "2 personer" in seen["registered"]
    day = timezone.localdate()
    refresh = add_months(day, 12)
    assert personas.employee.name in seen["register"] and "Persondata og AI" in seen["register"]
    assert personas.med.name not in seen["register"]
    assert "Persondata og AI" in seen["mine"]
    assert formats.date_format(refresh, "j. F Y") in seen["mine"]
    record = Record.objects.get(person=personas.employee)
    assert record.next_refresh == refresh and record.registered_by == personas.facilitator

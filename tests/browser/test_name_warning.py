"""An anonymous concern that names a colleague, in a real browser: the form stops with the name
masked, the person rewrites the text, and the concern is sent without the name."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser

from forankring.privacy.models import Concern
from tests.browser.conftest import BrowserThread
from tests.browser.test_axe import AXE, AXE_URL, SCREENSHOTS, _axe, format_violations
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser

NAMED = "Min leder Tina Teamleder siger, at vi gerne må lægge referater fra personalemøder i ChatGPT."
REWRITTEN = "Min leder siger, at vi gerne må lægge referater fra personalemøder i ChatGPT."


def send_a_concern_naming_a_colleague(browser: Browser, base_url: str, path: str, unit: str) -> dict[str, Any]:
    context = browser.new_context()
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill("employee")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(base_url + path)
    page.locator("#id_kind").select_option("bekymring")
    page.locator("#id_unit").select_option(unit)
    page.locator("#id_text").fill(NAMED)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    result: dict[str, Any] = {
        "warning": page.locator("#id_text-error").inner_text(),
        "kept": page.locator("#id_text").input_value(),
        "checkbox_label": page.locator("label[for=id_text_ikke_person]").inner_text(),
        "summary": page.locator(".errorsummary, [data-module=error-summary]").count(),
        "axe": format_violations(_axe(page)),
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "employee--privacy-concern_new-name-warning.png"), full_page=True)

    # The person takes the offer and rewrites the sentence without the name.
    page.locator("#id_text").fill(REWRITTEN)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    result["after"] = page.locator("body").inner_text()
    result["console_errors"] = errors
    context.close()
    return result


def test_it_warns_about_a_name_and_sends_the_rewritten_concern(chromium: BrowserThread, live_server):
    personas = build_personas()
    result = chromium.run(
        send_a_concern_naming_a_colleague, live_server.url, reverse("privacy:concern_new"), str(personas.centre.pk)
    )
    assert "T… T…" in result["warning"]
    assert "kan afsløre en kollega" in result["warning"]
    assert "Teamleder" not in result["warning"]
    assert result["kept"] == NAMED
    assert result["checkbox_label"] == "Det er ikke en person"
    assert result["axe"] == [], "\n".join(result["axe"])
    assert "Tak. Din bekymring er sendt anonymt" in result["after"]
    assert result["console_errors"] == []
    assert list(Concern.objects.values_list("text", flat=True)) == [REWRITTEN]

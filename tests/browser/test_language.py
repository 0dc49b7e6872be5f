"""The language switch in a real browser, with the design system's scripts running.

The design system builds the phone menu's overflow button in JavaScript with a Danish label;
app.js gives it the page's own word, so an English page says "More".
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _menu_state(page: Page) -> tuple[str | None, str]:
    more = page.locator("header nav .more-option:not(.d-none) .more-button")
    return page.locator("html").get_attribute("lang"), (more.inner_text() if more.count() else "").strip()


def _switch_to(page: Page, language: str) -> None:
    page.locator("#language-select").select_option(language)
    page.locator("footer button[type=submit]").click()
    page.wait_for_load_state()


def switch_languages_on_a_phone(browser: Browser, base_url: str) -> list[tuple[str | None, str]]:
    context = browser.new_context(viewport=PHONE, is_mobile=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    # The administrator has the most menu entries, so the phone menu needs its overflow button.
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    states = [_menu_state(page)]
    _switch_to(page, "en")
    states.append(_menu_state(page))
    _switch_to(page, "da")
    states.append(_menu_state(page))
    context.close()
    return states


def test_it_labels_the_phone_menu_in_the_chosen_language(chromium: BrowserThread, live_server):
    build_personas()
    states = chromium.run(switch_languages_on_a_phone, live_server.url)
    assert states == [("da", "Mere"), ("en", "More"), ("da", "Mere")]

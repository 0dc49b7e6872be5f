"""Where the keyboard focus goes, in a real browser with the design system's scripts running."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el) return "";
    return el.dataset.module === "error-summary" ? "error summary" : (el.id || el.tagName).toString();
}"""


def submit_an_empty_login_form(browser: Browser, base_url: str) -> dict[str, str]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    before = page.evaluate(FOCUSED)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    after = page.evaluate(FOCUSED)
    # A link in the summary takes the focus to its field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    link_target = page.evaluate(FOCUSED)
    context.close()
    return {"before": before, "after": after, "link_target": link_target}


def test_it_moves_the_focus_to_the_error_summary_after_a_failed_submit(chromium: BrowserThread, live_server):
    focus = chromium.run(submit_an_empty_login_form, live_server.url)
    assert focus["before"] != "error summary"
    assert focus["after"] == "error summary"
    assert focus["link_target"] == "id_username"


def escape_from_the_phone_menu(browser: Browser, base_url: str) -> dict[str, str | None]:
    context = browser.new_context(viewport=PHONE, is_mobile=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    # The administrator has the most menu entries, so the phone menu needs its overflow button.
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    more = page.locator("header nav .more-option:not(.d-none) .more-button")
    more.focus()
    page.keyboard.press("Enter")
    expanded = more.get_attribute("aria-expanded")
    page.keyboard.press("Tab")
    in_menu = page.evaluate("() => !!document.activeElement.closest('#fds-more-menu')")
    page.keyboard.press("Escape")
    result = {
        "expanded": expanded,
        "in_menu": str(in_menu),
        "after_escape": page.evaluate("() => document.activeElement.classList.contains('more-button') ? 'more' : ''"),
        "expanded_after": more.get_attribute("aria-expanded"),
    }
    context.close()
    return result


def test_it_returns_the_focus_to_the_menu_button_when_escape_closes_the_phone_menu(
    chromium: BrowserThread, live_server
):
    build_personas()
    state = chromium.run(escape_from_the_phone_menu, live_server.url)
    assert state == {"expanded": "true", "in_menu": "True", "after_escape": "more", "expanded_after": "false"}

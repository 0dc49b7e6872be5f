"""Printing: the print stylesheet in app.css puts only the page's content on paper."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser

from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser

VISIBLE = """(selector) => [...document.querySelectorAll(selector)].some(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
})"""
CHROME = ["header.header", "nav", "footer", "#language-select", ".skipnav"]


def print_a_page(browser: Browser, base_url: str, path: str) -> dict[str, object]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill("employee")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(base_url + path)
    on_screen = {selector: page.evaluate(VISIBLE, selector) for selector in [*CHROME, ".app-print-info"]}
    page.emulate_media(media="print")
    on_paper = {selector: page.evaluate(VISIBLE, selector) for selector in [*CHROME, ".app-print-info", "main h1"]}
    info = page.locator(".app-print-info").inner_text()
    pdf = page.pdf(format="A4")
    context.close()
    # Each page of the PDF is one "/Type /Page" object (the page tree is "/Type /Pages").
    return {"screen": on_screen, "paper": on_paper, "info": info, "pages": len(re.findall(rb"/Type\s*/Page\b", pdf))}


def test_it_prints_the_content_with_the_municipality_and_the_date_and_nothing_else(
    chromium: BrowserThread, live_server
):
    personas = build_personas()
    printed = chromium.run(print_a_page, live_server.url, reverse("core:about"))
    assert printed["screen"] == {**dict.fromkeys(CHROME, True), ".app-print-info": False}
    assert printed["paper"] == {**dict.fromkeys(CHROME, False), ".app-print-info": True, "main h1": True}
    assert personas.municipality.name in str(printed["info"])
    assert "Udskrevet" in str(printed["info"])
    assert printed["pages"] == 1  # a short page fits on one sheet, with no empty sheet after it

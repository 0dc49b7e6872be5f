"""Layout shift on a phone: signed-in pages must not jump while they load.

The page is loaded at 375 px over a throttled network and CPU (roughly what a phone on a slow
mobile connection sees), and the browser's own layout-shift entries are added up as the
Cumulative Layout Shift. Two causes kept it at 0.26 and more: the typeface arriving after the
first paint, and the design system folding the wrapped phone menu into "Mere" after it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser

from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, build_personas

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
GOOD_CLS = 0.1  # "good" in the Core Web Vitals

OBSERVE = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
"""


def layout_shift_on_a_phone(browser: Browser, base_url: str, paths: list[str]) -> dict[str, float]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, device_scale_factor=2)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill("admin")  # the longest menu, so the phone menu needs "Mere"
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    context.add_init_script(OBSERVE)
    found = {}
    for path in paths:
        fresh = context.new_page()
        cdp = context.new_cdp_session(fresh)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # fonts and styles fetched anew
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8},
        )
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        fresh.goto(base_url + path)
        fresh.wait_for_load_state("networkidle")
        # The fonts have settled (or been given up) and the menu has been built by now.
        fresh.evaluate("document.fonts.ready.then(() => null)")
        found[path] = fresh.evaluate("window.layoutShifts.reduce((sum, value) => sum + value, 0)")
        fresh.close()
    context.close()
    return found


def test_it_keeps_signed_in_pages_still_while_they_load_on_a_phone(chromium: BrowserThread, live_server):
    build_personas()
    paths = [reverse("core:home"), reverse("core:admin_audit")]
    shifts = chromium.run(layout_shift_on_a_phone, live_server.url, paths)
    assert all(value < GOOD_CLS for value in shifts.values()), shifts

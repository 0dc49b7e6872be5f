"""Every page in a real browser: WCAG 2.1 AA with axe-core, a phone-sized screen without
JavaScript, and no console errors (a refused inline script or a missing static file shows there).

Each persona signs in through the login form and sees its home page. The other pages render the
same for everyone allowed (bar the name in the header), so each is checked once, by one persona
who may see it (see `browser_plan`). Screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, Response

from tests.access_table import ALL_PERSONAS, ANONYMOUS, Route, pages
from tests.browser.conftest import BrowserThread
from tests.factories import PASSWORD, Personas, build_personas

pytestmark = pytest.mark.browser

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# axe is handed to the page from this same-origin address by Playwright: the page's own
# Content-Security-Policy refuses an inline script, and we keep that policy switched on so the
# tests see what a person's browser sees.
AXE_URL = "/__axe-core__.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = settings.BASE_DIR / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# The persona with the most menu entries looks at the home page on the phone.
PHONE_HOME_PERSONA = "admin"


def start_page(who: str) -> str:
    return "core:login" if who == ANONYMOUS else "core:home"


def browser_plan() -> dict[str, list[Route]]:
    """Which persona checks which page: everyone their start page, and every other page once, by
    the allowed persona with the fewest pages so far (so the work spreads over the personas)."""
    plan: dict[str, list[Route]] = {who: [] for who in ALL_PERSONAS}
    starts = {start_page(who) for who in ALL_PERSONAS}
    for route in pages():
        if route.name in starts:
            for who in sorted(route.allowed):
                if start_page(who) == route.name:
                    plan[who].append(route)
            continue
        who = min(sorted(route.allowed), key=lambda name: len(plan[name]))
        plan[who].append(route)
    return plan


def checks_on_phone(who: str, route: Route) -> bool:
    """Each page once on the phone: by the persona who checks it, and the home page by one persona."""
    if route.name == "core:home":
        return who == PHONE_HOME_PERSONA
    return True


@dataclass(frozen=True)
class Visit:
    name: str  # the route name, for messages and screenshot names
    url: str  # path, without the server
    on_phone: bool


@dataclass
class Report:
    who: str
    problems: list[str] = field(default_factory=list)
    current: str = ""  # the page being checked, for console messages

    def add(self, text: str) -> None:
        self.problems.append(f"{self.who} on {self.current or 'the start'}: {text}")


def _watch(page: Page, report: Report) -> None:
    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            report.add(f"console error: {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            report.add(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: report.add(f"script error: {error}"))
    page.on("response", on_response)


def _screenshot(page: Page, who: str, name: str, suffix: str = "") -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{who}--{name.replace(':', '-')}{suffix}.png"), full_page=True)


def format_violations(violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for violation in violations:
        targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
        more = f" (+{len(violation['nodes']) - 5} more)" if len(violation["nodes"]) > 5 else ""
        lines.append(
            f"axe [{violation['impact']}] {violation['id']}: {violation['help']}\n"
            f"      at {targets}{more}\n      {violation['helpUrl']}"
        )
    return lines


def _axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(url=AXE_URL)
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.map(String)})),
            }));
        }""",
        WCAG_21_AA,
    )
    return result


def _open(page: Page, base_url: str, visit: Visit, report: Report, where: str = "") -> bool:
    report.current = f"{visit.url}{where}"
    response = page.goto(base_url + visit.url)
    if response is None or response.status != 200:
        report.add(f"answered {response.status if response else 'nothing'}, expected 200")
        return False
    return True


def _log_in(page: Page, base_url: str, who: str, name: str, report: Report) -> None:
    report.current = "/log-ind/"
    page.goto(base_url + "/log-ind/")
    page.locator("#id_username").fill(who)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    if page.url != base_url + "/":
        report.add(f"signing in through the form ended on {page.url}, not the home page")
    elif name not in page.locator("h1").inner_text():
        report.add(f"the home page after signing in does not greet {name}")


def _on_screen_links(links: Locator) -> set[str | None]:
    found = set()
    for link in links.all():
        box = link.bounding_box()
        if link.is_visible() and box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]:
            found.add(link.get_attribute("href"))
    return found


def _check_on_phone(page: Page, who: str, visit: Visit, report: Report) -> None:
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                    + (typeof el.className === "string" && el.className.trim()
                        ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
        }"""
    )
    if overflow:
        report.add(f"the page scrolls sideways; too wide: {overflow}")
    # Every menu entry is on screen, or (with JavaScript, where the design system moves what does
    # not fit into its "Mere" menu) on screen once that menu is opened.
    entries = page.locator("header nav .mainmenu > li:not(.more-option) > a")
    wanted = {link.get_attribute("href"): link.text_content() for link in entries.all()}
    reachable = _on_screen_links(entries)
    more = page.locator("header nav .more-option:not(.d-none) .more-button")
    if set(wanted) - reachable and more.count() and more.is_visible():
        more.click()
        reachable |= _on_screen_links(page.locator("header nav .overflow-list a"))
    for href in set(wanted) - reachable:
        report.add(f"menu link {(wanted[href] or '').strip()!r} cannot be reached")
    # Found by its class, not its text: the employee has switched to English by now ("Sign out").
    if who != ANONYMOUS and not page.locator("header button.log-off").is_visible():
        report.add("the sign-out button cannot be reached")


def browse(browser: Browser, base_url: str, who: str, name: str, visits: list[Visit]) -> list[str]:
    """Everything one persona does in the browser; runs in the browser's thread."""
    report = Report(who)
    context: BrowserContext = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page = context.new_page()
    _watch(page, report)
    if who != ANONYMOUS:
        _log_in(page, base_url, who, name, report)
    for visit in visits:
        if not _open(page, base_url, visit, report):
            continue
        report.problems += [f"{who} on {visit.url}: {line}" for line in format_violations(_axe(page))]
        _screenshot(page, who, visit.name)

    if who == "employee":
        # The language switch in the footer works without JavaScript and gives an English page.
        report.current = "/ (English)"
        page.goto(base_url + "/")
        page.locator("#language-select").select_option("en")
        page.locator("footer button[type=submit]").click()
        page.wait_for_load_state()
        if page.locator("html").get_attribute("lang") != "en":
            report.add('switching to English did not give <html lang="en">')
        report.problems += [f"{who} on / (English): {line}" for line in format_violations(_axe(page))]
        _screenshot(page, who, "core:home", "-en")

    # A phone without JavaScript, signed in as the same person; the home page also with
    # JavaScript, where the design system's scripts run at phone width.
    for javascript in (False, True):
        phone = browser.new_context(
            viewport=PHONE,  # type: ignore[arg-type]
            java_script_enabled=javascript,
            storage_state=context.storage_state(),
            is_mobile=True,
        )
        phone_page = phone.new_page()
        _watch(phone_page, report)
        for visit in visits:
            wanted = visit.on_phone and (not javascript or visit.name == "core:home")
            where = f" (phone, {PHONE['width']} px, JavaScript {'on' if javascript else 'off'})"
            if wanted and _open(phone_page, base_url, visit, report, where):
                _check_on_phone(phone_page, who, visit, report)
                _screenshot(phone_page, who, visit.name, "-phone-js" if javascript else "-phone")
        phone.close()
    context.close()
    return report.problems


def test_it_plans_every_page_for_someone_who_may_see_it():
    plan = browser_plan()
    for route in pages():
        checkers = [who for who, routes in plan.items() if route in routes]
        assert checkers, f"no persona checks {route.name} in the browser"
        assert set(checkers) <= route.allowed
        assert sum(1 for who in checkers if checks_on_phone(who, route)) >= 1
    for who in ALL_PERSONAS:
        assert start_page(who) in [route.name for route in plan[who]]


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_it_meets_wcag_21_aa_on_every_page_as(who: str, chromium: BrowserThread, live_server):
    personas: Personas = build_personas()
    visits = [Visit(route.name, route.url(personas, who), checks_on_phone(who, route)) for route in browser_plan()[who]]
    name = "" if who == ANONYMOUS else getattr(personas, who).name
    problems = chromium.run(browse, live_server.url, who, name, visits)
    assert not problems, f"{len(problems)} problems in the browser:\n" + "\n".join(problems)

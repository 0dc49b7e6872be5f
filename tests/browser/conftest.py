"""A headless Debian Chromium for the browser tests, driven by Playwright."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

T = TypeVar("T")


class BrowserThread:
    """One Chromium for the whole session, living in a thread of its own.

    Playwright's sync API keeps an asyncio loop running in the thread that uses it, and Django
    refuses database calls from a thread with a running loop. So the browser gets its own thread
    and the tests hand it work with `run`; the test's thread stays free to create data.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._executor.submit(self._start).result()

    def _start(self) -> None:
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def run(self, work: Callable[..., T], *args: Any) -> T:
        """Runs `work(browser, *args)` in the browser's thread and returns its result."""
        return self._executor.submit(lambda: work(self._browser, *args)).result()

    def in_page(self, work: Callable[[Page], T], **context_options: Any) -> T:
        """Runs `work(page)` on a page of a fresh browser context (its own cookies), in the browser's thread."""

        def in_fresh_context(browser: Browser) -> T:
            context = browser.new_context(**context_options)
            try:
                return work(context.new_page())
            finally:
                context.close()

        return self.run(in_fresh_context)

    def close(self) -> None:
        def stop() -> None:
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        self._executor.submit(stop).result()
        self._executor.shutdown()


@pytest.fixture(scope="session")
def chromium() -> Iterator[BrowserThread]:
    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}: sudo apt-get install chromium")
    browser = BrowserThread()
    yield browser
    browser.close()

"""The browser fixtures: one Chromium for the whole session (Debian's, driven by Playwright's sync API), and pages
in Korean and KST at desk and phone size that fail their test on any console error or uncaught page error.

Playwright's sync API leaves its event loop marked as running in this thread between calls, and pytest-asyncio's
loop (and `asyncio.run`) will not start while it is: the mark is lifted after the launch and after each browser test,
and set again only while a test holds `browser`, so async tests before and after the browser tests run as usual.
"""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.support import FORMS, PAGE_SETTINGS, Form, OpenPage, launch, problems_of, watch


@dataclass(frozen=True)
class Chromium:
    browser: Browser
    loop: asyncio.AbstractEventLoop


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    playwright = sync_playwright().start()
    try:
        browser = launch(playwright)
        started = Chromium(browser, asyncio.events.get_running_loop())
        asyncio.events._set_running_loop(None)
        yield started
        asyncio.events._set_running_loop(started.loop)
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def browser(chromium: Chromium) -> Iterator[Browser]:
    """The session's Chromium, for this test. Anything async the test runs itself goes inside
    `support.outside_the_browser_loop()`."""
    asyncio.events._set_running_loop(chromium.loop)
    try:
        yield chromium.browser
    finally:
        asyncio.events._set_running_loop(None)


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """`open_page("desktop" | "phone", **context_options) -> Page`; at the end of the test every page it opened must
    have reported no problem (a test that provokes one reads and clears `support.problems_of(page)`)."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def open_(form: Form = "desktop", **options: Any) -> Page:
        context = browser.new_context(**{**PAGE_SETTINGS, **FORMS[form], **options})
        contexts.append(context)
        pages.append(watch(context.new_page(), form))
        return pages[-1]

    yield open_
    problems = [f"{page.url}: {problem}" for page in pages for problem in problems_of(page)]
    for context in contexts:
        context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)

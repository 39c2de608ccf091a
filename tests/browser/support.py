"""What a browser test uses besides its fixtures (tests/browser/conftest.py): the two forms a page is seen in, the
watch for console errors and page errors, the accessibility check with axe-core, and the screenshots of docs/console/.

Chromium is Debian's (/usr/bin/chromium) and axe-core the npm registry's, both brought by platform_deploy.browser.
"""

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol
from weakref import WeakKeyDictionary

from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright

from platform_deploy.browser import ensure_axe_core, ensure_chromium

Form = Literal["desktop", "phone"]
# The console is used at a desk and on a phone (issue 28: 1280 px and 390 px); Korean first, times in KST.
FORMS: dict[Form, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
PAGE_SETTINGS: dict[str, Any] = {"locale": "ko-KR", "timezone_id": "Asia/Seoul"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "console"


@dataclass
class Seen:
    """A page's form and the problems it reported: console errors (Chromium reports a Content Security Policy
    violation as one) and uncaught errors."""

    form: Form
    problems: list[str] = field(default_factory=list)


_seen: WeakKeyDictionary[Page, Seen] = WeakKeyDictionary()


class OpenPage(Protocol):
    """The `open_page` fixture: a new page in a browser context of its own (its own cookies, so one test can sign
    in two operators), in Korean and KST, of the form given; `options` go to Browser.new_context."""

    def __call__(self, form: Form = "desktop", **options: Any) -> Page: ...


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, installed first when missing. Chromium's sandbox refuses to start as root, as CI runs."""
    sandbox = [] if os.geteuid() else ["--no-sandbox"]
    return playwright.chromium.launch(executable_path=str(ensure_chromium()), args=sandbox)


def watch(page: Page, form: Form) -> Page:
    """Record the page's problems from now on; `assert_no_page_problems` reads them, `problems_of` returns them."""
    seen = _seen[page] = Seen(form)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "assert"):
            seen.problems.append(f"console {message.type}: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error: Error) -> None:
        seen.problems.append(f"uncaught {error.name}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return page


def problems_of(page: Page) -> list[str]:
    """The page's problems so far: a test that provokes one on purpose reads it here, then clears the list."""
    return _seen[page].problems


def form_of(page: Page) -> Form:
    return _seen[page].form


def assert_no_page_problems(page: Page) -> None:
    problems = problems_of(page)
    assert not problems, f"{page.url} reported {len(problems)} problem(s):\n" + "\n".join(problems)


def assert_accessible(page: Page, impacts: tuple[str, ...] = ("critical",)) -> None:
    """Run axe-core on the page as it is now; fail listing every violation of these impacts with its rule, its help
    and the elements it found. Injected through the DevTools protocol, which the page's CSP does not govern, so the
    console's strict policy stays on while it runs."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(ensure_axe_core().read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => "
        "({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}))")
    found = [f"- {v['id']} ({v['impact']}): {v['help']}; at {', '.join(v['targets'])}"
             for v in violations if v["impact"] in impacts]
    _remove_left_styles(page)
    assert not found, (f"{page.url}: {len(found)} accessibility violation(s) of impact {'/'.join(impacts)}:\n"
                       + "\n".join(found))


def _remove_left_styles(page: Page) -> None:
    """axe and the screenshot leave `style=""` on elements they touched; htmx's settle step then copies `style`
    onto the next page's element of the same id, which the console's CSP (style-src 'self') blocks as an inline
    style: a tooling artefact, not the page's, so it is removed before the test goes on."""
    page.evaluate("() => document.querySelectorAll('[style]').forEach(e => e.removeAttribute('style'))")


def screenshot(page: Page, name: str, directory: Path = SCREENSHOTS) -> Path:
    """The whole page, as `<name>-<desktop|phone>.png` in docs/console/ (or `directory`), once its fonts are in."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    path = directory / f"{name}-{form_of(page)}.png"
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True, caret="initial")  # "hide" would leave style="" on inputs
    _remove_left_styles(page)
    return path


@contextmanager
def outside_the_browser_loop() -> Iterator[None]:
    """Between its calls, Playwright's sync API leaves its own event loop marked as running in this thread, where
    `asyncio.run` and pytest-asyncio then refuse to start one. Inside this block the mark is lifted, so a browser
    test can await something of its own (`with outside_the_browser_loop(): asyncio.run(...)`); no Playwright call
    may be made inside it."""
    loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)

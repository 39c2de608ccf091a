"""The console by keyboard alone (issue 28): sign in with Tab, typing and Enter, skip to the content, reach a
section through the navigation and open it with Enter — no mouse, at desktop and at phone width."""

import pytest
from playwright.sync_api import Page

from tests.console_support import console_account

pytestmark = pytest.mark.integration


def focused(page: Page) -> str:
    """The focused element as `tag#id` or `tag:text`, what a keyboard user is on."""
    return str(page.evaluate("() => { const e = document.activeElement; "
                         "return e.id ? `${e.tagName.toLowerCase()}#${e.id}` : "
                         "`${e.tagName.toLowerCase()}:${(e.textContent || '').trim()}`; }"))


def tab_to(page: Page, wanted: str, most: int = 40) -> None:
    for _ in range(most):
        if focused(page) == wanted:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {wanted}; last on {focused(page)}")


@pytest.mark.parametrize("form", ["desktop", "phone"])
def test_sign_in_and_reach_a_section_by_keyboard_alone(fleet, open_page, form):
    operator = console_account(fleet, "pm")
    page = open_page(form)
    page.goto(f"{fleet.console.base_url}/signin")

    tab_to(page, "input#account")
    page.keyboard.type(operator.name)
    page.keyboard.press("Tab")
    assert focused(page) == "input#password"
    page.keyboard.type(operator.credentials.password)
    page.keyboard.press("Tab")
    assert focused(page) == "input#code"
    page.keyboard.type(operator.totp())
    page.keyboard.press("Enter")
    page.wait_for_url("**/lottery")

    page.keyboard.press("Tab")
    assert focused(page) == "a:본문으로 건너뛰기"  # the skip link comes first
    tab_to(page, "a:감사")
    page.keyboard.press("Enter")
    page.wait_for_url("**/audit")
    assert page.locator("h1").first.inner_text().startswith("감사")

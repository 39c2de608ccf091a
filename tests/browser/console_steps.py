"""Steps the console's browser tests share: signing in through the form, forgetting the refusals a test provoked,
and an action that may ask for a fresh code (the step-up dialog) before it lands."""

from playwright.sync_api import Locator, Page

from platform_deploy.operators import Operator
from tests.browser.support import problems_of


def sign_in(page: Page, base_url: str, operator: Operator, then: str | None = None, code: str | None = None) -> None:
    """Through the sign-in form, as a person types it: account, password, the code (the next TOTP by default).
    With `then`, waits until the console has landed there; without, only for the answer (a refusal too)."""
    page.goto(f"{base_url}/signin" + (f"?next={then}" if then else ""))
    page.fill("#account", operator.name)
    page.fill("#password", operator.credentials.password)
    page.fill("#code", code or operator.totp())
    page.locator("form[action='/signin'] button[type=submit]").click()
    if then:
        page.wait_for_url(f"**{then}")
    else:
        page.wait_for_load_state()


def forget_refusals(page: Page, status: str = "4") -> None:
    """The browser reports each 4xx answer as a console error: drop those a test provoked on purpose (`status`:
    the code or its first digits)."""
    problems_of(page)[:] = [p for p in problems_of(page) if f"status of {status}" not in p]


def submit_sensitive(page: Page, operator: Operator, button: Locator, landed: str) -> None:
    """Click `button`; when the step-up dialog asks for a code, give the authenticator's next one. Returns once
    `landed` (a selector of the page the action ends on) is there."""
    button.click()
    arrived = page.locator(f"{landed}, dialog.step-up").first
    arrived.wait_for(timeout=30_000)
    if page.locator("dialog.step-up").count():
        page.fill("#step-up-code", operator.totp())
        page.locator("dialog.step-up button[type=submit]").click()
    page.locator(landed).first.wait_for(timeout=30_000)

"""Steps the policy and consumer pages' browser tests share: signing in through the form, and an action that
may ask for a fresh code (the step-up dialog) before it lands."""

from playwright.sync_api import Locator, Page

from platform_deploy.operators import Operator


def sign_in(page: Page, base_url: str, operator: Operator, then: str) -> None:
    page.goto(f"{base_url}/signin?next={then}")
    page.fill("#account", operator.name)
    page.fill("#password", operator.credentials.password)
    page.fill("#code", operator.totp())
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"**{then}")


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

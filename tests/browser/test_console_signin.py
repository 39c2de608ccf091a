"""Signing in to the console in a real browser (SPEC §7, seed §2 "Admin 화이트리스트 + 2FA", §10): with the
authenticator's code and with a backup code; a lockout told in words with its wait; sign-out ending the session on
the next request; the session cookie HttpOnly and SameSite=Strict; a POST without the CSRF field changing nothing."""

import secrets

import pytest
from playwright.sync_api import expect

from tests.browser.console_steps import forget_refusals, sign_in
from tests.browser.support import OpenPage, assert_accessible, screenshot
from tests.console_support import console_account

pytestmark = pytest.mark.integration

FREE_FAILURES = 5
"""The policy locks an account's name on its fifth failure in a row (policy domain/credentials.py lock_after)."""
CSRF_REFUSED = "아무것도 하지 않았습니다"


def test_sign_in_with_totp_then_a_backup_code_and_sign_out_ends_the_session(fleet, open_page: OpenPage):
    base = fleet.console.base_url
    operator = console_account(fleet, "pm")
    page = open_page("desktop")
    page.goto(f"{base}/signin")
    expect(page.get_by_role("heading", name="로그인")).to_be_visible()
    expect(page.get_by_role("link", name="기기를 분실했나요? 2FA 초기화 요청")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "signin")
    phone = open_page("phone")
    phone.goto(f"{base}/signin")
    assert_accessible(phone)
    screenshot(phone, "signin")

    sign_in(page, base, operator)
    assert page.url.endswith("/lottery") and operator.name in page.content()
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["secure"]
    assert page.evaluate("() => document.cookie").find("console_session") == -1  # no script reads it

    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url("**/signin")
    page.goto(f"{base}/accounts")
    assert "/signin?next=/accounts" in page.url

    backup = operator.credentials.backup_codes[0]
    sign_in(page, base, operator, code=backup)
    assert page.url.endswith("/lottery")
    page.goto(f"{base}/accounts")
    expect(page.get_by_role("heading", name="계정", exact=True)).to_be_visible()


def test_a_lockout_is_told_with_its_wait(fleet, open_page: OpenPage):
    # A fresh name: its own lock only. The fleet's per-address limit (POLICY_LOGIN_RATE_PER_ADDRESS, 30/minute by
    # default, not changed in tests/conftest.py) is shared by every sign-in of the run, so six attempts stay far
    # below it.
    operator = console_account(fleet, "data", name=f"console-lock-{secrets.token_hex(3)}")
    base = fleet.console.base_url
    page = open_page("desktop")
    wrong = operator.credentials.password + "x"
    for _ in range(FREE_FAILURES):
        page.goto(f"{base}/signin")
        page.fill("#account", operator.name)
        page.fill("#password", wrong)
        page.fill("#code", "123456")
        page.get_by_role("button", name="로그인").click()
        expect(page.get_by_role("alert")).to_contain_text("로그인하지 못했습니다")

    sign_in(page, base, operator)  # the right password and code, too late

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("계정이 잠겼습니다")
    expect(alert).to_contain_text("분 후에 다시 시도하세요")
    assert not any(c["name"] == "console_session" for c in page.context.cookies())
    assert_accessible(page)
    forget_refusals(page)


def test_a_post_without_the_csrf_field_changes_nothing(fleet, open_page: OpenPage):
    base = fleet.console.base_url
    operator = console_account(fleet, "admin")
    page = open_page("desktop")
    sign_in(page, base, operator)
    page.goto(f"{base}/accounts")

    forged = page.request.post(f"{base}/accounts/backup-codes", form={})  # the session cookie goes along
    assert forged.status == 403 and CSRF_REFUSED in forged.text()
    # The form's field removed, and the page's copy htmx sends as a header too: the secret travels nowhere.
    page.evaluate("() => { document.querySelector('form[action=\"/accounts/backup-codes\"] input[name=csrf]')"
                  ".remove(); document.querySelector('meta[name=csrf-token]').setAttribute('content', ''); }")
    page.get_by_role("button", name="백업 코드 새로 발급").click()
    expect(page.locator("#flash")).to_contain_text(CSRF_REFUSED)
    expect(page.locator(".backup-codes")).to_have_count(0)  # no new codes were shown, none were made
    forget_refusals(page)

    # The old backup codes still work: the forged requests regenerated nothing.
    other = open_page("desktop")
    sign_in(other, base, operator, code=operator.credentials.backup_codes[1])
    assert other.url.endswith("/lottery")

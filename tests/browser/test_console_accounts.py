"""Seed §10 in a real browser: a PM who lost their device asks for a 2FA reset, is refused approving it themselves
(the policy service refuses; the page says so in words), another PM approves it, the holder's open console session
ends on its next request, and the holder enrols the new secret (QR code, the secret as text, backup codes once)
and signs in with it. New backup codes for oneself, shown once; the Data role sees no account list."""

import re

import pyotp
import pytest
from playwright.sync_api import ViewportSize, expect

from tests.browser.console_steps import forget_refusals, sign_in
from tests.browser.support import SCREENSHOTS, OpenPage, assert_accessible, screenshot
from tests.console_support import console_account

pytestmark = pytest.mark.integration

REFUSED = "거부되었습니다"
PHONE = ViewportSize(width=390, height=844)
HASHING = 30_000
"""ms: the policy service hashes ten new backup codes before it answers (seconds on a busy machine)."""


def test_a_2fa_reset_asked_refused_to_its_holder_approved_by_another_pm_and_enrolled(fleet, open_page: OpenPage):
    base = fleet.console.base_url
    holder, approver = console_account(fleet, "pm"), console_account(fleet, "pm")
    mine = open_page("desktop")
    sign_in(mine, base, holder)

    mine.goto(f"{base}/accounts")
    mine.get_by_role("link", name="기기를 분실했나요? 2FA 초기화 요청").click()
    expect(mine.locator("#account")).to_have_value(holder.name)
    mine.fill("#password", holder.credentials.password)
    mine.fill("#reason", "휴대폰 분실")
    mine.get_by_role("button", name="초기화 요청하기").click()
    request_id = mine.locator("code.request-id").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)

    mine.goto(f"{base}/accounts")
    row = mine.locator(f"#reset-{request_id}")
    expect(row).to_contain_text("요청됨")
    row.get_by_label("승인 사유").fill("스스로 승인 시도")
    row.get_by_role("button", name="초기화 승인").click()
    row = mine.locator(f"#reset-{request_id}")
    expect(row.get_by_role("alert")).to_contain_text(REFUSED)
    expect(row).to_contain_text("요청됨")  # still waiting: nothing changed
    forget_refusals(mine)

    theirs = open_page("desktop")
    sign_in(theirs, base, approver)
    theirs.goto(f"{base}/accounts")
    row = theirs.locator(f"#reset-{request_id}")
    expect(row).to_contain_text(holder.name)
    assert_accessible(theirs)
    screenshot(theirs, "accounts")
    phone = open_page("phone", storage_state=theirs.context.storage_state())
    phone.goto(f"{base}/accounts")
    assert_accessible(phone)
    screenshot(phone, "accounts")
    row.get_by_label("승인 사유").fill("본인 확인 후 승인 (seed §10)")
    row.get_by_role("button", name="초기화 승인").click()
    expect(theirs.get_by_role("status").filter(has_text="승인했습니다")).to_contain_text(holder.name)
    expect(theirs.locator(f"#reset-{request_id}")).to_contain_text("승인됨")

    mine.goto(f"{base}/accounts")  # the holder's session ended with the approval
    assert "/signin?next=/accounts" in mine.url

    mine.get_by_role("link", name="승인된 초기화 후 새 비밀키 등록").click()
    mine.fill("#request_id", request_id)
    mine.fill("#account", holder.name)
    mine.fill("#password", holder.credentials.password)
    mine.get_by_role("button", name="등록").click()
    qr = mine.get_by_role("img", name="새 인증 비밀키의 QR 코드")
    expect(qr).to_be_visible(timeout=HASHING)
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 0  # drawn, under the console's CSP
    secret = mine.locator("code.secret").inner_text().replace(" ", "")
    codes = mine.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(mine)
    screenshot(mine, "accounts-enrol")
    mine.set_viewport_size(PHONE)  # shown once: the phone's picture of the same page
    mine.screenshot(path=SCREENSHOTS / "accounts-enrol-phone.png", full_page=True)

    again = open_page("desktop")
    sign_in(again, base, holder, code=pyotp.TOTP(secret).at(fleet.clock.now()))
    assert again.url.endswith("/lottery"), again.content()


def test_new_backup_codes_are_shown_once_and_the_data_role_sees_no_account_list(fleet, open_page: OpenPage):
    base = fleet.console.base_url
    reader = console_account(fleet, "data")
    page = open_page("desktop")
    sign_in(page, base, reader)
    page.goto(f"{base}/accounts")
    expect(page.get_by_role("heading", name="전체 계정")).to_have_count(0)
    expect(page.get_by_role("button", name="초기화 승인")).to_have_count(0)

    page.get_by_role("button", name="백업 코드 새로 발급").click()
    expect(page.locator(".backup-codes code")).to_have_count(10, timeout=HASHING)
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10 and set(codes).isdisjoint(reader.credentials.backup_codes)
    page.goto(f"{base}/accounts")
    expect(page.locator(".backup-codes")).to_have_count(0)  # shown once

    old = open_page("desktop")
    sign_in(old, base, reader, code=reader.credentials.backup_codes[0])
    expect(old.get_by_role("alert")).to_contain_text("로그인하지 못했습니다")  # the old codes stopped working
    forget_refusals(old)
    fresh = open_page("desktop")
    sign_in(fresh, base, reader, code=codes[0])
    assert fresh.url.endswith("/lottery")

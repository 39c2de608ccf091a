"""알림 / 대기자 in a real browser against the real fleet (seed §4, §6): pause the queue, see the dashboard say so,
resume; a template's live preview refusing an unknown placeholder next to the field, then saved; a resend counted
then confirmed; a dead notification redriven from its sample with the progress shown, then sent; the run's offers
and a promotion pass. Screenshots of each page at desk and phone size; no critical accessibility violation."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from platform_deploy.operators import Operator
from platform_deploy.scenario import admin_client, wait_for_rows
from platform_deploy.services import Fleet
from platform_shared.time.clock import KST
from tests.browser.console_steps import sign_in
from tests.browser.support import OpenPage, assert_accessible, problems_of, screenshot
from tests.console_support import console_account
from tests.test_event_contract import draw_for_a_refused_recipient

pytestmark = pytest.mark.integration


def signed_in(open_page: OpenPage, fleet: Fleet, form: Any = "desktop", role: str = "admin") -> tuple[Page, Operator]:
    operator = console_account(fleet, role)
    page = open_page(form)
    sign_in(page, fleet.console.base_url, operator, then="/lottery")
    return page, operator


def step_up_if_asked(page: Page, operator: Operator) -> None:
    """A sensitive action asks for a fresh code in a dialog; give it (the action is then sent again)."""
    page.wait_for_load_state("networkidle")
    if page.locator("#step-up-code").is_visible():
        page.fill("#step-up-code", operator.totp())
        page.locator("dialog.step-up button[type=submit]").click()
        page.wait_for_load_state("networkidle")


def shown(page: Page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, name)


def refused_on_purpose(page: Page, status: int) -> None:
    """A form sent back with its errors answers 4xx, which Chromium logs as a failed load: expected here."""
    problems = problems_of(page)
    assert problems and all(f"status of {status}" in problem for problem in problems), problems
    problems.clear()


def test_pausing_the_queue_shows_on_the_dashboard_until_resumed(open_page: OpenPage, fleet: Fleet) -> None:
    page, operator = signed_in(open_page, fleet)
    page.goto(f"{fleet.console.base_url}/notifications")
    expect(page.locator("#sending-state")).to_contain_text("발송 진행 중")
    expect(page.locator("#quiet-hours")).to_contain_text("KST")
    until = (fleet.clock.now() + timedelta(days=1)).astimezone(KST).replace(hour=9, minute=30)
    try:
        page.fill("#f-reason", "벤더 점검 — 브라우저 테스트")
        page.fill("#f-until", until.strftime("%Y-%m-%dT%H:%M"))
        page.locator("form[action='/notifications/pause'] button").click()
        step_up_if_asked(page, operator)
        state = page.locator("#sending-state")
        expect(state).to_contain_text("발송 일시 중지됨")
        expect(state).to_contain_text(f"{until.month}월 {until.day}일 09:30 (KST)")
        expect(state).to_contain_text("벤더 점검 — 브라우저 테스트")
        shown(page, "notifications-dashboard")
        page.fill("#f-reason", "점검 끝")
        page.locator("form[action='/notifications/resume'] button").click()
        step_up_if_asked(page, operator)
        expect(page.locator("#sending-state")).to_contain_text("발송 진행 중")
    finally:
        with admin_client(fleet["notifier"].base_url) as notifier:  # never leave the fleet paused
            if notifier.get("/sending").json()["paused"]:
                notifier.post("/sending/resume", json={"reason": "test cleanup"})
    phone, _ = signed_in(open_page, fleet, "phone")
    phone.goto(f"{fleet.console.base_url}/notifications")
    shown(phone, "notifications-dashboard")


def test_a_template_previews_as_typed_refuses_an_unknown_placeholder_and_saves(open_page: OpenPage,
                                                                               fleet: Fleet) -> None:
    for form in ("desktop", "phone"):
        page, operator = signed_in(open_page, fleet, form)
        page.goto(f"{fleet.console.base_url}/notifications/templates")
        shown(page, "notifications-templates")
        page.locator("a[href='/notifications/templates/WINNER_OFFER/ko']").click()
        original = page.locator("#f-body").input_value()
        expect(page.locator("#preview-text")).to_contain_text("(KST)")
        page.locator("#f-body").press_sequentially(" ${winner_name}")
        expect(page.locator("#preview-error")).to_contain_text("${winner_name}")
        page.fill("#f-reason", "오타 확인")
        page.locator("form.template-editor button[type=submit]").click()
        expect(page.locator("#e-body")).to_contain_text("${winner_name}")  # next to the field; nothing saved
        refused_on_purpose(page, 422)
        shown(page, "notifications-template")
        page.fill("#f-body", original)
        page.locator("#f-body").press_sequentially(" ")
        expect(page.locator("#preview-text")).to_contain_text("봄 시즌 초대전")
        page.fill("#f-body", original)
        page.fill("#f-reason", "문구 확인(변경 없음)")
        page.locator("form.template-editor button[type=submit]").click()
        step_up_if_asked(page, operator)
        expect(page.get_by_role("status").filter(has_text="WINNER_OFFER:ko")).to_be_visible()


def test_a_resend_is_counted_then_confirmed(open_page: OpenPage, fleet: Fleet) -> None:
    for form in ("desktop", "phone"):
        page, operator = signed_in(open_page, fleet, form)
        page.goto(f"{fleet.console.base_url}/notifications/resend")
        page.fill("#f-reason", "템플릿 수정 후 재발송")
        page.fill("#f-run_id", "00000000-0000-4000-8000-000000000000")  # a segment that holds none
        page.locator("form[action='/notifications/resend/prepare'] button").click()
        dialog = page.locator("dialog.confirm")
        expect(dialog).to_contain_text("알림 0건을 재발송할까요?")
        shown(page, "notifications-resend")
        dialog.locator("button[type=submit]").click()
        step_up_if_asked(page, operator)
        expect(page.locator("#resent")).to_contain_text("0건")


def test_a_dead_notification_is_redriven_with_progress_and_sent(open_page: OpenPage, fleet: Fleet) -> None:
    run_id = draw_for_a_refused_recipient(fleet)  # its one notification died at the vendor; the vendor is fixed
    with admin_client(fleet["notifier"].base_url) as notifier:
        letter = next(row for row in notifier.get("/dead-letters", params={"group": "notifier.sender"}).json()
                      if run_id in (row["original_key"] or ""))
    page, operator = signed_in(open_page, fleet)
    page.goto(f"{fleet.console.base_url}/notifications/dead-letters?service=notifier&group=notifier.sender")
    shown(page, "notifications-dead-letters")
    page.locator(f"#letters a[href='/notifications/dead-letters/notifier/{letter['id']}']").click()
    expect(page.locator("#letter")).to_contain_text(letter["original_key"])
    expect(page.locator("pre.payload")).to_contain_text(letter["original_key"])
    shown(page, "notifications-dead-letter")
    page.fill("#f-reason", "벤더 거부 해소")
    page.locator("form[action$='/redrive'] button").click()
    step_up_if_asked(page, operator)
    expect(page.locator("progress")).to_be_visible()
    expect(page.locator("#redrive-status")).to_contain_text("완료", timeout=60_000)  # polled, not reloaded
    expect(page.locator("#redrive-figures")).to_contain_text("1 / 1")
    shown(page, "notifications-redrive")
    redrive_path = urlparse(page.url).path  # the redrive's own page, where the progress lives
    wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={run_id}&status=sent", 1, 60)

    page.goto(f"{fleet.console.base_url}/waitlist?run_id={run_id}")
    expect(page.locator("#run-status")).to_be_visible()
    expect(page.locator("#offers tbody tr")).to_have_count(1)
    expect(page.locator("#offers")).to_contain_text("(KST)")
    shown(page, "waitlist")
    page.get_by_role("button", name="지금 승급").click()
    expect(page.locator("#promoted")).to_contain_text("승급 실행 완료")
    phone, _ = signed_in(open_page, fleet, "phone")
    for path, name in ((f"/waitlist?run_id={run_id}", "waitlist"),
                       ("/notifications/dead-letters?service=notifier", "notifications-dead-letters"),
                       (f"/notifications/dead-letters/notifier/{letter['id']}", "notifications-dead-letter"),
                       (redrive_path, "notifications-redrive")):
        phone.goto(f"{fleet.console.base_url}{path}")
        shown(phone, name)

"""장애 / Incidents in a real browser against the fleet (seed §1, §5.3, §13): a SEV2 opened for a campaign with the
§13 table as the choice, its first response (the AdGate exception flag) shown in a dialog and confirmed (a fresh
code when asked), the banner on the policy service's public GET /banners, a note, resolved after a confirmation
(the exemption still on named with the way to the AdGate page), and the timeline listing every step. Every page
seen at desk and phone size, accessible, screenshotted; Data reads them without being offered an action."""

import time
from typing import Any

import httpx
import pytest

from tests.browser.console_steps import sign_in, submit_sensitive
from tests.browser.support import assert_accessible, screenshot
from tests.console_support import console_account

pytestmark = pytest.mark.integration


def _public_banners(fleet, campaign: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{fleet['policy'].base_url}/banners", params={"campaign_id": campaign}, timeout=30)
    answer.raise_for_status()
    banners: list[dict[str, Any]] = answer.json()["banners"]
    return banners


def _until_banner(fleet, campaign: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        found = [b for b in _public_banners(fleet, campaign) if b["campaign_id"] == campaign]
        if found or time.monotonic() > deadline:
            assert found, f"no banner for {campaign} on GET /banners"
            return found[0]
        time.sleep(0.5)


def test_a_sev2_opened_answered_noted_and_resolved_with_its_timeline(fleet, open_page):
    operator = console_account(fleet, "pm")
    base = fleet.console.base_url
    campaign = f"sev2-{operator.name[-6:]}"
    page = open_page("desktop")
    sign_in(page, base, operator, "/incidents")
    assert page.locator("h1").inner_text() == "장애"
    assert page.locator("fieldset.levels input[type=radio]").count() == 3  # the §13 table is the choice
    assert "주요 기능 저하" in page.locator("label[for=sev-2]").inner_text()

    page.check("#sev-2")
    page.fill("#f-title", "AdGate 검증 실패 급증")
    page.fill("#f-campaigns", campaign)
    page.get_by_label("AdGate(스폰서 방문 검증)").check()
    page.get_by_role("button", name="장애 열기").click()
    page.wait_for_url("**/incidents/*")
    incident_id = page.url.rsplit("/", 1)[-1]
    assert page.locator(".status").get_attribute("data-status") == "open"

    page.fill("#respond-reason", "AdGate 검증 실패 급증, 예외 플래그로 응모 유지")
    page.get_by_role("button", name="초기 대응 내용 보기").click()
    dialog = page.locator("dialog.confirm")
    dialog.wait_for()
    shown = dialog.inner_text()
    assert campaign in shown and "adgate_exceptions" in shown and "일시적으로 스폰서 방문 검증을 면제합니다" in shown
    assert_accessible(page)
    submit_sensitive(page, operator, dialog.get_by_role("button", name="초기 대응 확인"), "p.notice")
    banner = _until_banner(fleet, campaign)
    assert banner["kind"] == "adgate_exception" and banner["text"] == "일시적으로 스폰서 방문 검증을 면제합니다"

    page.fill("#note-text", "스폰서 랜딩 복구 확인 중")
    page.get_by_role("button", name="메모 추가").click()
    page.locator("table.timeline tr[data-kind=note]").wait_for()

    page.fill("#status-note", "스폰서 랜딩 복구, 검증 실패율 정상화")
    page.get_by_role("button", name="해결…").click()
    dialog = page.locator("dialog.confirm")
    dialog.wait_for()
    assert_accessible(page)
    dialog.get_by_role("button", name="확인: 해결됨").click()
    page.locator(".status[data-status=resolved]").wait_for()
    assert campaign in (page.locator("[data-still-exempt]").get_attribute("data-still-exempt") or "")
    assert page.get_by_role("link", name="AdGate 화면으로 가기").get_attribute("href") == "/policies/adgate"
    steps = page.locator("table.timeline tbody tr")
    kinds = [steps.nth(i).get_attribute("data-kind") for i in range(steps.count())]
    assert {"opened", "first_response", "note", "status"} <= set(kinds), kinds
    assert "KST" in steps.first.inner_text() and operator.name in steps.first.inner_text()
    assert page.locator("table.posts tbody tr").count() >= 1  # each #ops-incident post with its state in words
    assert_accessible(page)
    screenshot(page, "incidents-incident")

    page.goto(f"{base}/incidents")
    assert page.locator(f'table.incidents tr[data-incident="{incident_id}"]').first.is_visible()
    assert_accessible(page)
    screenshot(page, "incidents-list")
    page.goto(f"{base}/incidents/banners")
    assert campaign in page.locator("table.in-force").inner_text()
    assert page.locator("#banner-text-hint").inner_text().startswith("최대 200자")
    assert_accessible(page)
    screenshot(page, "incidents-banners")

    phone = open_page("phone")
    sign_in(phone, base, console_account(fleet, "data"), f"/incidents/{incident_id}")
    assert phone.get_by_role("button", name="메모 추가").count() == 0  # read-only for Data
    assert_accessible(phone)
    screenshot(phone, "incidents-incident")
    for path, name in (("/incidents", "incidents-list"), ("/incidents/banners", "incidents-banners")):
        phone.goto(f"{base}{path}")
        assert phone.get_by_role("button", name="장애 열기").count() == 0
        assert phone.get_by_role("button", name="배너 게시").count() == 0
        assert_accessible(phone)
        screenshot(phone, name)

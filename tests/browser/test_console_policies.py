"""정책 / Policies in a real browser against the fleet (seed §8, issue's §8 flow): a change with one invalid field
is refused next to that field and changes nothing; fixed, it is shown as a diff, confirmed (a fresh code when
asked), and every service reports the new version on the propagation view; rolled back from the history, the
platform runs the old value again. AdGate (seed §5): a campaign exception added and ended. Every page seen at
desk and phone size, accessible, screenshotted."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from platform_shared.time.clock import KST
from tests.browser.console_steps import sign_in, submit_sensitive
from tests.browser.support import assert_accessible, problems_of, screenshot
from tests.console_support import console_account

pytestmark = pytest.mark.integration
SERVICES = ("lottery", "notifier", "policy", "waitlist")


def _policy(fleet) -> dict[str, Any]:
    answer = httpx.get(f"{fleet['policy'].base_url}/policy", auth=fleet.operator(), timeout=30)
    answer.raise_for_status()
    policy: dict[str, Any] = answer.json()
    return policy


def _every_service_runs(page, version: int) -> None:
    """The propagation view refreshes itself: wait until every service's every process reports `version`."""
    page.locator(f'#propagation[data-version="{version}"] [data-all-current="yes"]').wait_for(timeout=90_000)
    reported = page.locator('#propagation tbody tr:not([data-state="silent"])')
    services = {reported.nth(i).get_attribute("data-service") for i in range(reported.count())}
    assert services >= set(SERVICES)
    assert {reported.nth(i).get_attribute("data-version") for i in range(reported.count())} == {str(version)}


def test_a_change_refused_by_field_then_confirmed_propagated_and_rolled_back(fleet, open_page):
    operator = console_account(fleet, "admin")
    base = fleet.console.base_url
    before = _policy(fleet)
    page = open_page("desktop")
    sign_in(page, base, operator, "/policies")
    assert page.locator("h1").inner_text() == "정책"
    assert page.locator("#f-weight_cap").input_value() == str(before["document"]["weight_cap"])
    assert_accessible(page)
    screenshot(page, "policies-document")

    page.fill("#f-weight_cap", "-1")
    page.fill("#f-promotion_interval_minutes", str(before["document"]["promotion_interval_minutes"] + 1))
    page.fill("#f-reason", "브라우저에서 가중치 상한 조정")
    page.get_by_role("button", name="변경 내용 보기").click()
    error = page.locator("#e-weight_cap")
    error.wait_for()
    assert "0" in error.inner_text()  # greater than 0, in the service's words
    assert page.locator("#f-weight_cap").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-weight_cap").input_value() == "-1"  # what was typed stays, to be fixed
    assert page.locator("#f-reason").input_value() == "브라우저에서 가중치 상한 조정"
    assert _policy(fleet)["version"] == before["version"]  # nothing changed
    assert all("422" in problem for problem in problems_of(page))  # the refusal's own status, nothing else
    problems_of(page).clear()

    new_cap = before["document"]["weight_cap"] + 2.5
    page.fill("#f-weight_cap", str(new_cap))
    page.get_by_role("button", name="변경 내용 보기").click()
    dialog = page.locator("dialog.confirm")
    dialog.wait_for()
    assert "weight_cap" in dialog.inner_text() and "promotion_interval_minutes" in dialog.inner_text()
    assert_accessible(page)
    submit_sensitive(page, operator, dialog.get_by_role("button", name="확인하고 게시"), "#propagation")
    changed = _policy(fleet)
    assert changed["version"] == before["version"] + 1 and changed["document"]["weight_cap"] == new_cap
    assert page.locator(".notice").inner_text().startswith("✓")
    _every_service_runs(page, changed["version"])
    assert_accessible(page)
    screenshot(page, "policies-propagation")

    page.goto(f"{base}/policies/history")
    assert page.locator("table.versions tbody tr").first.inner_text().startswith(str(changed["version"]))
    assert "KST" in page.locator("table.versions tbody tr").first.inner_text()
    assert_accessible(page)
    screenshot(page, "policies-history")
    page.select_option("#f-version", str(before["version"]))
    page.fill("#f-reason", "브라우저 테스트 롤백")
    page.get_by_role("button", name="롤백 내용 보기").click()
    dialog = page.locator("dialog.confirm")
    dialog.wait_for()
    assert "weight_cap" in dialog.inner_text()
    submit_sensitive(page, operator, dialog.get_by_role("button", name="롤백 확인"), "#propagation")
    restored = _policy(fleet)
    assert restored["version"] == changed["version"] + 1 and restored["restored_from"] == before["version"]
    assert restored["document"] == before["document"]
    _every_service_runs(page, restored["version"])

    phone = open_page("phone")
    sign_in(phone, base, console_account(fleet, "data"), "/policies")
    assert phone.get_by_role("button", name="변경 내용 보기").count() == 0  # read-only for Data
    assert_accessible(phone)
    screenshot(phone, "policies-document")
    for path, name in (("/policies/history", "policies-history"), ("/policies/propagation", "policies-propagation"),
                       ("/policies/adgate", "policies-adgate")):
        phone.goto(f"{base}{path}")
        assert_accessible(phone)
        screenshot(phone, name)


def test_an_adgate_exception_added_with_its_period_and_banner_then_ended(fleet, open_page):
    operator = console_account(fleet, "pm")
    base = fleet.console.base_url
    campaign = f"adgate-{operator.name[-6:]}"
    today = fleet.clock.now().astimezone(KST).date()
    page = open_page("desktop")
    sign_in(page, base, operator, "/policies/adgate")

    page.fill("#exception-campaign_id", campaign)
    page.fill("#exception-reason", "스폰서 랜딩 장애")
    page.fill("#exception-valid_from", (today + timedelta(days=1)).isoformat())
    page.fill("#exception-valid_until", today.isoformat())
    page.fill("#exception-banner_text", "일시적으로 스폰서 방문 검증을 면제합니다")
    page.get_by_role("button", name="변경 내용 보기").click()
    page.locator("#exception-valid_until-error").wait_for()  # the period out of order, told at its end
    assert campaign not in {e["campaign_id"] for e in _policy(fleet)["document"]["adgate_exceptions"]}
    problems_of(page).clear()

    page.fill("#exception-valid_from", today.isoformat())
    page.fill("#exception-valid_until", (today + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="변경 내용 보기").click()
    dialog = page.locator("dialog.confirm")
    dialog.wait_for()
    assert "adgate_exceptions" in dialog.inner_text() and campaign in dialog.inner_text()
    published = _policy(fleet)["version"] + 1
    submit_sensitive(page, operator, dialog.get_by_role("button", name="확인하고 게시"),
                     f'.notice[data-published="{published}"]')
    row = page.locator("tr", has_text=campaign)
    assert "일시적으로 스폰서 방문 검증을 면제합니다" in row.inner_text()
    exceptions = _policy(fleet)["document"]["adgate_exceptions"]
    assert {"campaign_id": campaign, "reason": "스폰서 랜딩 장애", "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=1)).isoformat(),
            "banner_text": "일시적으로 스폰서 방문 검증을 면제합니다"} in exceptions
    assert_accessible(page)
    screenshot(page, "policies-adgate")

    row.get_by_label("사유").fill("원인 해소")
    row.get_by_role("button", name="예외 종료").click()
    dialog = page.locator("dialog.confirm")
    dialog.wait_for()
    submit_sensitive(page, operator, dialog.get_by_role("button", name="확인하고 게시"),
                     f'.notice[data-published="{published + 1}"]')
    assert page.locator("tr", has_text=campaign).count() == 0
    assert campaign not in {e["campaign_id"] for e in _policy(fleet)["document"]["adgate_exceptions"]}

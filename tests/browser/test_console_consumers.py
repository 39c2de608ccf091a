"""컨슈머 / Consumers in a real browser against the fleet: every service's groups with their lag; one group paused
on every replica of its service with a reason and an end time (KST), seen paused with who and until when, then
resumed. Seen at desk and phone size, accessible, screenshotted."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from platform_shared.time.clock import KST
from tests.browser.console_steps import sign_in, submit_sensitive
from tests.browser.support import assert_accessible, screenshot
from tests.console_support import console_account

pytestmark = pytest.mark.integration


def _desired(fleet, service: str, group: str) -> dict[str, Any]:
    answer = httpx.get(f"{fleet[service].base_url}/consumers", auth=fleet.operator(), timeout=30)
    answer.raise_for_status()
    desired: dict[str, Any] = next(g for g in answer.json() if g["group_id"] == group)["desired"]
    return desired


def test_a_group_paused_fleet_wide_until_a_time_then_resumed(fleet, open_page):
    operator = console_account(fleet, "admin")
    base = fleet.console.base_url
    page = open_page("desktop")
    sign_in(page, base, operator, "/consumers")
    rows = page.locator("table.consumers tbody tr[data-group]")
    assert {rows.nth(i).get_attribute("data-service") for i in range(rows.count())} == {
        "lottery", "waitlist", "notifier", "policy"}
    assert_accessible(page)
    screenshot(page, "consumers")

    target = page.locator("#pause-target option").first.get_attribute("value")
    assert target is not None
    service, group = target.split("|")
    until = (fleet.clock.now() + timedelta(hours=2)).astimezone(KST).replace(second=0, microsecond=0)
    page.select_option("#pause-target", target)
    page.fill("#pause-reason", "브라우저 테스트: 수신 보류")
    page.fill("#pause-until", until.strftime("%Y-%m-%dT%H:%M"))
    submit_sensitive(page, operator, page.get_by_role("button", name="모든 복제본에서 일시 중지"),
                     '.notice[data-done="pause"]')
    row = page.locator(f'tr[data-service="{service}"][data-group="{group}"]')
    assert row.get_attribute("data-paused") == "yes"
    assert operator.name in row.inner_text() and until.strftime("%H:%M") in row.inner_text()
    assert "KST" in row.inner_text()
    desired = _desired(fleet, service, group)
    assert desired["paused"] and desired["actor"] == operator.name

    page.select_option("#resume-target", target)
    page.fill("#resume-reason", "브라우저 테스트: 재개")
    submit_sensitive(page, operator, page.get_by_role("button", name="모든 복제본에서 재개"),
                     '.notice[data-done="resume"]')
    assert page.locator(f'tr[data-service="{service}"][data-group="{group}"]').get_attribute("data-paused") == "no"
    assert not _desired(fleet, service, group)["paused"]

    phone = open_page("phone")
    sign_in(phone, base, console_account(fleet, "data"), "/consumers")
    assert phone.get_by_role("button", name="모든 복제본에서 일시 중지").count() == 0  # read-only for Data
    assert_accessible(phone)
    screenshot(phone, "consumers")

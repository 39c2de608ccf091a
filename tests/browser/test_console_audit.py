"""감사 / Audit in a real browser (seed §2 "감사 로그 ON"): the four services' records searched by actor, action and
time (KST), newest first and a page at a time ("older" by keyset), and each service's chain verified ✓ with its
evidence."""

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.console_steps import sign_in
from tests.browser.support import OpenPage, assert_accessible, screenshot
from tests.console_support import console_account

pytestmark = pytest.mark.integration

REGENERATED = "account.backup_codes_regenerated"
PAGE = 25


def test_the_audit_log_searched_paged_and_every_chain_verified(fleet, open_page: OpenPage):
    base = fleet.console.base_url
    actor = console_account(fleet, "pm")
    with httpx.Client(base_url=fleet["policy"].base_url, auth=actor, timeout=30) as policy:
        for _ in range(PAGE + 2):  # a page and more of this actor's records, each audited by the policy service
            policy.post("/auth/backup-codes").raise_for_status()
    auditor = console_account(fleet, "data")
    page = open_page("desktop")
    sign_in(page, base, auditor)

    page.goto(f"{base}/audit?size={PAGE}")
    page.get_by_label("행위자(계정)").fill(actor.name)
    page.get_by_label("행위", exact=True).fill(REGENERATED)
    page.get_by_role("button", name="검색").click()
    rows = page.locator("table.audit tbody tr")
    # The page before the search had PAGE rows too: wait for the search's own rows (the searcher's sign-in is
    # the newest record before it).
    expect(page.locator("table.audit tbody tr", has_not_text=REGENERATED)).to_have_count(0)
    expect(rows).to_have_count(PAGE)
    first = rows.all_inner_texts()
    assert all(actor.name in row and REGENERATED in row and "(KST)" in row for row in first)
    numbers = [int(page.locator("table.audit tbody tr").nth(i).locator("td").last.inner_text().replace(",", ""))
               for i in range(PAGE)]
    assert numbers == sorted(numbers, reverse=True)  # newest first
    assert_accessible(page)
    screenshot(page, "audit")
    phone = open_page("phone", storage_state=page.context.storage_state())
    phone.goto(page.url)
    assert_accessible(phone)
    screenshot(phone, "audit")
    # Playwright's full-page screenshot leaves `style=""` on the inputs, and htmx's settle would copy it onto the
    # next page's inputs of the same id (a CSP refusal no operator meets): start again from a clean load.
    page.goto(page.url)

    page.get_by_role("link", name="이전 기록").click()
    older = page.locator("table.audit tbody tr")
    expect(older).to_have_count(2)
    assert all(int(row.locator("td").last.inner_text().replace(",", "")) < numbers[-1] for row in older.all())
    expect(page.get_by_role("link", name="이전 기록")).to_have_count(0)

    page.get_by_label("시작(KST)").fill("2099-01-01T00:00")
    page.get_by_role("button", name="검색").click()
    expect(page.get_by_text("조건에 맞는 기록이 없습니다.")).to_be_visible()

    page.get_by_role("link", name="서비스별 체인 검증").click()
    chains = page.locator("table.chains tbody tr")
    expect(chains).to_have_count(4)
    for row in chains.all():
        expect(row).to_contain_text("✓ 온전함")
        expect(row).to_contain_text("모든 해시를 다시 계산했고 일치합니다.")
    assert_accessible(page)
    screenshot(page, "audit-verify")
    phone.goto(page.url)
    assert_accessible(phone)
    screenshot(phone, "audit-verify")

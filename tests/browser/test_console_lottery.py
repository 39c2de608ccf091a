"""추첨 / Lottery in a real browser against the real fleet (seed §3, issue 28): the whole §3 flow as an operator
walks it — sign in with TOTP → create (a field error first) → upload entries (one bad row: its error shown,
nothing stored; then the fixed file) → close → pre-check → dry run (the histogram drawn) → the confirm dialog
with seats, seed and time → execute (the step-up dialog asked and given) → results → the CSV downloaded and
matching the run → verify ✓ → rollback with a reason. And the Data role: no button to run a draw, a forged POST
refused by the console, and — with the console bypassed — by the lottery service itself.

Step-up, honestly: signing in gives a fresh second factor for five minutes, so before executing the test
presents the console this same login with a second factor six minutes old (tests/console_support.py
stale_session_cookie, as tests/test_identity.py mints stale tokens); the service then asks, and the dialog
takes the operator's next TOTP code."""

import csv
import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from console_service.adapters.session_cookie import COOKIE, SessionCookie
from platform_deploy.operators import Operator
from platform_deploy.services import Fleet
from tests.browser import console_steps
from tests.browser.console_steps import forget_refusals
from tests.browser.support import OpenPage, assert_accessible, screenshot
from tests.console_support import console_account, stale_session_cookie
from tests.support import prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration

KST = ZoneInfo("Asia/Seoul")
KST_MINUTE = re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)")


def sign_in(page: Page, fleet: Fleet, role: str) -> Operator:
    operator = console_account(fleet, role)
    console_steps.sign_in(page, fleet.console.base_url, operator, then="/lottery")
    return operator


def seen(page: Page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, name)


def entrants_csv(users: range, bad: dict[int, str] | None = None) -> bytes:
    lines = ["kakao_user_id,weight"] + [f"{user},{(bad or {}).get(user, 1 + user % 3)}" for user in users]
    return ("\n".join(lines) + "\n").encode()


def table_rows(page: Page) -> list[tuple[int, int]]:
    cells = page.locator("#results tbody tr").all()
    return [(int(row.locator("td").nth(0).inner_text().replace(",", "")), int(row.locator("td").nth(1).inner_text()))
            for row in cells]


# The flow walks some forty pages in two forms (about 90 s); when it is the first test of a run, the fleet's start
# (about 210 s) counts against its time too.
@pytest.mark.timeout(600)
def test_the_whole_draw_through_the_console(fleet: Fleet, open_page: OpenPage) -> None:
    page = open_page("desktop")
    operator = sign_in(page, fleet, "admin")
    seen(page, "lottery-draws")

    campaign = unique_campaign("console")
    draw_at = (fleet.clock.now() + timedelta(hours=2)).astimezone(KST).strftime("%Y-%m-%dT%H:%M")
    page.fill("#f-campaign_id", campaign)
    page.fill("#f-display_name", "콘솔 겨울 추첨")
    page.fill("#f-seats", "0")
    page.fill("#f-waitlist_size", "2")
    page.fill("#f-draw_at", draw_at)
    page.get_by_role("button", name="추첨 만들기").click()
    expect(page.locator("#e-seats")).to_be_visible()  # next to its field; nothing created
    forget_refusals(page, "422")
    assert campaign not in page.locator("table").inner_text()
    page.fill("#f-seats", "3")
    page.get_by_role("button", name="추첨 만들기").click()
    expect(page).to_have_url(re.compile(f"/lottery/draws/{campaign}$"))
    expect(page.locator("h1")).to_have_text("콘솔 겨울 추첨")
    expect(page.locator("dl.facts")).to_contain_text(KST_MINUTE)

    users = range(8_400_001, 8_400_013)
    page.set_input_files("#f-file", {"name": "entrants.csv", "mimeType": "text/csv",
                                     "buffer": entrants_csv(users, bad={8_400_004: "무거움"})})
    page.get_by_role("button", name="가져오기").click()
    errors = page.locator("#row-errors")
    expect(errors).to_contain_text("아무것도 저장하지 않았습니다")
    assert errors.locator("tbody tr").count() == 1
    expect(errors.locator("tbody tr td").nth(0)).to_have_text("5")
    expect(errors.locator("tbody tr td").nth(1)).to_have_text("weight")
    forget_refusals(page, "422")
    seen(page, "lottery-draw")
    # Nothing of the bad file was stored: had one row been kept, the fixed file's batch would be refused
    # whole by the service (a user already entered).
    page.set_input_files("#f-file", {"name": "fixed.csv", "mimeType": "text/csv", "buffer": entrants_csv(users)})
    page.get_by_role("button", name="가져오기").click()
    expect(page.locator(".notice")).to_contain_text("응모 12건을 추가했습니다")

    page.get_by_role("button", name="응모 마감").click()
    expect(page.locator(".notice")).to_contain_text("응모를 마감했습니다")
    expect(page.locator("dl.facts")).to_contain_text("마감(closed)")

    page.get_by_role("button", name="사전점검 실행").click()
    checklist = page.locator("#checklist li")
    expect(checklist).to_have_count(7)
    expect(checklist.nth(0)).to_contain_text("✓")
    expect(checklist.nth(1)).to_contain_text("✗")  # due two hours after the fleet's clock
    seen(page, "lottery-precheck")

    page.get_by_role("button", name="드라이런 실행").click()
    histogram = page.locator("img.histogram")
    expect(histogram).to_be_visible()
    page.wait_for_function("() => { const img = document.querySelector('img.histogram'); "
                           "return img.complete && img.naturalWidth > 0; }")  # the service's picture, drawn
    expect(page.locator("#dry-run .not-final")).to_have_text("최종 결과 아님")
    expect(page.locator("#dry-run ol.sample li")).to_have_count(5)
    seen(page, "lottery-dry-run")

    sealed = next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
    page.context.add_cookies([stale_session_cookie(fleet, operator, sealed)])  # type: ignore[list-item]
    page.fill("#f-early_reason", "후원사 요청으로 발표를 앞당김")
    page.get_by_role("button", name="실행 준비").click()
    dialog = page.locator("dialog.confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("좌석 수(K)")
    expect(dialog.locator("dd").nth(0)).to_have_text("3")
    expect(dialog).to_contain_text("시드 표시값")
    expect(dialog).to_contain_text(KST_MINUTE)
    seen(page, "lottery-confirm")

    dialog.get_by_role("button", name="추첨 실행").click()
    step_up = page.locator("dialog.step-up")
    expect(step_up).to_be_visible()  # the service asked for a fresh second factor; nothing was drawn yet
    step_up.locator("input[name=step_up_code]").fill(operator.totp())
    step_up.get_by_role("button").first.click()
    expect(page).to_have_url(re.compile(r"/lottery/runs/[0-9a-f-]{36}$"))
    run_url = page.url
    winners = table_rows(page)
    assert [rank for rank, _ in winners] == [1, 2, 3]
    seen(page, "lottery-results")
    page.locator("nav.tabs a").nth(1).click()
    expect(page).to_have_url(re.compile(r"place=waitlist"))
    waitlist = table_rows(page)
    assert [rank for rank, _ in waitlist] == [4, 5]

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV 내려받기").click()
    text = download.value.path().read_text(encoding="utf-8")
    placed = [(int(row["rank"]), int(row["kakao_user_id"])) for row in csv.DictReader(io.StringIO(text))
              if row["outcome"] in ("winner", "waitlist")]
    assert placed == winners + waitlist, "the CSV holds exactly the run's winners and waitlist, in rank order"

    page.get_by_role("link", name=re.compile("검증")).click()
    expect(page.locator("#verification")).to_contain_text("✓ 검증 통과")
    seen(page, "lottery-verify")

    page.fill("#f-reason", "좌석 수를 3석으로 잘못 입력했습니다")
    page.get_by_role("button", name="롤백 준비").click()
    confirm = page.locator("dialog.confirm")
    expect(confirm).to_contain_text("3")
    confirm.get_by_role("button", name="롤백").click()  # within five minutes of the step-up: asked no code
    expect(page).to_have_url(run_url)
    expect(page.locator(".alert")).to_contain_text("롤백되었습니다")

    phone = open_page("phone")
    phone.context.add_cookies([{"name": COOKIE, "value": next(
        c["value"] for c in page.context.cookies() if c["name"] == COOKIE), "url": fleet.console.base_url,
        "httpOnly": True, "secure": True, "sameSite": "Strict"}])
    for name, path in (("lottery-draws", "/lottery"), ("lottery-draw", f"/lottery/draws/{campaign}"),
                       ("lottery-results", run_url.split(fleet.console.base_url)[1]),
                       ("lottery-verify", run_url.split(fleet.console.base_url)[1] + "/verify")):
        phone.goto(f"{fleet.console.base_url}{path}")
        seen(phone, name)
    phone.goto(f"{fleet.console.base_url}/lottery/draws/{campaign}")
    phone.get_by_role("button", name="사전점검 실행").click()
    expect(phone.locator("#checklist li")).to_have_count(7)
    seen(phone, "lottery-precheck")
    phone.get_by_role("button", name="드라이런 실행").click()
    expect(phone.locator("img.histogram")).to_be_visible()
    seen(phone, "lottery-dry-run")
    phone.fill("#f-early_reason", "좌석 수 정정 후 재추첨")
    phone.get_by_role("button", name="실행 준비").click()
    expect(phone.locator("dialog.confirm")).to_be_visible()
    seen(phone, "lottery-confirm")


def test_the_data_role_cannot_execute_a_draw(fleet: Fleet, open_page: OpenPage) -> None:
    campaign = unique_campaign("console-data")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=6, seats=2, waitlist_size=1)
    page = open_page("desktop")
    sign_in(page, fleet, "data")
    page.goto(f"{fleet.console.base_url}/lottery/draws/{campaign}")
    expect(page.locator("dl.facts")).to_contain_text("마감(closed)")
    assert page.locator("form[action$='/run/prepare'], form[action$='/run/execute']").count() == 0
    assert page.get_by_role("button", name=re.compile("실행")).count() == 0

    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    base = f"{fleet.console.base_url}/lottery/draws/{campaign}"
    for path in ("run/prepare", "run/execute"):
        forged = page.request.post(f"{base}/{path}", form={"csrf": csrf or "", "token": "x" * 32},
                                   headers={"Origin": fleet.console.base_url})
        assert forged.status == 403 and "역할" in forged.text(), "refused by the console for the role"

    sealed = next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
    session = SessionCookie(fleet.console_session_key).open(sealed)
    assert session is not None
    bearer = {"Authorization": f"Bearer {session.access_token}"}
    lottery = fleet["lottery"].base_url
    prepared = httpx.post(f"{lottery}/draws/{campaign}/runs/prepare", headers=bearer, json={}, timeout=30)
    executed = httpx.post(f"{lottery}/draws/{campaign}/runs/execute", headers=bearer, json={"token": "x" * 32},
                          timeout=30)
    assert (prepared.status_code, executed.status_code) == (403, 403), "and by the service, the console bypassed"
    assert httpx.get(f"{lottery}/draws/{campaign}", headers=bearer, timeout=30).json()["status"] == "closed"

"""A rollback says what is true (runbook §3.5, §14.2), against the real fleet: a draw whose first winner was told,
whose second never got the message, and whose third was told; rolled back with a reason ("the seat count was
wrong"), corrected to two seats, drawn again (same seed, by design). Nothing is said at the rollback; once the
re-run is in, the first hears their seat stands, the second gets the ordinary offer (for them it is news), the
third the correction with the reason and their rights — in Korean, the campaign by its name, times in KST, every
notice under the re-run's id. The in-memory version is tests/test_correction_notices.py."""

import re

import httpx
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import admin_client, prepare_and_execute, wait_for_rows
from platform_deploy.services import Fleet
from platform_shared.contracts.notices import NOTICE_HEADINGS
from tests.support import correct_places_after_close, ok, told_of_their_seat, unique_campaign

pytestmark = pytest.mark.integration

KST_MINUTE = re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)")
REASON = "좌석 수를 3석으로 잘못 입력했습니다(실제 2석)"


def test_after_a_rollback_and_its_re_run_each_person_hears_their_net_change_in_korean(
        fleet: Fleet, infrastructure: Infrastructure) -> None:
    assert fleet.vendor is not None, "the fake vendor keeps what it delivered"
    lottery, notifier = admin_client(fleet["lottery"].base_url), admin_client(fleet["notifier"].base_url)
    vendor = httpx.Client(base_url=fleet.vendor.base_url, timeout=10)
    campaign = unique_campaign("truth")
    ok(lottery.post("/draws", json={"campaign_id": campaign, "display_name": "겨울 콘서트 추첨", "seats": 3,
                                    "waitlist_size": 2, "draw_at": "2026-12-01T20:00:00+09:00"}))
    ok(lottery.post(f"/draws/{campaign}/entries",
                    json={"entries": [{"kakao_user_id": 8_200_000 + n, "weight": 1 + n % 3} for n in range(12)]}))
    ok(lottery.post(f"/draws/{campaign}/close"))

    ok(notifier.post("/sending/pause", json={"reason": "hold the offers until the vendor refuses one"}))
    try:
        _, first = prepare_and_execute(lottery, campaign)
        ranked = [str(r["kakao_user_id"]) for r in ok(lottery.get(f"/runs/{first['id']}"))["results"]]
        kept, never_told, lost = ranked[:3]
        ok(vendor.put("/_behaviour", json={"reject_recipients": [never_told]}))
    finally:
        ok(notifier.post("/sending/resume", json={"reason": "the vendor now refuses one recipient"}))
    try:
        wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={first['id']}&status=sent", 2, 90)
        wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={first['id']}&status=dead", 1, 90)
        assert told_of_their_seat(infrastructure, first["id"], 2) == {kept, lost}
    finally:
        ok(vendor.put("/_behaviour", json={}))

    rollback = ok(lottery.post(f"/runs/{first['id']}/rollback/prepare", json={"reason": REASON}))
    ok(lottery.post(f"/runs/{first['id']}/rollback/confirm", json={"token": rollback["token"]}))
    correct_places_after_close(fleet, campaign, seats=2, waitlist_size=2, reason=REASON)
    _, second = prepare_and_execute(lottery, campaign)

    notices = {n["user_id"]: n for n in wait_for_rows(
        fleet["notifier"].base_url, f"/notifications?run_id={second['id']}&status=sent", 3, 90)}
    assert {user: n["template"] for user, n in notices.items()} == {
        kept: "SEAT_CONFIRMED", never_told: "WINNER_OFFER", lost: "DRAW_ROLLBACK_NOTICE"}, \
        "each by their net change; the rest were never told of a seat and hold none: nothing to say"
    assert {n["run_id"] for n in notices.values()} == {second["id"]}, "every notice carries its run id"
    text = {user: ok(vendor.get(f"/_messages/{n['dedupe_key']}"))["text"] for user, n in notices.items()}

    assert "겨울 콘서트 추첨의 추첨 결과가 정정되었습니다" in text[kept] and "당첨은 그대로 유지됩니다" in text[kept]
    assert text[never_told].startswith("[당첨 안내] 축하합니다! 겨울 콘서트 추첨에 당첨되셨습니다.")
    assert text[lost].startswith("[중요] 추첨 결과 정정 안내\n겨울 콘서트 추첨의 추첨 결과를 정정합니다.")
    assert f"정정 사유: {REASON}" in text[lost] and "이용자 권리:" in text[lost]
    assert all(word in text[lost] for word in NOTICE_HEADINGS[("DRAW_ROLLBACK_NOTICE", "ko")]), "every §14.2 part"
    assert REASON in text[kept]
    for user, message in text.items():
        assert KST_MINUTE.search(message), (user, message)
        assert campaign not in message and "+00:00" not in message and "will be redrawn" not in message, message
    earlier = ok(notifier.get(f"/notifications?run_id={first['id']}"))
    assert not [n for n in earlier if n["template"] == "DRAW_ROLLBACK_NOTICE"], \
        "nothing was said at the rollback, before the outcome was known"

"""A whole campaign through `lottery-ops` alone, in its default language (Korean), against the real fleet (seed §3):
create with a display name → a CSV with one bad row (reported by row and field, nothing stored) → the fixed CSV →
close → pre-check (✗ for the time: the draw is due two hours after the fleet's clock) → dry run → run before its
time with a reason → results → export → verify → roll back with a reason → seats corrected → run again → each
person's notice says their net change (§3.5, §14.2), in Korean, times in KST, every one under the re-run's id.

Who hears what: the first run's three winners; the first and third are told of their seat, the second never gets
the message (the fake vendor refuses that recipient — the test's only hand outside the CLI, with a look at the
waitlist's database to know who was told). Corrected to two seats, the same seed draws the same order: the first
keeps the seat (SEAT_CONFIRMED), the second newly wins (WINNER_OFFER: for them it is news), the third loses it
(DRAW_ROLLBACK_NOTICE with the reason and their rights)."""

import asyncio
import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock
from tests.support import eventually, ok, ops_command, told_of_their_seat, unique_campaign

pytestmark = pytest.mark.integration

KST_MINUTE = re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)")
NAME = "겨울 콘서트 추첨"
REASON = "좌석 수를 3석으로 잘못 입력했습니다(실제 2석)"
EARLY = "후원사 요청으로 발표를 앞당김"


@pytest.fixture(scope="module")
def ops(fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """The command in its default language, on a terminal wide enough that no line of Korean is folded."""
    with pytest.MonkeyPatch.context() as terminal, \
            ops_command(fleet, tmp_path_factory.mktemp("ops") / "session.json") as run:
        terminal.setenv("COLUMNS", "220")
        yield run


def entrants_csv(users: range, bad: dict[int, str] | None = None) -> str:
    lines = ["kakao_user_id,weight"] + [f"{user},{(bad or {}).get(user, 1 + user % 3)}" for user in users]
    return "\n".join(lines) + "\n"


def until(ops: Callable[..., str], arguments: list[str], done: Callable[[Any], bool], what: str) -> Any:
    """The command's `--json` answer once `done` holds (polled with a deadline)."""
    return asyncio.run(eventually(lambda: asyncio.to_thread(lambda: json.loads(ops("--json", *arguments))),
                                  done, timeout=90, what=what))


def statuses(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(row["status"] for row in rows)


def test_a_whole_campaign_through_the_ops_command_in_korean(
        fleet: Fleet, ops: Callable[..., str], clock: Clock, infrastructure: Infrastructure, tmp_path: Path) -> None:
    assert fleet.vendor is not None, "the fake vendor keeps what it delivered"
    operator = fleet.operator("pm")
    assert "계정으로 로그인했습니다" in ops("login", "--account", operator.name, "--password",
                                       operator.credentials.password, "--code", operator.totp())
    campaign = unique_campaign("whole")
    created = ops("draws", "create", campaign, "--display-name", NAME, "--seats", "3", "--waitlist", "2",
                  "--draw-at", (clock.now() + timedelta(hours=2)).isoformat())
    assert NAME in created and KST_MINUTE.search(created), "its draw time in KST to the minute, the zone named"

    wrong = tmp_path / "entrants.csv"
    wrong.write_text(entrants_csv(range(8_300_001, 8_300_013), bad={8_300_004: "무거움"}))
    report = ops("draws", "entries", "import", campaign, str(wrong), code=3)
    assert "│ 5   │ weight │" in report and "1개 행이 잘못되었습니다" in report and "저장되지 않았습니다" in report
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(entrants_csv(range(8_300_001, 8_300_013)))
    assert f"{campaign}에 응모 12건을 추가했습니다" in ops("draws", "entries", "import", campaign, str(fixed))
    assert json.loads(ops("--json", "draws", "close", campaign))["status"] == "closed"

    checklist = ops("draws", "precheck", campaign, code=1)
    # Read as one line: a narrow terminal may wrap the time (rich wraps at the width it finds).
    assert re.search(r"✗ 추첨 시각 도달.*: " + KST_MINUTE.pattern, " ".join(checklist.split())), checklist
    assert "✓ 당첨 인원(K)과 대기 인원(W): K=3 W=2" in checklist and "사전 점검 실패" in checklist
    dry = ops("draws", "dry-run", campaign)
    assert "모의 추첨 (아무것도 저장하지 않음)" in dry and "표본 (최종 아님)" in dry
    assert json.loads(ops("--json", "draws", "dry-run", campaign))["total_entries"] == 12, "the bad file stored none"
    refused = ops("--yes", "draws", "run", campaign, code=3)
    assert "지금 상태에서는 할 수 없는 작업입니다" in refused and "early_reason" in refused, \
        "the lottery refuses it before its time, in the CLI's language (Accept-Language)"

    ops("notifications", "pause", "--reason", "거절할 수신자를 정할 때까지 제안을 잡아 둠")
    try:
        first = json.loads(ops("--json", "--yes", "draws", "run", campaign, "--early-reason", EARLY))
        assert first["status"] == "completed"
        page = ops("draws", "results", first["id"], "--per-page", "2")
        assert "3쪽 중 1쪽 (5자리 중 2자리); 다음은 --page 2" in page
        ranked = json.loads(ops("--json", "draws", "results", first["id"], "--outcome", "winner"))["results"]
        kept, never_told, lost = (str(r["kakao_user_id"]) for r in ranked)
        vendor = httpx.Client(base_url=fleet.vendor.base_url, timeout=10)
        ok(vendor.put("/_behaviour", json={"reject_recipients": [never_told]}))
        assert ops("notifications", "status").startswith("발송: 일시 중지됨"), "the first line says it"
    finally:
        ops("notifications", "resume", "--reason", "수신자 한 명은 업체가 거절함")
    try:
        until(ops, ["notifications", "list", "--run", first["id"]],
              lambda rows: statuses(rows) == ["dead", "sent", "sent"], "two offers sent, one refused")
        assert told_of_their_seat(infrastructure, first["id"], 2) == {kept, lost}
    finally:
        ok(vendor.put("/_behaviour", json={}))

    export = tmp_path / "run.csv"
    assert "바이트를 썼습니다" in ops("draws", "export", first["id"], "--out", str(export))
    assert len(export.read_text().splitlines()) == 13, "the header and every eligible entrant"
    assert "replay_matches" in ops("draws", "verify", first["id"])

    ops("login", "--account", operator.name, "--password", operator.credentials.password, "--code", operator.totp())
    shown = ops("--yes", "draws", "rollback", first["id"], "--reason", REASON)
    assert "실행될 롤백" in shown and REASON in shown
    twice = ops("--yes", "draws", "rollback", first["id"], "--reason", REASON, code=3)
    assert "only a completed run can be rolled back" in twice and re.search("[가-힣]", twice), twice
    # After the close the counts are committed: one operator asks, a second confirms (docs/draw-algorithm.md §8.6).
    asked = json.loads(ops("--json", "draws", "places", campaign, "--seats", "2", "--waitlist", "2",
                           "--reason", REASON))
    # (A token may begin with "-": it goes as an option's value, never as a bare argument.)
    alone = ops("draws", "places-confirm", campaign, "--token", asked["token"], code=3)
    assert "second operator" in alone, alone
    second_operator = fleet.operator("admin")
    ops("login", "--account", second_operator.name, "--password", second_operator.credentials.password,
        "--code", second_operator.totp())
    assert "당첨 2명, 대기 2명; 새 약속값" in ops("draws", "places-confirm", campaign, f"--token={asked['token']}")
    assert [e["kind"] for e in json.loads(ops("--json", "draws", "commitment", campaign))["history"]] == [
        "closed", "run", "rolled_back", "places_changed"]
    second = json.loads(ops("--json", "--yes", "draws", "run", campaign, "--early-reason", EARLY))

    notices = {row["user_id"]: row for row in until(
        ops, ["notifications", "list", "--run", second["id"], "--text"],
        lambda rows: statuses(rows) == ["sent", "sent", "sent"], "the re-run's three notices sent")}
    assert {user: row["template"] for user, row in notices.items()} == {
        kept: "SEAT_CONFIRMED", never_told: "WINNER_OFFER", lost: "DRAW_ROLLBACK_NOTICE"}, \
        "each by their net change; the rest were never told of a seat and hold none: nothing to say"
    assert {row["run_id"] for row in notices.values()} == {second["id"]}, "every notice under the re-run's id"
    text = {user: row["text"] for user, row in notices.items()}
    assert f"{NAME}의 추첨 결과가 정정되었습니다" in text[kept] and "당첨은 그대로 유지됩니다" in text[kept]
    assert REASON in text[kept]
    assert text[never_told].startswith(f"[당첨 안내] 축하합니다! {NAME}에 당첨되셨습니다.")
    assert text[lost].startswith(f"[중요] 추첨 결과 정정 안내\n{NAME}의 추첨 결과를 정정합니다.")
    assert f"정정 사유: {REASON}" in text[lost] and "이용자 권리:" in text[lost]
    for user, message in text.items():
        assert KST_MINUTE.search(message), (user, message)
        assert campaign not in message and "+00:00" not in message, message
        delivered = ok(vendor.get(f"/_messages/{notices[user]['dedupe_key']}"))["text"]
        assert KST_MINUTE.findall(delivered) == KST_MINUTE.findall(message), "what the operator reads was sent"
    listed = ops("notifications", "list", "--run", second["id"])
    assert "알림 3건" in listed and "SEAT_CONFIRMED sent 1" in listed
    earlier = json.loads(ops("--json", "notifications", "list", "--run", first["id"],
                             "--template", "DRAW_ROLLBACK_NOTICE"))
    assert earlier == [], "nothing was said at the rollback, before the outcome was known"
    templates = json.loads(ops("--json", "notifications", "templates"))
    assert {(t["name"], t["locale"]) for t in templates} >= {("SEAT_CONFIRMED", "ko"), ("SEAT_CONFIRMED", "en")}
    assert "locale" in ops("notifications", "templates")

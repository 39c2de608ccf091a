"""Notices to a segment of users on the real fleet (issue 29, seed §1 `INCIDENT_NOTICE`, §14): the lottery knows
who entered and who was refused, so it turns a notice into one `notification_requested` per person per channel,
through its outbox, in one statement; the notifier stores each once. Prepare shows the count, confirm queues;
the same notice asked again queues nothing new; refusals (AdGate failures, a missing sponsor visit) in a window
are a segment of their own; an empty segment and a missing parameter are refused by field, nothing queued."""

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock
from tests.support import eventually, fetch, ok, ops_command, unique_campaign

pytestmark = pytest.mark.integration

ENTRANTS = [9_290_001, 9_290_002, 9_290_003]
NO_VISIT, FORGED = 9_290_011, 9_290_012
INCIDENT = {"notice_time": "2026-12-01T22:10:00+09:00", "affected": "응모", "period": "21:00–21:40 (KST)",
            "action": "AdGate 예외 적용", "retry": "지금 다시 응모해 주세요"}


def queued_at_notifier(fleet: Fleet, key: str) -> list[dict[str, Any]]:
    with admin_client(fleet["notifier"].base_url) as notifier:
        rows = ok(notifier.get("/notifications", params={"template": "INCIDENT_NOTICE", "limit": 10_000}))
    return [row for row in rows if row["dedupe_key"].startswith(f"notice:{key}:")]


def wait_until_consumed(fleet: Fleet, key: str, batches: int) -> None:
    """Every notification the lottery queued under `key` (`batches` confirmations of it) has been applied by the
    notifier's consumer (its inbox holds the event ids): from then on its store says all it will say."""
    lottery_db = fleet.infrastructure.database_urls["lottery"]
    ids = [row["event_id"] for row in asyncio.run(fetch(
        lottery_db, "SELECT event_id FROM outbox_messages WHERE topic = 'notification_requested' "
                    "AND payload::jsonb->>'dedupe_key' LIKE $1", f"notice:{key}:%"))]
    assert len(ids) == batches * len(ENTRANTS) * 2, "one outbox row per person per channel per confirmation"
    asyncio.run(eventually(lambda: fetch(fleet.infrastructure.database_urls["notifier"],
                                         "SELECT count(*) AS n FROM inbox_messages WHERE event_id = ANY($1)", ids),
                           lambda rows: rows[0]["n"] == len(ids), what="the notifier applied every request"))


def test_a_notice_reaches_each_person_once_per_channel_and_refusals_are_a_segment(
        fleet: Fleet, clock: Clock, tmp_path: Path) -> None:
    campaign = unique_campaign("notice")
    lottery_url = fleet["lottery"].base_url
    with admin_client(lottery_url) as admin:
        ok(admin.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                      "draw_at": clock.now().isoformat(), "requires_adgate": True}))
        ok(admin.post(f"/draws/{campaign}/entries",
                      json={"entries": [{"kakao_user_id": user, "weight": 1} for user in ENTRANTS]}))
        notice = {"template": "INCIDENT_NOTICE", "params": INCIDENT, "channels": ["message", "email"],
                  "segment": {"kind": "campaign", "campaign_id": campaign}, "incident_id": "INC-29"}
        prepared = ok(admin.post("/notices/prepare", json=notice))
        assert (prepared["recipients"], prepared["per_channel"]) == (3, {"message": 3, "email": 3})
        assert prepared["sample"] == [str(user) for user in ENTRANTS]
        key = prepared["notice_key"]
        sent = ok(admin.post("/notices/confirm", json={"token": prepared["token"]}))
        assert sent["recipients"] == 3 and sent["notice_key"] == key

    stored = asyncio.run(eventually(lambda: asyncio.to_thread(queued_at_notifier, fleet, key),
                                    lambda rows: len(rows) == 6, what="one INCIDENT_NOTICE per entrant per channel"))
    assert sorted((row["user_id"], row["dedupe_key"].split(":")[2]) for row in stored) == \
        sorted((str(user), channel) for user in ENTRANTS for channel in ("message", "email"))

    # The same notice asked again (by the operator's command, in Korean: the count and the text first).
    with ops_command(fleet, tmp_path / "session.json") as ops:
        operator = fleet.operator("pm")
        ops("login", "--account", operator.name, "--password", operator.credentials.password,
            "--code", operator.totp())
        shown = ops("--yes", "notice", "send", "--template", "INCIDENT_NOTICE", "--campaign", campaign,
                    "--incident", "INC-29", *(f"--param={name}={value}" for name, value in INCIDENT.items()))
        assert "message: 3명" in shown and "email: 3명" in shown and "받는 사람이 읽을 내용 (ko)" in shown, shown
        assert "[안내]" in shown and "대기열에 넣었습니다" in shown, shown
        listed = json.loads(ops("--json", "notice", "list", "--limit", "10"))
    ours = [n for n in listed if n["notice_key"] == key]
    assert [n["recipients"] for n in ours] == [3, 3] and ours[0]["sent_by"] == operator.name, "both stored"
    wait_until_consumed(fleet, key, batches=2)
    assert len(queued_at_notifier(fleet, key)) == 6, "asked twice, still one each"

    # Refusals in a window: an entry without the sponsor visit, a forged sponsor return.
    start = clock.now() - timedelta(seconds=1)
    for user in (NO_VISIT, FORGED):
        with httpx.Client(base_url=lottery_url, timeout=30,
                          headers={"Authorization": f"Bearer {fleet.entrant_token(user)}"}) as entrant:
            if user == NO_VISIT:
                refused = entrant.post(f"/campaigns/{campaign}/entry", json={})
                assert refused.status_code == 409 and refused.json()["field"] == "adgate", "answered as ever"
            else:
                forged = entrant.post(f"/campaigns/{campaign}/adgate/return", json={
                    "campaign_id": campaign, "kakao_user_id": user, "visited_at": int(clock.now().timestamp()),
                    "nonce": "forged-nonce", "signature": "0" * 64})
                assert forged.status_code == 403 and "bad_signature" in forged.text
    until = clock.now() + timedelta(seconds=1)
    window = {"kind": "refused", "from": start.isoformat(), "until": until.isoformat(), "campaign_id": campaign}
    lottery_db = fleet.infrastructure.database_urls["lottery"]
    queued = "SELECT count(*) AS n FROM outbox_messages WHERE topic = 'notification_requested'"
    outbox_before = asyncio.run(fetch(lottery_db, queued))[0]["n"]
    with admin_client(lottery_url) as admin:
        both = ok(admin.post("/notices/prepare", json={**notice, "segment": window}))
        assert (both["recipients"], both["sample"]) == (2, [str(NO_VISIT), str(FORGED)]), "exactly the refused"
        no_visit = ok(admin.post("/notices/prepare", json={**notice, "segment": {**window, "reason": "adgate"}}))
        assert no_visit["sample"] == [str(NO_VISIT)]

        nobody = {**window, "from": (start - timedelta(days=1)).isoformat(),
                  "until": (start - timedelta(hours=23)).isoformat()}
        empty = admin.post("/notices/prepare", json={**notice, "segment": nobody})
        assert empty.status_code == 422 and empty.json()["field"] == "segment", empty.text
        backwards = admin.post("/notices/prepare", json={**notice, "segment": {**window, "until": start.isoformat(),
                                                                                "from": until.isoformat()}})
        assert backwards.status_code == 422 and backwards.json()["field"] == "segment.until", backwards.text
        missing = admin.post("/notices/prepare", json={
            **notice, "params": {name: value for name, value in INCIDENT.items() if name != "retry"}})
        assert missing.status_code == 422 and missing.json()["field"] == "params.retry", missing.text
    outbox_after = asyncio.run(fetch(lottery_db, queued))[0]["n"]
    assert outbox_after == outbox_before, "preparing queues nothing, a refusal nothing either"
    entries = asyncio.run(fetch(lottery_db, "SELECT kakao_user_id FROM entries WHERE campaign_id = $1", campaign))
    assert sorted(r["kakao_user_id"] for r in entries) == ENTRANTS, "the refused entry changed nothing"

"""A SEV2 drill on the real fleet, the way runbook §1, §5.3, §13 and §14.1 run an incident end to end:
AdGate verification failures rise at the lottery → the alert fires in Prometheus → Alertmanager posts a SEV2
message to `#ops-incident` (the messenger stand-in) → the operator opens the incident and applies its first
response (the campaign's exception flag, a new policy version) → the exemption banner is on the public endpoint →
at 23:00 KST an `INCIDENT_NOTICE` is asked for the campaign's entrants by e-mail and Kakao/SMS: held through the
night (seed §0 quiet hours), delivered from 08:00, once per person per channel → resolved → the incident's
timeline lists every step → every service's audit chain verifies.

The night passes by moving the whole fleet's clock (Fleet(movable_clock=True)): to 23:00, then to 07:59:50 the
next morning; forward only, so this test runs after every other one (marker moves_fleet_clock)."""

import asyncio
from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest

from platform_deploy.observability import observability
from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.time.clock import KST, Clock
from tests.alerting import ALERT, DRILL, forge_sponsor_returns
from tests.support import eventually, ok, unique_campaign

pytestmark = [pytest.mark.integration, pytest.mark.moves_fleet_clock]

ENTRANTS = [9_291_001, 9_291_002, 9_291_003]
WAIVED = "일시적으로 스폰서 방문 검증을 면제합니다"  # seed §5.3
NOTICE = {"affected": "응모 (AdGate 스폰서 방문 검증)", "period": "22:10–22:50 (KST)",
          "action": "해당 캠페인의 스폰서 방문 검증을 일시 면제했습니다",
          "retry": "응모에 실패하셨다면 지금 다시 응모해 주세요"}


def next_kst(after: datetime, at: time) -> datetime:
    """The first instant after `after` that reads `at` in Korea."""
    moment = datetime.combine(after.astimezone(KST).date(), at, tzinfo=KST)
    return moment if moment > after else moment + timedelta(days=1)


def until(probe: Any, done: Any, what: str, timeout: float = 60) -> Any:
    return asyncio.run(eventually(lambda: asyncio.to_thread(probe), done, timeout=timeout, what=what))


def test_a_sev2_drill_from_the_alert_to_the_morning_notice(fleet: Fleet) -> None:
    assert fleet.messenger and fleet.smtp and fleet.vendor, "the drill reads the stand-ins' records"
    clock: Clock = fleet.clock
    policy, lottery = admin_client(fleet["policy"].base_url), admin_client(fleet["lottery"].base_url)
    notifier = admin_client(fleet["notifier"].base_url)
    messenger = httpx.Client(base_url=fleet.messenger.base_url, timeout=10)
    campaign = unique_campaign("drill")
    ok(lottery.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                    "draw_at": (clock.now() + timedelta(days=2)).isoformat(),
                                    "requires_adgate": True}))
    ok(lottery.post(f"/draws/{campaign}/entries",
                    json={"entries": [{"kakao_user_id": user, "weight": 1} for user in ENTRANTS]}))
    addresses = {str(user): f"drill.{user}.{campaign[-6:]}@example.com" for user in ENTRANTS}
    ok(notifier.put("/contacts", json={"reason": "공지 수신 주소 (drill)", "contacts": [
        {"user_id": user, "email": address} for user, address in addresses.items()]}))
    start = ok(policy.get("/policy"))

    # 1. The failures rise; Prometheus fires; Alertmanager posts SEV2 to #ops-incident.
    services = {name: service.base_url for name, service in fleet.services.items()}
    with observability(services, fleet.log_dir, fleet.ops_incident_webhook_url, DRILL) as stack:
        assert stack.alertmanager is not None, "Alertmanager did not start: see alertmanager.log"
        with httpx.Client(base_url=stack.prometheus, timeout=10) as prometheus:
            until(lambda: prometheus.get("/api/v1/query", params={"query": "adgate_verify_pass_total"}).json()[
                "data"]["result"], bool, "the AdGate counters scraped")
            asyncio.run(forge_sponsor_returns(fleet, clock, campaign))
            alert = until(lambda: [a for a in prometheus.get("/api/v1/alerts").json()["data"]["alerts"]
                                   if a["labels"]["alertname"] == ALERT and a["state"] == "firing"],
                          bool, f"{ALERT} firing")[0]
        assert alert["labels"]["sev"] == "2"
        paged = until(lambda: [p for p in ok(messenger.get("/_posts", params={"channel": "ops-incident"}))
                               if any(ALERT in a.get("title", "") for a in p["body"].get("attachments", []))],
                      bool, "the SEV2 post on #ops-incident")[-1]
    title = paged["body"]["attachments"][0]["title"]
    assert title.startswith(f"[SEV2 주요 기능 저하] 발생: {ALERT}"), title

    try:
        # 2. The operator opens the incident, names the alert, applies the first response in two steps.
        opened = policy.post("/incidents", json={"sev": 2, "title": "AdGate 검증 실패 급증", "summary": title,
                                                 "campaigns": [campaign], "features": ["adgate", "entry"]})
        assert opened.status_code == 201, opened.text
        number = opened.json()["id"]
        ok(policy.post(f"/incidents/{number}/notes", json={"text": f"#ops-incident 경보: {title}"}))
        prepared = ok(policy.post(f"/incidents/{number}/first-response/prepare",
                                  json={"reason": "스폰서 랜딩 장애 (seed §5.3)"}))
        assert prepared["first_response"] == "adgate_exception"
        done = ok(policy.post(f"/incidents/{number}/first-response/confirm", json={"token": prepared["token"]}))
        assert done["policy_version"] == start["version"] + 1

        # 3. The banner entrants read, on the public endpoint (no login).
        public = httpx.get(f"{fleet['policy'].base_url}/banners", params={"campaign_id": campaign}, timeout=10)
        assert public.status_code == 200 and "public" in public.headers["cache-control"]
        assert [(b["kind"], b["text"]) for b in public.json()["banners"] if b["campaign_id"] == campaign] == \
            [("adgate_exception", WAIVED)]

        # 4. 23:00 KST: the notice to the campaign's entrants, by e-mail and by Kakao/SMS, held for the night.
        fleet.move_clock_to(next_kst(clock.now(), time(23, 0)))
        notice = {"template": "INCIDENT_NOTICE", "channels": ["message", "email"], "incident_id": str(number),
                  "segment": {"kind": "campaign", "campaign_id": campaign},
                  "params": {"notice_time": clock.now().isoformat(), **NOTICE}}
        prepared_notice = ok(lottery.post("/notices/prepare", json=notice))
        assert prepared_notice["per_channel"] == {"message": 3, "email": 3}
        key = prepared_notice["notice_key"]
        ok(lottery.post("/notices/confirm", json={"token": prepared_notice["token"]}))
        ok(policy.post(f"/incidents/{number}/notes", json={"text": f"INCIDENT_NOTICE 요청: 3명 × 2채널 ({key})"}))

        def ours(status: str | None = None) -> list[dict[str, Any]]:
            rows = ok(notifier.get("/notifications", params={"template": "INCIDENT_NOTICE", "limit": 10_000,
                                                              **({"status": status} if status else {})}))
            return [row for row in rows if row["dedupe_key"].startswith(f"notice:{key}:")]

        until(lambda: ours("held"), lambda rows: len(rows) == 6, "six notices held for quiet hours")
        vendor, mailbox = httpx.Client(base_url=fleet.vendor.base_url), httpx.Client(base_url=fleet.smtp.base_url)
        keys = [row["dedupe_key"] for row in ours()]
        assert not any(ok(vendor.get("/_deliveries"))["requests"].get(k) for k in keys), "nothing sent at night"
        assert not any(ok(mailbox.get("/_messages", params={"to": a})) for a in addresses.values())

        # 5. The morning: from 08:00 every one goes out, once.
        fleet.move_clock_to(next_kst(clock.now(), time(7, 59, 50)))
        sent = until(lambda: ours("sent"), lambda rows: len(rows) == 6, "six notices sent after 08:00", 90)
        assert all(datetime.fromisoformat(r["sent_at"]).astimezone(KST).time() >= time(8, 0) for r in sent)
        delivered = ok(vendor.get("/_deliveries"))
        by_vendor = [k for k in keys if ":message:" in k]
        assert [delivered["accepted"].get(k) for k in by_vendor] == [1, 1, 1], "Kakao/SMS once each"
        mails = [ok(mailbox.get("/_messages", params={"to": a})) for a in addresses.values()]
        assert [len(m) for m in mails] == [1, 1, 1], "e-mail once each"
        assert mails[0][0]["subject"].startswith("[안내] 시스템 점검/장애 안내 (")
        assert f"재시도 안내: {NOTICE['retry']}" in mails[0][0]["body"]

        # 6. Resolved; the timeline tells the whole story; every audit chain holds.
        resolved = ok(policy.post(f"/incidents/{number}/status", json={"status": "resolved", "note": "랜딩 복구"}))
        assert resolved["adgate_still_exempt"] == [campaign], "switched off by its own change (seed §5.4)"
        timeline = ok(policy.get(f"/incidents/{number}"))["timeline"]
        assert [entry["kind"] for entry in timeline] == ["opened", "note", "first_response", "note", "status"]
        assert ALERT in timeline[1]["text"] and key in timeline[3]["text"]
        for name in ("policy", "lottery", "notifier"):
            with admin_client(fleet[name].base_url) as service:
                assert ok(service.get("/audit/verify"))["intact"] is True, name
    finally:
        tidy = ok(policy.post(f"/policy/versions/{start['version']}/rollback/prepare", json={"reason": "drill over"}))
        ok(policy.post("/policy/rollback/confirm", json={"token": tidy["token"]}))

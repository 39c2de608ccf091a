"""An alert reaches `#ops-incident` (seed §1) through a real Alertmanager, named by its SEV (seed §13): AdGate
verification failures rise at the real lottery (forged sponsor returns, seed §5.1 "오탐 급증") → Prometheus fires
AdGateVerifyFailuresRising → Alertmanager posts a SEV2 message to the messenger stand-in, which refuses the first
try: Alertmanager tries again and the post arrives."""

import time

import httpx
import pytest

from platform_deploy.observability import observability
from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock
from tests.alerting import ALERT, DRILL, alerts, forge_sponsor_returns, post_about, query, slack
from tests.support import eventually, ok, unique_campaign

pytestmark = pytest.mark.integration


async def test_adgate_failures_page_ops_incident_as_sev2_through_alertmanager_despite_a_refused_first_post(
        fleet: Fleet, clock: Clock) -> None:
    if fleet.messenger is None:
        pytest.skip("OPS_INCIDENT_WEBHOOK_URL names a real messenger: this test reads the stand-in's posts")
    campaign = unique_campaign("adgate-alert")
    with admin_client(fleet["lottery"].base_url) as admin:
        ok(admin.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                      "draw_at": clock.now().isoformat(), "requires_adgate": True}))
    services = {name: service.base_url for name, service in fleet.services.items()}
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=fleet.messenger.base_url, timeout=10) as messenger:
        ok(await messenger.put("/_behaviour", json={"fail_next": 1}))
        try:
            with observability(services, fleet.log_dir, fleet.ops_incident_webhook_url, DRILL) as stack:
                assert stack.alertmanager is not None, "Alertmanager did not start: see alertmanager.log"
                async with httpx.AsyncClient(base_url=stack.prometheus, timeout=10) as prometheus:
                    # Prometheus holds the counters before the burst, so the burst is a rise it can see.
                    await eventually(lambda: query(prometheus, "adgate_verify_pass_total"), bool, timeout=30,
                                     what="the lottery's AdGate counters scraped")
                    await forge_sponsor_returns(fleet, clock, campaign)
                    firing = await eventually(lambda: alerts(prometheus), lambda found: any(
                        a["labels"]["alertname"] == ALERT and a["state"] == "firing" for a in found),
                                              timeout=30, what=f"{ALERT} firing in Prometheus")
                    [alert] = [a for a in firing if a["labels"]["alertname"] == ALERT]
                    assert (alert["labels"]["sev"], alert["labels"]["job"]) == ("2", "lottery")

                    post = await eventually(lambda: post_about(messenger, ALERT), bool, timeout=30,
                                            what=f"{ALERT} posted to #ops-incident")
                    assert post is not None
                    body = post["body"]
                    [attachment] = body["attachments"]
                    assert body["channel"] == "#ops-incident"
                    assert attachment["title"].startswith(f"[SEV2 주요 기능 저하] 발생: {ALERT}"), attachment
                    text = attachment["text"]
                    assert "초기 대응: 예외 플래그" in text and "AdGate 스폰서 방문 검증 실패율" in text, text
                    assert "seed §5.3" in text and " KST:" in text, text

                    async with httpx.AsyncClient(base_url=stack.alertmanager, timeout=10) as alertmanager:
                        metrics = (await alertmanager.get("/metrics")).text
                    # Each request to the webhook, then each notification: one refused, tried again, delivered.
                    assert slack(metrics, "alertmanager_notification_requests_failed_total") >= 1
                    assert slack(metrics, "alertmanager_notification_requests_total") >= 2
                    assert slack(metrics, "alertmanager_notifications_failed_total") == 0
        finally:
            ok(await messenger.put("/_behaviour", json={}))
    assert time.monotonic() - started < 45, "a drill of seconds, not minutes"

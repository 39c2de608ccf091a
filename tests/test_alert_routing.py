"""An alert reaches `#ops-incident` (seed §1) through a real Alertmanager, named by its SEV (seed §13): AdGate
verification failures rise at the real lottery (forged sponsor returns, seed §5.1 "오탐 급증") → Prometheus fires
AdGateVerifyFailuresRising → Alertmanager posts a SEV2 message to the messenger stand-in, which refuses the first
try: Alertmanager tries again and the post arrives."""

import time
from typing import Any

import httpx
import pytest

from platform_deploy.observability import Pace, observability
from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock
from tests.support import eventually, ok, unique_campaign

pytestmark = pytest.mark.integration

ALERT = "AdGateVerifyFailuresRising"
DRILL = Pace(scrape_seconds=1, pending_for="1s", group_wait="1s", only=frozenset({ALERT}))
"""Seconds, not minutes, for the test only: scrape and evaluate every second, the rule's `for: 2m` shortened to
1 s, Alertmanager's group_wait of 30 s to 1 s; and only this rule, so no other alert posts beside it.
deploy/prometheus/alerts.yml and deploy/alertmanager/alertmanager.yml keep the production values."""
FORGED = 25
"""Over the rule's floor of 20 refusals in 5 minutes."""
ENTRANT = 9_290_001


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
                    await eventually(lambda: _query(prometheus, "adgate_verify_pass_total"), bool, timeout=30,
                                     what="the lottery's AdGate counters scraped")
                    await _forge_sponsor_returns(fleet, clock, campaign, FORGED)
                    firing = await eventually(lambda: _alerts(prometheus), lambda found: any(
                        a["labels"]["alertname"] == ALERT and a["state"] == "firing" for a in found),
                                              timeout=30, what=f"{ALERT} firing in Prometheus")
                    [alert] = [a for a in firing if a["labels"]["alertname"] == ALERT]
                    assert (alert["labels"]["sev"], alert["labels"]["job"]) == ("2", "lottery")

                    post = await eventually(lambda: _post_about(messenger, ALERT), bool, timeout=30,
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
                    assert _slack(metrics, "alertmanager_notification_requests_failed_total") >= 1
                    assert _slack(metrics, "alertmanager_notification_requests_total") >= 2
                    assert _slack(metrics, "alertmanager_notifications_failed_total") == 0
        finally:
            ok(await messenger.put("/_behaviour", json={}))
    assert time.monotonic() - started < 45, "a drill of seconds, not minutes"


async def _forge_sponsor_returns(fleet: Fleet, clock: Clock, campaign: str, count: int) -> None:
    """Sponsor returns signed with the wrong key: each refused (403) as bad_signature and counted."""
    token = fleet.entrant_token(ENTRANT)
    forged = {"campaign_id": campaign, "kakao_user_id": ENTRANT, "visited_at": int(clock.now().timestamp()),
              "utm_source": "sponsor", "utm_medium": "banner", "utm_campaign": campaign[:100], "nonce": "forged-01",
              "signature": "0" * 64}
    async with httpx.AsyncClient(base_url=fleet["lottery"].base_url, timeout=10,
                                 headers={"Authorization": f"Bearer {token}"}) as lottery:
        for _ in range(count):
            refused = await lottery.post(f"/campaigns/{campaign}/adgate/return", json=forged)
            assert refused.status_code == 403 and "bad_signature" in refused.text, refused.text


async def _query(prometheus: httpx.AsyncClient, query: str) -> list[dict[str, Any]]:
    answer = (await prometheus.get("/api/v1/query", params={"query": query})).json()
    return list(answer["data"]["result"])


async def _alerts(prometheus: httpx.AsyncClient) -> list[dict[str, Any]]:
    return list((await prometheus.get("/api/v1/alerts")).json()["data"]["alerts"])


async def _post_about(messenger: httpx.AsyncClient, alertname: str) -> dict[str, Any] | None:
    posts = (await messenger.get("/_posts", params={"channel": "ops-incident"})).json()
    about = [p for p in posts if any(alertname in a.get("title", "") for a in p["body"].get("attachments", []))]
    return about[-1] if about else None


def _slack(metrics: str, name: str) -> float:
    """The sum of `name` over its series for the Slack integration (whatever other labels this version adds)."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith(name + "{") and 'integration="slack"' in line)

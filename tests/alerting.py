"""What the alerting tests share (seed §1 `#ops-incident`, §13): the drill pace, AdGate failures caused at the real
lottery, and reading Prometheus, Alertmanager and the messenger stand-in."""

from typing import Any

import httpx

from platform_deploy.observability import Pace
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock

ALERT = "AdGateVerifyFailuresRising"
DRILL = Pace(scrape_seconds=1, pending_for="1s", group_wait="1s", only=frozenset({ALERT}))
"""Seconds, not minutes, for the test only: scrape and evaluate every second, the rule's `for: 2m` shortened to
1 s, Alertmanager's group_wait of 30 s to 1 s; and only this rule, so no other alert posts beside it.
deploy/prometheus/alerts.yml and deploy/alertmanager/alertmanager.yml keep the production values."""
FORGED = 25
"""Over the rule's floor of 20 refusals in 5 minutes."""
ENTRANT = 9_290_001


async def forge_sponsor_returns(fleet: Fleet, clock: Clock, campaign: str, count: int = FORGED) -> None:
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


async def query(prometheus: httpx.AsyncClient, query: str) -> list[dict[str, Any]]:
    answer = (await prometheus.get("/api/v1/query", params={"query": query})).json()
    return list(answer["data"]["result"])


async def alerts(prometheus: httpx.AsyncClient) -> list[dict[str, Any]]:
    return list((await prometheus.get("/api/v1/alerts")).json()["data"]["alerts"])


async def post_about(messenger: httpx.AsyncClient, alertname: str) -> dict[str, Any] | None:
    posts = (await messenger.get("/_posts", params={"channel": "ops-incident"})).json()
    about = [p for p in posts if any(alertname in a.get("title", "") for a in p["body"].get("attachments", []))]
    return about[-1] if about else None


def slack(metrics: str, name: str) -> float:
    """The sum of `name` over its series for the Slack integration (whatever other labels this version adds)."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith(name + "{") and 'integration="slack"' in line)

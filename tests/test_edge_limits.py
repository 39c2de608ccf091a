"""Abuse limits on the public edge with real processes (issue 12): a body over the edge's limit is 413
before anything reads it; an address, and separately a logged-in entrant, past their rate get 429 with
Retry-After, while others and the ops routes go on. The tests share one lottery replica with low limits, so
the fleet keeps its defaults; each comes from an address of its own (all of 127.0.0.0/8 is this machine), as
the edge counts per TCP peer."""

from collections.abc import Iterator

import httpx
import pytest

from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet, ServiceProcess
from platform_shared.time.clock import Clock
from tests.support import ok, unique_campaign

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def strict_lottery(fleet: Fleet) -> Iterator[ServiceProcess]:
    replica = ServiceProcess("lottery", fleet["lottery"].base_env, fleet.log_dir)
    replica.start({"EDGE_RATE_PER_ADDRESS": "5/minute", "EDGE_RATE_PER_ENTRANT": "3/minute",
                   "EDGE_MAX_BODY_BYTES": "2048"})
    try:
        yield replica
    finally:
        replica.stop()


def client_from(replica: ServiceProcess, address: str) -> httpx.Client:
    return httpx.Client(base_url=replica.base_url, timeout=30,
                        transport=httpx.HTTPTransport(local_address=address))


@pytest.fixture
def campaign(fleet: Fleet, clock: Clock) -> str:
    campaign = unique_campaign("edge")
    with admin_client(fleet["lottery"].base_url) as admin:
        ok(admin.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                      "draw_at": clock.now().isoformat()}))
    return campaign


def bearer(fleet: Fleet, user: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {fleet.entrant_token(user)}"}


def test_an_address_past_its_rate_gets_429_and_ops_routes_go_on(
        strict_lottery: ServiceProcess, campaign: str) -> None:
    with client_from(strict_lottery, "127.0.0.2") as lottery, client_from(strict_lottery, "127.0.0.3") as other:
        answers = [lottery.get(f"/campaigns/{campaign}").status_code for _ in range(6)]
        assert answers == [200] * 5 + [429]
        refused = lottery.get(f"/campaigns/{campaign}")
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "too many requests" in refused.json()["message"]
        assert lottery.get("/health").status_code == 200, "health and metrics are not the edge"
        assert other.get(f"/campaigns/{campaign}").status_code == 200, "another address goes on"


def test_an_entrant_past_their_rate_gets_429_while_others_go_on(
        fleet: Fleet, strict_lottery: ServiceProcess, campaign: str) -> None:
    with client_from(strict_lottery, "127.0.0.4") as lottery:
        greedy, other = bearer(fleet, 9_300_001), bearer(fleet, 9_300_002)
        answers = [lottery.get(f"/campaigns/{campaign}/entry", headers=greedy).status_code for _ in range(4)]
        assert answers == [404, 404, 404, 429], "not entered (404) until the rate is spent"
        assert lottery.get(f"/campaigns/{campaign}/entry", headers=other).status_code == 404


def test_a_body_over_the_edge_limit_is_413_and_admin_imports_keep_their_room(
        fleet: Fleet, strict_lottery: ServiceProcess, campaign: str) -> None:
    with client_from(strict_lottery, "127.0.0.5") as lottery:
        huge = lottery.post(f"/campaigns/{campaign}/entry", headers=bearer(fleet, 9_300_003),
                            content=b'{"padding": "' + b"x" * 4096 + b'"}',
                            )
        assert huge.status_code == 413 and "over 2048 bytes" in huge.text
        entries = [{"kakao_user_id": 9_400_000 + n, "weight": 1} for n in range(200)]  # ~9 KB
        with admin_client(str(lottery.base_url)) as admin:
            assert admin.post(f"/draws/{campaign}/entries", json={"entries": entries}).status_code == 201

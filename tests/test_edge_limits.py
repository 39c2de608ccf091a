"""Abuse limits on the public edge with real processes (issue 12): a body over the edge's limit is 413
before anything reads it; an address, and separately a logged-in entrant, past their rate get 429 with
Retry-After, while others and the ops routes go on. The tests share one lottery replica with low limits, so
the fleet keeps its defaults; each comes from an address of its own (all of 127.0.0.0/8 is this machine), as
the edge counts per TCP peer."""

import contextlib
import socket
import threading
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
                   "EDGE_MAX_BODY_BYTES": "2048", "TRUSTED_PROXIES": TRUSTED_PROXY})
    try:
        yield replica
    finally:
        replica.stop()


TRUSTED_PROXY = "127.0.0.9"
"""The one address whose X-Forwarded-For the strict replica believes (TRUSTED_PROXIES)."""


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


def test_a_typed_forwarding_header_does_not_move_a_client_to_another_address(
        strict_lottery: ServiceProcess, campaign: str) -> None:
    with client_from(strict_lottery, "127.0.0.6") as lottery:
        answers = [lottery.get(f"/campaigns/{campaign}", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
                   for n in range(6)]
    assert answers == [200] * 5 + [429], "six forged addresses, one real client: its limit holds"


def test_behind_a_trusted_proxy_the_limit_follows_the_forwarded_client(
        strict_lottery: ServiceProcess, campaign: str) -> None:
    with client_from(strict_lottery, TRUSTED_PROXY) as proxy:
        one = [proxy.get(f"/campaigns/{campaign}", headers={"X-Forwarded-For": "203.0.113.7"}).status_code
               for _ in range(6)]
        other = proxy.get(f"/campaigns/{campaign}", headers={"X-Forwarded-For": "203.0.113.8"}).status_code
    assert (one, other) == ([200] * 5 + [429], 200)


def status_of_a_huge_anonymous_body(base_url: str, path: str, size: int, *, chunked: bool) -> int:
    """Send `size` bytes to `path` without a token, from a thread, and read the answer's status line as soon
    as it comes: the edge answers before the body is sent, so the sender may be cut off mid-way."""
    url = httpx.URL(base_url)
    framing = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % size
    head = b"POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n%s\r\n\r\n" % (
        path.encode(), url.host.encode(), framing)
    piece = b"x" * (1 << 16)
    with socket.create_connection((url.host, url.port), timeout=30) as connection:
        def send_all() -> None:
            with contextlib.suppress(OSError):
                connection.sendall(head)
                for _ in range(size // len(piece)):
                    connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                connection.sendall(b"0\r\n\r\n" if chunked else b"")

        sender = threading.Thread(target=send_all, daemon=True)
        sender.start()
        status_line = connection.makefile("rb").readline()
        connection.shutdown(socket.SHUT_RDWR)
        sender.join(timeout=30)
    return int(status_line.split()[1])


@pytest.mark.parametrize("chunked", [False, True], ids=["with a length", "chunked"])
def test_an_anonymous_40_mib_body_to_an_admin_route_is_refused_before_it_is_held(
        strict_lottery: ServiceProcess, campaign: str, chunked: bool) -> None:
    before = strict_lottery.peak_memory_kib
    status = status_of_a_huge_anonymous_body(strict_lottery.base_url, f"/draws/{campaign}/entries", 40 << 20,
                                             chunked=chunked)
    after = strict_lottery.peak_memory_kib
    assert status == 413, "no token: the edge's small limit, not the admin one"
    assert before is not None and after is not None and after - before < 20 * 1024, (before, after)

"""A login flood against the policy service (SPEC §7, seed §2): 40 parallel logins for names no account has,
each from an address of its own (so no rate refuses them and every one costs its argon2 check), while
`/health` is probed one request after another from a thread of its own. Prints `/health`'s latency before and
during the flood and their same-run ratio; the goal is p99 under 200 ms during the flood.

    uv run python -m benchmarks.login_flood [--logins 40]

Starts a throwaway fleet. tests/test_login_throttle.py runs the same flood and checks only that `/health`
kept answering (timing goals live here, not in the tests)."""

import argparse
import asyncio
import secrets
import statistics
import threading
import time
from dataclasses import dataclass
from uuid import uuid4

import httpx

from platform_deploy.infra import provide_infrastructure
from platform_deploy.services import Fleet


@dataclass(frozen=True)
class FloodFigures:
    before: list[float]
    """`/health` latencies, in seconds, for 3 s before the flood"""
    during: list[float]
    took: float
    """seconds from the first login sent to the last answered"""
    statuses: list[int]


def health_latencies(base_url: str, stop: threading.Event) -> list[float]:
    """`/health` answered, one request after another on a client of its own, until `stop` (20 at least)."""
    latencies: list[float] = []
    with httpx.Client(base_url=base_url, timeout=120,
                      transport=httpx.HTTPTransport(local_address="127.0.3.200")) as client:
        while not stop.is_set() or len(latencies) < 20:
            started = time.perf_counter()
            client.get("/health").raise_for_status()
            latencies.append(time.perf_counter() - started)
            stop.wait(0.02)
    return latencies


async def flood(base_url: str, logins: int = 40) -> FloodFigures:
    # Made before the clock starts: each client loads its CA bundle.
    clients = [httpx.AsyncClient(base_url=base_url, timeout=300,
                                 transport=httpx.AsyncHTTPTransport(local_address=f"127.0.3.{n + 1}"))
               for n in range(logins)]
    quiet = threading.Event()
    quiet_probe = asyncio.create_task(asyncio.to_thread(health_latencies, base_url, quiet))
    await asyncio.sleep(3)
    quiet.set()
    before = await quiet_probe

    async def log_in(client: httpx.AsyncClient) -> int:
        async with client:
            answer = await client.post("/auth/login", json={"account": f"nobody-{uuid4().hex[:8]}",
                                                            "password": "x" * 16, "totp": "123456"})
            return answer.status_code

    done = threading.Event()
    probe = asyncio.create_task(asyncio.to_thread(health_latencies, base_url, done))
    started = time.perf_counter()
    try:
        statuses = await asyncio.gather(*(log_in(client) for client in clients))
    finally:
        done.set()
    return FloodFigures(before, await probe, time.perf_counter() - started, list(statuses))


def summary(latencies: list[float]) -> str:
    p99 = statistics.quantiles(latencies, n=100, method="inclusive")[98]
    return (f"×{len(latencies)}: median {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=40)
    args = parser.parse_args()
    with provide_infrastructure() as infra:
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32))
        fleet.start()
        try:
            figures = asyncio.run(flood(fleet["policy"].base_url, args.logins))
        finally:
            fleet.stop()
    before = statistics.quantiles(figures.before, n=100, method="inclusive")[98]
    during = statistics.quantiles(figures.during, n=100, method="inclusive")[98]
    print(f"/health before: {summary(figures.before)}")
    print(f"{args.logins} logins took {figures.took:.1f} s (answers {sorted(set(figures.statuses))}); "
          f"/health meanwhile: {summary(figures.during)}")
    print(f"p99 during / before: {during / before:.1f}x; goal p99 < 200 ms: {'met' if during < 0.2 else 'NOT met'}")


if __name__ == "__main__":
    main()

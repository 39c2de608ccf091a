"""Authenticated single-entry submissions against the real stack (issue 12, SPEC §8): requests/s and p50/p99
latency of `POST /campaigns/{id}/entry` with a Kakao ID token, each entrant entering once, at a steady
load from a fixed number of concurrent clients. Prints figures, asserts nothing.

    uv run python benchmarks/entrant_entries.py [--entrants 6000] [--concurrency 32]

Brings up Kafka, PostgreSQL, the four services and the Kakao stand-in (as `platform demo` does); the edge's
rate limits are raised so they do not throttle the one load generator (the limiter still runs). Tokens are
minted before the clock starts. Afterwards it reads the stand-in's counters: the services fetched its keys
at start, not per request.
"""

import argparse
import asyncio
import secrets
import statistics
import time
from datetime import UTC, datetime

import httpx

from platform_deploy.infra import provide_infrastructure
from platform_deploy.scenario import admin_client, check
from platform_deploy.services import Fleet


async def submit_all(base_url: str, campaign: str, tokens: list[str], concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for token in tokens:
        queue.put_nowait(token)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        async def worker() -> None:
            while not queue.empty():
                token = queue.get_nowait()
                started = time.perf_counter()
                answer = await client.post(f"/campaigns/{campaign}/entry", json={},
                                           headers={"Authorization": f"Bearer {token}"})
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 201:
                    raise RuntimeError(f"entry refused: {answer.status_code} {answer.text}")

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - began, latencies


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=1000)[int(share * 1000) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrants", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with provide_infrastructure() as infra:
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32),
                      extra_env={"EDGE_RATE_PER_ADDRESS": "1000000/minute"})
        try:
            fleet.start()
            assert fleet.kakao is not None, "the benchmark mints tokens at the stand-in"
            campaign = f"bench-{secrets.token_hex(4)}"
            with admin_client(fleet["lottery"].base_url) as admin:
                check(admin.post("/draws", json={"campaign_id": campaign, "seats": 10, "waitlist_size": 0,
                                                 "draw_at": datetime.now(UTC).isoformat()}))
            tokens = [fleet.entrant_token(30_000_000 + n) for n in range(args.entrants)]
            warm = tokens[: args.concurrency * 4]
            asyncio.run(submit_all(fleet["lottery"].base_url, campaign, warm, args.concurrency))
            keys_before = httpx.get(f"{fleet.kakao.base_url}/_stats", timeout=10).json()
            elapsed, latencies = asyncio.run(submit_all(fleet["lottery"].base_url, campaign,
                                                        tokens[len(warm):], args.concurrency))
            keys_after = httpx.get(f"{fleet.kakao.base_url}/_stats", timeout=10).json()
        finally:
            fleet.stop()
    count = len(latencies)
    print(f"entries: {count:,} authenticated single-entry submissions, {args.concurrency} concurrent clients, "
          f"one lottery process (2-core machine, load generator on the same cores)")
    print(f"throughput: {count / elapsed:,.0f} req/s ({elapsed:.1f} s)")
    p50, p99 = 1000 * statistics.median(latencies), 1000 * percentile(latencies, 0.99)
    print(f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {1000 * max(latencies):.1f} ms")
    print(f"issuer calls during the run: {keys_before} → {keys_after}")


if __name__ == "__main__":
    main()

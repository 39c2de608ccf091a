"""Authenticated single-entry submissions against the real stack (SPEC §8): requests/s and p50/p99
latency of `POST /campaigns/{id}/entry` with a Kakao ID token, each entrant entering once, at a steady
load from a fixed number of open connections. Prints figures, asserts nothing.

    uv run python benchmarks/entrant_entries.py [--seconds 10] [--connections 32] [--lottery-replicas 1]

The load comes from `wrk` (C, Debian package `wrk`) with `entrant_entries.lua`, so the generator costs the
two cores little; without wrk it falls back to httpx (which saturates a core by itself: say so when quoting).
Brings up Kafka, PostgreSQL, the four services and the Kakao stand-in (as `platform demo` does); the edge's
rate limits are raised so they do not throttle the one load generator (the limiter still runs). Tokens are
minted before the clock starts. Afterwards it reads the stand-in's counters (the services fetched its keys
at start, not per request) and counts the entries stored.
"""

import argparse
import asyncio
import json
import secrets
import shutil
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import asyncpg
import httpx

from platform_deploy.infra import provide_infrastructure
from platform_deploy.scenario import admin_client, check
from platform_deploy.services import Fleet, ServiceProcess

WRK_SCRIPT = Path(__file__).with_name("entrant_entries.lua")


def mint(fleet: Fleet, count: int, first_user: int) -> list[str]:
    assert fleet.kakao is not None, "the benchmark mints tokens at the stand-in"
    with httpx.Client(base_url=fleet.kakao.base_url, timeout=10) as kakao:
        return [kakao.post("/_mint", json={"sub": str(first_user + n)}).raise_for_status().json()["id_token"]
                for n in range(count)]


def wrk_load(urls: list[str], campaign: str, tokens: list[str], seconds: int, connections: int) -> dict[str, float]:
    """wrk against the first lottery URL (replicas share its port range: see --lottery-replicas)."""
    threads = 2
    with TemporaryDirectory() as scratch:
        token_file = Path(scratch) / "tokens"
        token_file.write_text("\n".join(tokens) + "\n")
        done = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                               "-s", str(WRK_SCRIPT), urls[0], "--", str(token_file), campaign, str(threads)],
                              capture_output=True, text=True, check=True)
    [line] = [line for line in done.stdout.splitlines() if line.startswith("wrk-json ")]
    figures = json.loads(line.removeprefix("wrk-json "))
    return {"requests": figures["requests"], "seconds": figures["duration_us"] / 1e6,
            "refused": figures["non_2xx"] + figures["errors"], "p50_ms": figures["p50_us"] / 1000,
            "p99_ms": figures["p99_us"] / 1000, "max_ms": figures["max_us"] / 1000}


async def httpx_load(url: str, campaign: str, tokens: list[str], connections: int) -> dict[str, float]:
    latencies: list[float] = []
    refused = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for token in tokens:
        queue.put_nowait(token)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        async def worker() -> None:
            nonlocal refused
            while not queue.empty():
                token = queue.get_nowait()
                started = time.perf_counter()
                answer = await client.post(f"/campaigns/{campaign}/entry", json={},
                                           headers={"Authorization": f"Bearer {token}"})
                latencies.append(time.perf_counter() - started)
                refused += answer.status_code != 201

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    p99 = statistics.quantiles(latencies, n=100)[98]
    return {"requests": len(latencies), "seconds": elapsed, "refused": refused,
            "p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * p99, "max_ms": 1000 * max(latencies)}


async def stored_entries(database_url: str, campaign: str) -> int:
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return int(await connection.fetchval("SELECT count(*) FROM entries WHERE campaign_id = $1", campaign))
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--entrants", type=int, default=0, help="tokens to mint (default: 2,500 per second)")
    parser.add_argument("--httpx", action="store_true", help="use the Python load generator even if wrk is here")
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None and not args.httpx
    entrants = args.entrants or 2_500 * args.seconds
    with provide_infrastructure() as infra:
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32),
                      extra_env={"EDGE_RATE_PER_ADDRESS": "100000000/minute"})
        try:
            fleet.start()
            lottery: ServiceProcess = fleet["lottery"]
            campaign = f"bench-{secrets.token_hex(4)}"
            with admin_client(lottery.base_url) as admin:
                check(admin.post("/draws", json={"campaign_id": campaign, "seats": 10, "waitlist_size": 0,
                                                 "draw_at": datetime.now(UTC).isoformat()}))
            warm, tokens = mint(fleet, 500, 20_000_000), mint(fleet, entrants, 30_000_000)
            asyncio.run(httpx_load(lottery.base_url, campaign, warm, 8))
            assert fleet.kakao is not None
            keys_before = httpx.get(f"{fleet.kakao.base_url}/_stats", timeout=10).json()
            if use_wrk:
                figures = wrk_load([lottery.base_url], campaign, tokens, args.seconds, args.connections)
            else:
                figures = asyncio.run(httpx_load(lottery.base_url, campaign, tokens, args.connections))
            keys_after = httpx.get(f"{fleet.kakao.base_url}/_stats", timeout=10).json()
            stored = asyncio.run(stored_entries(infra.database_urls["lottery"], campaign)) - len(warm)
        finally:
            fleet.stop()
    generator = "wrk (2 threads)" if use_wrk else "httpx (asyncio, one core)"
    print(f"load: {generator}, {args.connections} connections, one lottery process, all on this machine's cores")
    print(f"entries: {figures['requests']:,.0f} answered, {figures['refused']:,.0f} refused, {stored:,} stored")
    print(f"throughput: {figures['requests'] / figures['seconds']:,.0f} req/s ({figures['seconds']:.1f} s)")
    print(f"latency: p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms")
    print(f"issuer calls during the run: {keys_before} → {keys_after}")


if __name__ == "__main__":
    main()

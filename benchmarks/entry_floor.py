"""The floor next to the service: the same wrk load as benchmarks/entrant_entries.py against
benchmarks/entry_floor_app.py — token verification and one INSERT, nothing else — on the same PostgreSQL, with
1 and 2 uvicorn workers. Prints figures, asserts nothing.

    uv run python -m benchmarks.entry_floor [--seconds 10] [--connections 32]

Whatever the floor reaches is more than the service can on this machine: it is what is left after taking
away everything the issue asks the entry to do.
"""

import argparse
import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from benchmarks.entrant_entries import wrk_load
from platform_deploy.infra import provide_infrastructure

AUDIENCE = "floor-app"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def create_table(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("CREATE TABLE IF NOT EXISTS floor_entries (id bigserial PRIMARY KEY, "
                                 "campaign_id text NOT NULL, kakao_user_id bigint NOT NULL, "
                                 "created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (campaign_id, kakao_user_id))")
    finally:
        await connection.close()


def run_floor(url: str, public_pem: str, tokens: list[str], workers: int, seconds: int,
              connections: int) -> dict[str, float]:
    port = free_port()
    env = {**os.environ, "FLOOR_DATABASE_URL": url, "FLOOR_PUBLIC_KEY": public_pem, "FLOOR_AUDIENCE": AUDIENCE}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "benchmarks.entry_floor_app:app", "--port", str(port),
                               "--workers", str(workers), "--log-level", "warning", "--no-access-log"], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/docs", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        campaign = f"floor-{secrets.token_hex(4)}"
        return wrk_load([base], campaign, tokens, seconds, connections)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    expires = datetime.now(UTC) + timedelta(hours=1)
    tokens = [jwt.encode({"sub": str(40_000_000 + n), "aud": AUDIENCE, "iss": "floor", "exp": expires}, key,
                         algorithm="RS256") for n in range(4_000 * args.seconds)]
    with provide_infrastructure() as infra:
        url = infra.database_urls["lottery"].replace("postgresql+asyncpg://", "postgresql://")
        asyncio.run(create_table(url))
        for workers in (1, 2):
            figures = run_floor(url, public_pem, tokens, workers, args.seconds, args.connections)
            print(f"floor, {workers} uvicorn worker(s), {args.connections} connections, wrk 2 threads: "
                  f"{figures['requests'] / figures['seconds']:,.0f} req/s, p50 {figures['p50_ms']:.1f} ms, "
                  f"p99 {figures['p99_ms']:.1f} ms, {figures['refused']:,.0f} refused")


if __name__ == "__main__":
    main()

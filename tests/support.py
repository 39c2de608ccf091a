"""Helpers for integration tests: read a service's database, drive a draw, wait with a deadline."""

import asyncio
import os
import shlex
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaProducer
from typer.testing import CliRunner

from platform_deploy.infra import Infrastructure
from platform_deploy.ops.cli import app as ops_app
from platform_deploy.scenario import admin_client, admin_http, create_closed_draw, prepare_and_execute
from platform_deploy.services import Fleet
from platform_shared.client.lottery import LotteryClient
from platform_shared.service.migrations import upgrade_to_head

T = TypeVar("T")


def plain_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")


async def fetch(database_url: str, query: str, *args: object) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        return await connection.fetch(query, *args)
    finally:
        await connection.close()


async def eventually(probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, timeout: float = 60,
                     what: str = "condition") -> T:
    """Poll `probe` until `done(result)`; fail with the last result after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if done(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached in {timeout:.0f}s; last: {result!r}")
        await asyncio.sleep(0.2)


def told_of_their_seat(infrastructure: Infrastructure, run_id: str, count: int) -> set[str]:
    """The users the waitlist knows were told of their seat in the run (their offer's message reached them),
    once there are `count` of them."""
    told = asyncio.run(eventually(
        lambda: fetch(infrastructure.database_urls["waitlist"],
                      "SELECT user_id FROM offers WHERE run_id = $1 AND told_at IS NOT NULL", run_id),
        lambda rows: len(rows) == count, what="the waitlist knows who was told"))
    return {row["user_id"] for row in told}


def unique_campaign(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def correct_places_after_close(fleet: Fleet, campaign_id: str, *, seats: int, waitlist_size: int,
                               reason: str) -> dict[str, Any]:
    """Seats and waitlist size after the close (docs/draw-algorithm.md §8.6): the admin asks, the pm confirms."""
    body = {"seats": seats, "waitlist_size": waitlist_size, "reason": reason}
    with admin_client(fleet["lottery"].base_url, fleet.operator("admin")) as asker:
        token = ok(asker.post(f"/draws/{campaign_id}/places/prepare", json=body))["token"]
    with admin_client(fleet["lottery"].base_url, fleet.operator("pm")) as second:
        return dict(ok(second.post(f"/draws/{campaign_id}/places/confirm", json={"token": token})))


def prepare_closed_draw(lottery_url: str, campaign_id: str, *, entrants: int, seats: int,
                        waitlist_size: int = 0) -> None:
    """Create a draw with `entrants` users (ids 1,000,000 + n, weights 1..5) and close its entries."""
    entries = [{"kakao_user_id": 1_000_000 + n, "weight": 1 + n % 5} for n in range(entrants)]
    create_closed_draw(LotteryClient(admin_http(lottery_url)), campaign_id, entries, seats=seats,
                       waitlist_size=waitlist_size)


def execute_draw(lottery_url: str, campaign_id: str) -> str:
    """Prepare and execute; returns the run id."""
    return str(prepare_and_execute(LotteryClient(admin_http(lottery_url)), campaign_id)[1]["id"])


def ok(response: httpx.Response) -> Any:
    assert not response.is_error, f"{response.request.url} → {response.status_code}: {response.text}"
    return response.json() if response.content else None


@asynccontextmanager
async def scratch_database(infrastructure: Infrastructure, like: str) -> AsyncIterator[str]:
    """A new, empty database on the server of service `like`; dropped afterwards."""
    assert infrastructure.server_url, "scratch databases need the server's administrator"
    server = infrastructure.server_url.rsplit("/", 1)[0]
    name = f"{like}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(plain_url(f"{server}/postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{server}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def fresh_database(infrastructure: Infrastructure, migrations: Path, like: str,
                         revision: str = "heads") -> AsyncIterator[str]:
    """A new database on the server of service `like`, migrated with `migrations` (up to `revision`);
    dropped afterwards. For tests that must not share state with the running services (tampering, moved
    clocks, data migrations)."""
    async with scratch_database(infrastructure, like) as url:
        await asyncio.to_thread(upgrade_to_head, migrations, url, revision)
        yield url


class producer:
    """`async with producer(infrastructure) as send:` → `await send(topic, value, key=…)`, acknowledged."""

    def __init__(self, infrastructure: Infrastructure) -> None:
        self._producer = AIOKafkaProducer(**infrastructure.kafka.client_kwargs())

    async def __aenter__(self) -> Callable[..., Awaitable[Any]]:
        await self._producer.start()
        send: Callable[..., Awaitable[Any]] = self._producer.send_and_wait
        return send

    async def __aexit__(self, *exc: object) -> None:
        await self._producer.stop()


def readme_section(name: str) -> str:
    """The README text between `<!-- name:begin -->` and `<!-- name:end -->` (sections a tool generates)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    return readme.split(f"<!-- {name}:begin -->\n", 1)[1].split(f"\n<!-- {name}:end -->", 1)[0]


SECRET_OPTIONS = ("--password", "--code", "--totp")
"""Options whose values a transcript leaves out."""


@contextmanager
def ops_command(fleet: Fleet, session_file: Path, language: str | None = None) -> Iterator[Callable[..., str]]:
    """`lottery-ops` as the operator runs it against the fleet, one shell session (its session file):
    `run(*arguments, code=0)` answers what it printed, having checked the exit code. `language`: OPS_LANG
    (unset: the CLI's default, Korean). With OPS_TRANSCRIPT naming a file, each command and what it printed is
    appended there (the README's operator walk-through is such a transcript)."""
    with pytest.MonkeyPatch.context() as environment:
        if language is None:
            environment.delenv("OPS_LANG", raising=False)
        else:
            environment.setenv("OPS_LANG", language)
        for service in ("policy", "lottery", "waitlist", "notifier"):
            environment.setenv(f"OPS_{service.upper()}_URL", fleet[service].base_url)
        environment.setenv("OPS_SESSION_FILE", str(session_file))
        runner = CliRunner()
        transcript = os.environ.get("OPS_TRANSCRIPT")

        def run(*arguments: str, code: int = 0) -> str:
            result = runner.invoke(ops_app, list(arguments), catch_exceptions=False)
            if transcript:
                with open(transcript, "a") as file:
                    shown = [("…" if before in SECRET_OPTIONS else word)
                             for before, word in zip(("", *arguments), arguments, strict=False)]
                    file.write(f"$ lottery-ops {shlex.join(shown)}\n{result.output}"
                               + (f"(exit {result.exit_code})\n" if result.exit_code else ""))
            assert result.exit_code == code, f"{arguments} → {result.exit_code}: {result.output}"
            return result.output

        yield run

"""The audit log catches what is done behind the application's back (SPEC §7): an edited record, an edited
column, and the newest records deleted (the chain's head is anchored outside the database, on Kafka).
`platform audit-verify` names the first bad record."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import asyncpg
import pytest
from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.main import MIGRATIONS
from platform_deploy.audit_check import verify_service_chain
from platform_deploy.infra import Infrastructure
from platform_shared.audit.chain import record_action, verify_chain
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.messaging.outbox import OutboxRelay
from platform_shared.time.clock import KST
from tests.support import fresh_database, plain_url

pytestmark = pytest.mark.integration


@asynccontextmanager
async def chain_of(infrastructure: Infrastructure, records: int) -> AsyncIterator[tuple[str, list[int]]]:
    """A database of its own (tampering must not break the chains other tests rely on) holding `records`
    audit records, their anchors published to Kafka as the service's relay would."""
    async with fresh_database(infrastructure, MIGRATIONS, like="lottery") as url:
        engine = create_engine(url)
        sessions = session_factory(engine)
        try:
            for n in range(records):
                async with sessions.begin() as session:
                    await record_action(session, at=datetime(2026, 12, 1, 10, n, tzinfo=KST), actor="admin",
                                        action="draw.execute", target=f"draw:c{n}", reason="test", after={"n": n})
            await relay_outbox(infrastructure, sessions)
            ids = [row["id"] for row in await tamper(url, "SELECT id FROM audit_log ORDER BY id")]
            yield url, ids
        finally:
            await engine.dispose()


async def relay_outbox(infrastructure: Infrastructure, sessions: async_sessionmaker[AsyncSession]) -> None:
    broker = KafkaBroker(infrastructure.kafka_bootstrap_servers)
    await broker.start()
    try:
        while await OutboxRelay(sessions, broker, batch_size=100, poll_seconds=1).publish_pending():
            pass
    finally:
        await broker.stop()


async def tamper(url: str, *statements: str) -> list[asyncpg.Record]:
    """As the database owner, the one who can switch the append-only triggers off."""
    connection = await asyncpg.connect(plain_url(url))
    try:
        rows: list[asyncpg.Record] = []
        for statement in statements:
            rows = await connection.fetch(statement)
        return rows
    finally:
        await connection.close()


async def test_an_edited_record_breaks_the_chain_at_that_record(infrastructure: Infrastructure) -> None:
    async with chain_of(infrastructure, 3) as (url, ids):
        assert (await verify_service_chain(url, infrastructure.kafka_bootstrap_servers)).intact
        await tamper(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                     f"UPDATE audit_log SET record = replace(record, 'admin', 'intern') WHERE id = {ids[1]}")
        result = await verify_service_chain(url, infrastructure.kafka_bootstrap_servers)
    assert (result.intact, result.first_broken_id, result.records) == (False, ids[1], 1)
    assert "hash does not match" in (result.problem or "")


async def test_an_edited_column_is_caught_although_the_hashed_record_is_untouched(
        infrastructure: Infrastructure) -> None:
    async with chain_of(infrastructure, 3) as (url, ids):
        await tamper(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                     f"UPDATE audit_log SET actor = 'intern' WHERE id = {ids[2]}")
        result = await verify_service_chain(url, infrastructure.kafka_bootstrap_servers)
    assert (result.intact, result.first_broken_id) == (False, ids[2])
    assert "column actor" in (result.problem or "")


async def test_deleting_the_newest_records_is_caught_by_the_anchor_and_named_by_the_cli(
        infrastructure: Infrastructure) -> None:
    async with chain_of(infrastructure, 4) as (url, ids):
        await tamper(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                     f"DELETE FROM audit_log WHERE id >= {ids[2]}")
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                assert (await verify_chain(session)).intact, "without its anchor, a shortened chain looks whole"
        finally:
            await engine.dispose()
        result = await verify_service_chain(url, infrastructure.kafka_bootstrap_servers)
        cli = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "platform_deploy.cli", "audit-verify", "lottery"],
            env={**os.environ, "LOTTERY_DATABASE_URL": url,
                 "KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers},
            capture_output=True, text=True, check=False)
    assert (result.intact, result.first_broken_id, result.anchored_id) == (False, ids[2], ids[3])
    assert cli.returncode == 1, cli.stdout + cli.stderr
    assert f"BROKEN at record {ids[2]}" in cli.stderr and "deleted" in cli.stderr

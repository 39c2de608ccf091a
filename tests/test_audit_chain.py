"""The audit log catches what is done behind the application's back (SPEC §7): an edited record, an edited
column, the newest records deleted (every record is anchored outside the database, on Kafka) — even when
more records were written after the cut — and a correctly chained record forged by a role that may write the
table but does not hold the service's audit key. `platform audit-verify` names the first bad record."""

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
from platform_shared.audit.chain import (
    ChainVerification,
    canonical_json,
    chain_hash,
    record_action,
    verify_chain,
)
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.messaging.outbox import OutboxRelay
from platform_shared.time.clock import KST
from tests.support import fresh_database, plain_url

pytestmark = pytest.mark.integration


AUDIT_KEY = b"the-service-s-own-audit-key-32-bytes-or-more"


@asynccontextmanager
async def chain_of(infrastructure: Infrastructure, records: int) -> AsyncIterator[tuple[str, list[int]]]:
    """A database of its own (tampering must not break the chains other tests rely on) holding `records`
    audit records, their anchors published to Kafka as the service's relay would."""
    async with fresh_database(infrastructure, MIGRATIONS, like="lottery") as url:
        await audited_actions(infrastructure, url, range(records))
        ids = [row["id"] for row in await tamper(url, "SELECT id FROM audit_log ORDER BY id")]
        yield url, ids


async def audited_actions(infrastructure: Infrastructure, url: str, numbers: range) -> None:
    """Ordinary audited actions, as the service writes them (sealed with its key), anchors relayed."""
    engine = create_engine(url)
    sessions = session_factory(engine, audit_key=AUDIT_KEY)
    try:
        for n in numbers:
            async with sessions.begin() as session:
                await record_action(session, at=datetime(2026, 12, 1, 10, n, tzinfo=KST), actor="admin",
                                    action="draw.execute", target=f"draw:c{n}", reason="test", after={"n": n})
        await relay_outbox(infrastructure, sessions)
    finally:
        await engine.dispose()


async def verified(infrastructure: Infrastructure, url: str) -> ChainVerification:
    return await verify_service_chain(url, infrastructure.kafka, AUDIT_KEY)


async def relay_outbox(infrastructure: Infrastructure, sessions: async_sessionmaker[AsyncSession]) -> None:
    broker = KafkaBroker(**infrastructure.kafka.broker_kwargs())
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
        assert (await verified(infrastructure, url)).intact
        await tamper(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                     f"UPDATE audit_log SET record = replace(record, 'admin', 'intern') WHERE id = {ids[1]}")
        result = await verified(infrastructure, url)
    assert (result.intact, result.first_broken_id, result.records) == (False, ids[1], 1)
    assert "hash does not match" in (result.problem or "")


async def test_an_edited_column_is_caught_although_the_hashed_record_is_untouched(
        infrastructure: Infrastructure) -> None:
    async with chain_of(infrastructure, 3) as (url, ids):
        await tamper(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                     f"UPDATE audit_log SET actor = 'intern' WHERE id = {ids[2]}")
        result = await verified(infrastructure, url)
    assert (result.intact, result.first_broken_id) == (False, ids[2])
    assert "column actor" in (result.problem or "")


async def test_deleting_the_newest_records_is_caught_by_the_anchor_and_named_by_the_cli(
        infrastructure: Infrastructure) -> None:
    async with chain_of(infrastructure, 4) as (url, ids):
        await tamper(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                     f"DELETE FROM audit_log WHERE id >= {ids[2]}")
        engine = create_engine(url)
        try:
            async with session_factory(engine, audit_key=AUDIT_KEY)() as session:
                assert (await verify_chain(session)).intact, "without its anchor, a shortened chain looks whole"
        finally:
            await engine.dispose()
        result = await verified(infrastructure, url)
        cli = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "platform_deploy.cli", "audit-verify", "lottery"],
            env={**os.environ, "LOTTERY_DATABASE_URL": url, "LOTTERY_AUDIT_KEY": AUDIT_KEY.decode(),
                 **infrastructure.kafka.environment()},
            capture_output=True, text=True, check=False)
    assert (result.intact, result.first_broken_id, result.anchored_id) == (False, ids[2], ids[3])
    assert cli.returncode == 1, cli.stdout + cli.stderr
    assert f"BROKEN at record {ids[2]}" in cli.stderr and "deleted" in cli.stderr


async def test_a_trimmed_tail_is_caught_after_more_actions_were_recorded(infrastructure: Infrastructure) -> None:
    """Deleting the newest records and letting the service write on: the chain links up again, but the
    anchors of the deleted numbers still name other hashes."""
    async with chain_of(infrastructure, 4) as (url, ids):
        await tamper(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                     f"DELETE FROM audit_log WHERE id >= {ids[2]}")
        await audited_actions(infrastructure, url, range(10, 13))
        after = [row["id"] for row in await tamper(url, "SELECT id FROM audit_log ORDER BY id")]
        result = await verified(infrastructure, url)
    assert (result.intact, result.first_broken_id, result.records) == (False, after[2], 2)
    assert "differs from the one anchored for record number 3" in (result.problem or "")


async def test_a_correctly_chained_record_written_without_the_audit_key_is_named_as_forged(
        infrastructure: Infrastructure) -> None:
    """What a role that may INSERT (the runtime role) can write: the right number, the right link, the right
    hash, its columns matching — but no seal, or a seal it made up, since the key is not in the database."""
    async with chain_of(infrastructure, 2) as (url, _):
        last = (await tamper(url, "SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1"))[0]
        seq, at = last["seq"] + 1, last["at"].isoformat()
        record = canonical_json({"seq": seq, "at": at, "actor": "pm", "action": "draw.run_executed",
                                 "target": "draw:c9", "reason": "", "before": None, "after": None,
                                 "params": None, "role": None, "request_id": None})
        await tamper(url, "INSERT INTO audit_log (seq, at, actor, action, target, record, prev_hash, hash, mac) "
                          f"VALUES ({seq}, '{at}', 'pm', 'draw.run_executed', 'draw:c9', '{record}', "
                          f"'{last['hash']}', '{chain_hash(last['hash'], record)}', '{'ab' * 32}')")
        forged = (await tamper(url, "SELECT id FROM audit_log ORDER BY seq DESC LIMIT 1"))[0]["id"]
        result = await verified(infrastructure, url)
    assert (result.intact, result.first_broken_id, result.records) == (False, forged, 2)
    assert "seal does not match" in (result.problem or "")

"""The nightly policy history backup with real processes (issue 11, seed §15 "정책 변경 이력 백업 매일 03:00"):
two policy replicas on a database of their own, their clocks moved to just before 03:00 KST; at 03:00 one
of them writes the signed backup, the other sees the slot taken. `policy-admin restore` puts it into an
empty database: the same history, column for column. A corrupt copy, a foreign file and a database that
already has a history are refused, and nothing is written.

The replicas share the fleet's Kafka, so their history is written before they start and its snapshots are
marked published: no version of this test's database may reach the fleet's `policy_changed` topic."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceKeys, ServiceProcess
from platform_shared.auth.tokens import SigningKey, jwks_json
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.time.clock import KST, OffsetClock, offset_to_kst, to_kst
from policy_service.application.policy_changes import PolicyChanges, sql_units
from policy_service.application.policy_in_force import PolicyService
from policy_service.domain.backups import scheduled_file_name, signed_history, trusted_keys, verify_history
from policy_service.main import MIGRATIONS
from tests.support import eventually, fetch, fresh_database

pytestmark = pytest.mark.integration

STARTS_AT = time(2, 59, 15)
"""45 s before the slot, set once the databases exist: time for the history and two replicas to migrate, connect
and serve before their clocks pass it (about 15 s on a quiet 2-core machine, over 30 s on one loaded far past its
cores; the test says so if they were late)."""


async def write_history(database_url: str, clock: OffsetClock) -> None:
    """Three versions through the policy's own use cases: defaults, a change, a rollback to version 1."""
    engine = create_engine(database_url)
    try:
        sessions = session_factory(engine)
        await PolicyService(sessions, clock).publish_defaults_if_empty()
        changes = PolicyChanges(sql_units(sessions, clock))
        change = await changes.propose("kim", "heavy entrants dominate", "caps fall to 6", values=None,
                                       patch={"weight_cap": 6})
        await changes.confirm(change["token"], "lee")
        back = await changes.prepare_rollback(1, "kim", "drill over")
        await changes.confirm(back["token"], "lee", rollback=True)
        async with sessions.begin() as session:
            # Every column must survive the round trip, scope included (the changes API takes none yet).
            await session.execute(text("""UPDATE policy_versions SET scope = '["campaign-a"]' WHERE version = 2"""))
            await session.execute(text("UPDATE outbox_messages SET published_at = now() "
                                       "WHERE topic = 'policy_changed'"))
    finally:
        await engine.dispose()


async def history(database_url: str) -> list[dict[str, Any]]:
    return [dict(r) for r in await fetch(database_url, "SELECT * FROM policy_versions ORDER BY version")]


async def assert_same_history(copy: str, original: str) -> None:
    """Every column of every version (JSONB compared as PostgreSQL prints it: normalised)."""
    theirs, ours = await history(copy), await history(original)
    assert len(theirs) == len(ours)
    differences = [{column: (a[column], b[column]) for column in b if a.get(column) != b[column]}
                   for a, b in zip(theirs, ours, strict=True)]
    assert differences == [{}] * len(ours)


async def count(database_url: str, table: str) -> int:
    return int((await fetch(database_url, f"SELECT count(*) AS n FROM {table}"))[0]["n"])


async def policy_admin(env: dict[str, str], database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "policy_service.entrypoints.cli.accounts_cli", *args],
        env={**os.environ, **env, "POLICY_DATABASE_URL": database_url}, capture_output=True, text=True,
        timeout=120, check=False)


def logged(replica: ServiceProcess, phrase: str) -> bool:
    return phrase in replica.log_path.read_text(errors="replace")


def slot_done(replicas: list[ServiceProcess], slot: datetime) -> list[str]:
    """What each replica logged of the slot: it wrote the backup, or found it taken by the other."""
    wrote, skipped = f"policy backup {scheduled_file_name(slot)}:", f"slot {slot.isoformat()}: taken by another"
    return ["wrote" if logged(r, wrote) else "skipped" if logged(r, skipped) else "waiting" for r in replicas]


async def test_one_replica_backs_up_at_three_and_the_restore_gives_the_same_history(
        infrastructure: Infrastructure, tmp_path: Path) -> None:
    key, keys = SigningKey.generate(), ServiceKeys.generate()
    directory = tmp_path / "backups"
    directory.mkdir()
    async with fresh_database(infrastructure, MIGRATIONS, like="policy") as source, \
            fresh_database(infrastructure, MIGRATIONS, like="policy") as restored, \
            fresh_database(infrastructure, MIGRATIONS, like="policy") as untouched:
        # The clock is set once the databases exist, so STARTS_AT's margin covers only the history and the replicas.
        clock = OffsetClock(offset_to_kst(STARTS_AT, datetime.now(UTC)))
        slot = datetime.combine(to_kst(clock.now()).date(), time(3, 0), tzinfo=KST)
        for name in (scheduled_file_name(slot - timedelta(days=2)), "notes.txt"):
            (directory / name).write_text("older")
        env = {**infrastructure.kafka_principals["policy"].environment("POLICY_"),
               "ADMIN_TOKEN_JWKS": jwks_json(key), "POLICY_TOKEN_SIGNING_KEY": key.private_pem,
               "POLICY_TOKEN_KEY_ID": key.key_id, "POLICY_CLOCK_OFFSET_SECONDS": str(clock.offset.total_seconds()),
               **keys.shared_env(), **keys.own_env("policy")}
        await write_history(source, clock)
        replica_env = {**env, "POLICY_DATABASE_URL": source, "POLICY_BACKUP_DIRECTORY": str(directory),
                       "POLICY_BACKUP_KEEP_DAYS": "2"}
        replicas = [ServiceProcess("policy", replica_env, tmp_path) for _ in range(2)]
        try:
            for replica in replicas:
                replica.start(wait=False)
            for replica in replicas:
                await asyncio.to_thread(replica.wait_healthy)
            assert clock.now() < slot, "the replicas were serving only after 03:00 KST: widen STARTS_AT's margin"
            outcome = await eventually(lambda: asyncio.to_thread(slot_done, replicas, slot),
                                       lambda seen: "waiting" not in seen, timeout=120,
                                       what="both replicas past the 03:00 KST slot")
        finally:
            for replica in replicas:
                replica.stop()

        name = scheduled_file_name(slot)
        taken = await fetch(source, "SELECT * FROM policy_backups")
        assert [(r["slot_at"], r["file_name"], r["versions"]) for r in taken] == [(slot, name, 3)], "one row"
        assert sorted(p.name for p in directory.iterdir()) == ["notes.txt", name], \
            "one file for the slot; the scheduled one older than 2 days deleted, the others not ours"
        assert sorted(outcome) == ["skipped", "wrote"], "one replica wrote it; the other found the slot taken"
        audited = await fetch(source, "SELECT action FROM audit_log WHERE action = 'policy.backup'")
        assert len(audited) == 1

        backup = directory / name
        content = backup.read_bytes()
        at = content.index(b"heavy entrants")
        corrupt = tmp_path / "corrupt.json"
        corrupt.write_bytes(content[:at] + b"H" + content[at + 1:])
        foreign = tmp_path / "foreign.json"
        verified = verify_history(content, trusted_keys(jwks_json(key)))
        foreign.write_bytes(signed_history(verified.versions, slot=slot, created_at=clock.now(),
                                           key=SigningKey.generate()))
        # The commands that touch different databases (or only read) run side by side: each is a process of its own.
        done, *refused, on_demand = await asyncio.gather(
            policy_admin(env, restored, "restore", str(backup), "--by", "kim"),
            policy_admin(env, untouched, "restore", str(corrupt)),
            policy_admin(env, untouched, "restore", str(foreign)),
            # An operator's backup on demand is the same signed history (restored below).
            policy_admin(env, source, "backup", "--to", str(tmp_path / "manual")))
        assert done.returncode == 0, done.stderr
        await assert_same_history(restored, source)
        announced = await fetch(restored, "SELECT payload FROM outbox_messages WHERE topic = 'policy_changed'")
        assert len(announced) == 1 and '"version":3' in announced[0]["payload"], "the newest, for the fleet"
        assert [r["actor"] for r in await fetch(restored, "SELECT actor FROM audit_log "
                                                          "WHERE action = 'policy.restore'")] == ["kim"]

        for answer, reason in zip(refused, ("refused: corrupt: the signature", "refused: foreign"), strict=True):
            assert answer.returncode != 0 and answer.stderr.startswith(reason), answer.stderr
        assert [await count(untouched, t) for t in ("policy_versions", "audit_log", "outbox_messages")] == [0, 0, 0]
        assert on_demand.returncode == 0, on_demand.stderr

        again, done = await asyncio.gather(policy_admin(env, restored, "restore", str(backup)),
                                           policy_admin(env, untouched, "restore", on_demand.stdout.strip()))
        assert again.returncode != 0 and "not empty" in again.stderr, again.stderr
        await assert_same_history(restored, source)
        assert done.returncode == 0, done.stderr
        await assert_same_history(untouched, source)

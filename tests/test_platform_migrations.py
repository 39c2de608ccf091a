"""The platform's tables have one Alembic branch, applied with each service's own: a new database gets both,
and a database every service migrated before the split (its own revisions created the platform's tables)
upgrades in place, keeping every row, and a run drawn before still verifies."""

import asyncio
import importlib
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest

from lottery_service.application.seeds import SeedSource
from lottery_service.application.verify_run import VerifyRun
from platform_deploy.infra import SERVICES, Infrastructure
from platform_shared.audit.chain import verify_chain
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.service.migrations import (
    check_models_match,
    downgrade_to,
    upgrade_to_head,
)
from tests.support import fetch, fresh_database, plain_url, scratch_database

pytestmark = pytest.mark.integration

PRE_SPLIT = Path(__file__).parent / "fixtures" / "pre_split"
"""pg_dump of each service's database at its head before the split, with rows in every platform table and,
in the lottery, a drawn run (how they were made: fixtures/pre_split/README.md)."""
PRE_SPLIT_HEADS = {"lottery": "0013", "waitlist": "0006", "notifier": "0006", "policy": "0008"}
SERVICE_HEADS = {**PRE_SPLIT_HEADS, "lottery": "0017", "waitlist": "0007", "notifier": "0008", "policy": "0010"}
"""Each service's own head now: the revisions it gained since the split run on top of the pre-split head."""
ROWS_ADDED_SINCE = {"notifier": {"templates": 6}}
"""Rows those revisions add: the notifier's 0007 ships the Korean texts and SEAT_CONFIRMED in English."""
PRE_SPLIT_RUN = UUID("05c6d412-da29-4cd3-8dce-566b15bdcdd4")
PRE_SPLIT_SECRET = "pre-split-secret"
PLATFORM_HEAD = "platform_0006"
"""The platform branch's newest revision: a pre-split database is stamped at PLATFORM_AT_SPLIT, then upgraded."""


def _migrations(service: str) -> Path:
    migrations: Path = importlib.import_module(f"{service}_service.main").MIGRATIONS
    return migrations


async def _versions(url: str) -> set[str]:
    return {row["version_num"] for row in await fetch(url, "SELECT version_num FROM alembic_version")}


async def _row_counts(url: str) -> dict[str, int]:
    tables = [row["tablename"] for row in await fetch(
        url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]
    return {table: (await fetch(url, f'SELECT count(*) AS n FROM "{table}"'))[0]["n"] for table in tables}


@asynccontextmanager
async def _restored(infrastructure: Infrastructure, service: str) -> AsyncIterator[str]:
    """A scratch database holding the service's pre-split dump, as it was: not migrated any further."""
    async with scratch_database(infrastructure, f"{service}_presplit") as url:
        connection = await asyncpg.connect(plain_url(url))
        try:
            await connection.execute((PRE_SPLIT / f"{service}.sql").read_text())
        finally:
            await connection.close()
        yield url


@pytest.mark.parametrize("service", SERVICES)
async def test_a_new_database_gets_the_platform_branch_beside_its_own(infrastructure: Infrastructure,
                                                                      service: str) -> None:
    async with fresh_database(infrastructure, _migrations(service), like=service) as url:
        versions = await _versions(url)
        assert versions == {SERVICE_HEADS[service], PLATFORM_HEAD}, "both branches at their heads"
        tables = set(await _row_counts(url))
        assert {"outbox_messages", "inbox_messages", "dead_letters", "audit_log", "pending_confirmations",
                "consumer_controls", "consumer_replicas", "redrives", "policy_snapshot"} <= tables


@pytest.mark.parametrize("service", SERVICES)
async def test_a_database_migrated_before_the_split_upgrades_in_place(infrastructure: Infrastructure,
                                                                      service: str) -> None:
    migrations = _migrations(service)
    async with _restored(infrastructure, service) as url:
        assert await _versions(url) == {PRE_SPLIT_HEADS[service]}, "the fixture is as the old code left it"
        before = await _row_counts(url)
        assert before["dead_letters"] == before["consumer_controls"] == before["inbox_messages"] == 1

        await asyncio.to_thread(upgrade_to_head, migrations, url)

        assert await _versions(url) == {SERVICE_HEADS[service], PLATFORM_HEAD}
        added = {table: before[table] + n for table, n in ROWS_ADDED_SINCE.get(service, {}).items()}
        after = await _row_counts(url)
        kept = {table: n for table, n in after.items() if table in before or table == "audit_sealed_from"}
        assert kept == {**before, **added, "audit_sealed_from": 1}, "no row lost, none added"
        assert {table: n for table, n in after.items() if table not in kept} == \
            dict.fromkeys(set(after) - set(kept), 0), "tables the revisions since add start empty"
        [sealing] = await fetch(url, "SELECT seq FROM audit_sealed_from")
        assert sealing["seq"] == before["audit_log"] + 1, "the records already there were numbered, not sealed"
        await asyncio.to_thread(check_models_match, migrations, url)
        # The platform's branch now moves on its own, as it will when it gains a revision.
        await asyncio.to_thread(downgrade_to, migrations, url, "platform_0003")
        assert not await fetch(url, "SELECT 1 FROM information_schema.columns "
                                    "WHERE table_name = 'dead_letters' AND column_name = 'payload_sha256'")
        await asyncio.to_thread(upgrade_to_head, migrations, url)
        assert await _versions(url) == {SERVICE_HEADS[service], PLATFORM_HEAD}


async def test_a_database_left_at_an_older_revision_before_the_split_is_refused_not_stamped(
        infrastructure: Infrastructure) -> None:
    """Its platform tables are of an older shape than PLATFORM_AT_SPLIT says: recording that would be a lie."""
    async with _restored(infrastructure, "waitlist") as url:
        await fetch(url, "UPDATE alembic_version SET version_num = '0002'")
        with pytest.raises(RuntimeError, match="upgrade it to 0006 with a release from before the split"):
            await asyncio.to_thread(upgrade_to_head, _migrations("waitlist"), url)
        assert await _versions(url) == {"0002"}, "nothing recorded"


async def test_replicas_starting_together_upgrade_a_pre_split_database_once(infrastructure: Infrastructure) -> None:
    """Three processes, as three replicas are (Alembic's context is one per process): the first to take the
    migrations' lock records the platform's revision and upgrades; the later ones find nothing left to do."""
    migrate = (f"import sys; from {upgrade_to_head.__module__} import upgrade_to_head; "
               "from waitlist_service.main import MIGRATIONS; upgrade_to_head(MIGRATIONS, sys.argv[1])")
    async with _restored(infrastructure, "waitlist") as url:
        replicas = [await asyncio.create_subprocess_exec(sys.executable, "-c", migrate, url,
                                                         stderr=asyncio.subprocess.PIPE) for _ in range(3)]
        outcomes = [(await replica.communicate())[1].decode() for replica in replicas]
        assert [replica.returncode for replica in replicas] == [0, 0, 0], outcomes
        assert await _versions(url) == {SERVICE_HEADS["waitlist"], PLATFORM_HEAD}


async def test_a_run_drawn_before_the_split_still_verifies(infrastructure: Infrastructure) -> None:
    async with _restored(infrastructure, "lottery") as url:
        await asyncio.to_thread(upgrade_to_head, _migrations("lottery"), url)
        engine = create_engine(url)
        try:
            runs = VerifyRun(session_factory(engine), SeedSource(PRE_SPLIT_SECRET))
            verification = await runs.verify(PRE_SPLIT_RUN)
        finally:
            await engine.dispose()
        assert verification.replay_matches and verification.entry_set_ok
        [audit] = await fetch(url, "SELECT count(*) AS n FROM audit_log WHERE target = 'draw:pre-split'")
        [audit_total] = await fetch(url, "SELECT count(*) AS n FROM audit_log")
        assert audit["n"] > 0, "the draw's audit trail came along"
        engine = create_engine(url)
        try:
            async with session_factory(engine, audit_key=b"k" * 32)() as session:
                chain = await verify_chain(session)
        finally:
            await engine.dispose()
        assert (chain.intact, chain.records) == (True, audit_total["n"]), chain.problem


def test_no_service_revision_creates_a_platform_table() -> None:
    """The platform's tables are made in one place: no service's own revision creates, alters or drops one."""
    platform_tables = ("outbox_messages", "inbox_messages", "dead_letters", "audit_log", "pending_confirmations",
                       "consumer_controls", "consumer_replicas", "redrives", "policy_snapshot")
    offenders = []
    for service in SERVICES:
        for revision in sorted((_migrations(service) / "versions").glob("*.py")):
            source = revision.read_text()
            named = {table for table in platform_tables
                     if re.search(rf'op\.\w+\(\s*"{table}"|table_name="{table}"|\b(TABLE|ON) {table}\b', source)}
            offenders += [f"{revision.name}: {table}" for table in sorted(named)]
    assert offenders == []

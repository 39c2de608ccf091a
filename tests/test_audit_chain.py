"""The audit log's hash chain catches an edit made behind the application's back."""

from datetime import datetime

import asyncpg
import pytest

from lottery_service.main import MIGRATIONS
from platform_deploy.infra import Infrastructure
from platform_shared.audit.chain import record_action, verify_chain
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.time.clock import KST
from tests.support import fresh_database, plain_url

pytestmark = pytest.mark.integration


async def test_an_edited_record_breaks_the_chain_at_that_record(infrastructure: Infrastructure) -> None:
    # A database of its own: tampering must not break the chain the other tests rely on.
    async with fresh_database(infrastructure, MIGRATIONS, like="lottery") as url:
        await tamper_and_verify(url)


async def tamper_and_verify(url: str) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        for n in range(3):
            async with sessions.begin() as session:
                await record_action(session, at=datetime(2026, 12, 1, 10, n, tzinfo=KST), actor="admin",
                                    action="draw.execute", target=f"draw:c{n}", reason="test", after={"n": n})
        async with sessions() as session:
            assert (await verify_chain(session)).intact

        tamper = await asyncpg.connect(plain_url(url))
        await tamper.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete")
        second = await tamper.fetchval("SELECT id FROM audit_log ORDER BY id OFFSET 1 LIMIT 1")
        await tamper.execute("UPDATE audit_log SET record = replace(record, 'admin', 'intern') WHERE id = $1", second)
        await tamper.close()

        async with sessions() as session:
            result = await verify_chain(session)
        assert (result.intact, result.first_broken_id, result.records) == (False, second, 1)
    finally:
        await engine.dispose()

"""The audit log is append-only at the database-role level (SPEC §7): the role a service runs as may
INSERT and SELECT on it, and nothing else — not UPDATE, not DELETE, not switching its triggers off."""

import asyncpg
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from tests.support import plain_url

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", ["lottery", "waitlist", "notifier", "policy"])
async def test_the_runtime_role_can_only_append_to_the_audit_log(fleet: Fleet, infrastructure: Infrastructure,
                                                                service: str) -> None:
    assert infrastructure.runtime_urls[service] != infrastructure.database_urls[service], "two roles"
    runtime = await asyncpg.connect(plain_url(infrastructure.runtime_urls[service]))
    try:
        assert await runtime.fetchval("SELECT count(*) FROM audit_log") >= 0
        assert await runtime.fetchval("SELECT has_table_privilege('audit_log', 'INSERT')")
        refused = []
        for statement in ("UPDATE audit_log SET actor = 'intern'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                          "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                          "DROP TABLE audit_log"):
            try:
                async with runtime.transaction():
                    await runtime.execute(statement)
            except asyncpg.InsufficientPrivilegeError as error:
                refused.append(type(error).__name__)
            else:
                pytest.fail(f"the runtime role could: {statement}")
        assert len(refused) == 5
        # Its own tables it uses freely (the outbox, for one).
        assert await runtime.fetchval("SELECT has_table_privilege('outbox_messages', 'UPDATE')")
    finally:
        await runtime.close()

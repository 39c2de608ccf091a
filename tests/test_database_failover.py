"""A database that turns read-only under a consumer (a primary demoted by a failover) is an outage, never a
reason to dead-letter a valid event (issue 14): the waitlist's draw intake waits it out, its pool drops each
connection that answered 25006, and once writes are accepted again the held event is applied, with no
redrive and no restart. The entrant's entry, on the raw driver, drops such connections as well."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest

from lottery_service.main import MIGRATIONS as LOTTERY_MIGRATIONS
from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from platform_shared.db.engine import create_engine, driver_transaction, session_factory
from tests.support import eventually, execute_draw, fetch, fresh_database, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration

SEATS = 3


@asynccontextmanager
async def read_only(infrastructure: Infrastructure, service: str) -> AsyncIterator[None]:
    """The service's database refuses writes on every new connection; its current connections are cut, as a
    failover cuts them. Restored on the way out (without cutting again: the service must find its way back)."""
    assert infrastructure.server_url, "needs the server's administrator"
    server = infrastructure.server_url.rsplit("/", 1)[0] + "/postgres"
    database = infrastructure.database_urls[service].rsplit("/", 1)[1].split("?")[0]
    await fetch(server, f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
    await fetch(server, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 "
                        "AND pid <> pg_backend_pid()", database)
    try:
        yield
    finally:
        await fetch(server, f'ALTER DATABASE "{database}" RESET default_transaction_read_only')


async def offers_of(infrastructure: Infrastructure, run_id: str) -> int:
    [row] = await fetch(infrastructure.database_urls["waitlist"],
                        "SELECT count(*) AS n FROM offers WHERE run_id::text = $1 AND source = 'draw'", run_id)
    return int(row["n"])


async def test_a_read_only_database_holds_the_event_and_it_is_applied_once_writes_return(
        fleet: Fleet, infrastructure: Infrastructure) -> None:
    if not infrastructure.server_url:
        pytest.skip("turning a database read-only needs the server's administrator (local or container mode)")
    campaign = unique_campaign("failover")
    await asyncio.to_thread(prepare_closed_draw, fleet["lottery"].base_url, campaign, entrants=10, seats=SEATS)
    log = fleet["waitlist"].log_path
    logged_before = log.read_text().count("outage while applying")
    async with read_only(infrastructure, "waitlist"):
        run_id = await asyncio.to_thread(execute_draw, fleet["lottery"].base_url, campaign)
        await eventually(lambda: asyncio.to_thread(lambda: log.read_text().count("outage while applying")),
                         lambda n: n >= logged_before + 5, what="the intake retrying through the outage")
        assert await offers_of(infrastructure, run_id) == 0
    assert await eventually(lambda: offers_of(infrastructure, run_id), lambda n: n == SEATS, timeout=60,
                            what="the held event applied once writes returned") == SEATS
    letters = await fetch(infrastructure.database_urls["waitlist"],
                          "SELECT count(*) AS n FROM dead_letters WHERE payload LIKE '%' || $1 || '%'", run_id)
    assert letters[0]["n"] == 0, "a valid event is never dead-lettered for an outage"


async def test_a_raw_driver_transaction_drops_a_connection_that_answered_read_only(
        infrastructure: Infrastructure) -> None:
    """The entrant's entry runs on the raw driver (issue 12), past SQLAlchemy's error hook: it drops such a
    connection itself, or the pool would hand it out again and every write on it would keep failing."""
    if not infrastructure.server_url:
        pytest.skip("turning a database read-only needs the server's administrator (local or container mode)")
    server = infrastructure.server_url.rsplit("/", 1)[0] + "/postgres"
    write = "INSERT INTO policy_snapshot (id, version, document) VALUES (1, 1, '{}') ON CONFLICT DO NOTHING"
    async with fresh_database(infrastructure, LOTTERY_MIGRATIONS, like="lottery") as url:
        database = url.rsplit("/", 1)[1]
        engine = create_engine(url)
        sessions = session_factory(engine)
        try:
            await fetch(server, f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
            async with sessions() as session:  # the pool's only connection, opened read-only
                with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
                    async with driver_transaction(session) as driver:
                        await driver.execute(write)
            await fetch(server, f'ALTER DATABASE "{database}" RESET default_transaction_read_only')
            async with sessions() as session, driver_transaction(session) as driver:
                await driver.execute(write)  # on a new connection: the read-only one was dropped
        finally:
            await engine.dispose()

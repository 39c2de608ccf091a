"""Database wiring: one async engine per service, sessions opened by handlers, never at import."""

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar, cast

import asyncpg
from sqlalchemy import ColumnElement, CursorResult, MetaData, Result, any_, bindparam, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute

from platform_shared.db.outages import is_lost_connection_sqlstate, sqlstate_of

T = TypeVar("T")

# Deterministic constraint names, so Alembic migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class MessagingBase(DeclarativeBase):
    """Tables every service has: outbox, inbox, cached policy."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


POOL_SIZE = 20


def create_engine(database_url: str) -> AsyncEngine:
    # hide_parameters: an error's text (logged, dead-lettered, answered) never carries the statement's
    # values — a draw's seed, a password hash or a token could be among them (SPEC §7).
    # A fixed pool, no overflow: under load an overflow connection is opened for one request and closed on
    # return (SCRAM handshake, SSL probe, every statement prepared again), which made entrant entries 5x
    # slower than waiting a moment for a pooled one (docs/benchmarks.md). 20 per process stays well inside
    # max_connections (300 in deploy/postgres.py) for the fleet and its test replicas.
    engine = create_async_engine(database_url, pool_size=POOL_SIZE, max_overflow=0, pool_pre_ping=True,
                                 hide_parameters=True)
    event.listen(engine.sync_engine, "handle_error", _drop_connection_on_outage)
    return engine


def _drop_connection_on_outage(context: ExceptionContext) -> None:
    """A connection that saw an outage state (db/outages.py), e.g. 25006 on a primary turned standby, is
    not handed out again: pre-ping would pass on it, yet every write would keep failing."""
    if is_lost_connection_sqlstate(sqlstate_of(context.original_exception)):
        context.is_disconnect = True


AUDIT_KEY = "audit_key"
"""Where a session carries the service's audit key (`session.info`): the audit log seals each record with it
(audit/chain.py), and only the service process holds it, never a database role."""


def session_factory(engine: AsyncEngine, *, audit_key: bytes | None = None) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, info={AUDIT_KEY: audit_key} if audit_key else None)


async def copy_records(session: AsyncSession, table: str, columns: Sequence[str],
                       records: Iterable[Sequence[Any]]) -> None:
    """COPY rows into a table on the session's own connection, inside its transaction: the fast path for
    thousands of rows (a draw's results, a promotion pass's offers, a batch of outbox events)."""
    driver = await asyncpg_connection(await session.connection())
    await driver.copy_records_to_table(table, records=records, columns=list(columns))


async def asyncpg_connection(connection: AsyncConnection) -> "asyncpg.Connection[asyncpg.Record]":
    """The asyncpg connection under a SQLAlchemy one, for what only asyncpg offers (COPY)."""
    raw = await connection.get_raw_connection()
    driver: asyncpg.Connection[asyncpg.Record] | None = raw.driver_connection
    if driver is None:
        raise RuntimeError("the connection was invalidated: it has no asyncpg connection")
    return driver


@asynccontextmanager
async def driver_transaction(session: AsyncSession) -> AsyncIterator["asyncpg.Connection[asyncpg.Record]"]:
    """A transaction of asyncpg's own on the session's connection, for a hot path that skips SQLAlchemy's
    statement machinery (the entrant's entry). SQLAlchemy never sees those statements, so what its
    error hook does for the rest is done here: a connection that saw an outage state (25006 on a primary
    turned standby, 08xxx, 57P0x) or lost its link is dropped, not pooled again, and so is one somehow left
    inside a transaction (SQLAlchemy's reset on return only ends transactions it began)."""
    connection = await session.connection()
    driver = await asyncpg_connection(connection)
    try:
        async with driver.transaction():
            yield driver
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        if isinstance(error, asyncpg.InterfaceError) or is_lost_connection_sqlstate(sqlstate_of(error)):
            await connection.invalidate()
        raise
    finally:
        if not connection.invalidated and driver.is_in_transaction():
            await connection.invalidate()


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """Rows an UPDATE or DELETE matched. Its Result is a CursorResult at run time, but AsyncSession.execute
    is typed to return the plain Result, which has no rowcount."""
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount


def any_of(column: ColumnElement[T] | QueryableAttribute[T], values: Sequence[T]) -> ColumnElement[bool]:
    """`column = ANY(:array)`: one bind parameter however many values (IN (...) takes one per value,
    and PostgreSQL allows 32,767)."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))

"""Database wiring: one async engine per service, sessions opened by handlers, never at import."""

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, MetaData, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.orm import DeclarativeBase

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


def create_engine(database_url: str) -> AsyncEngine:
    return create_async_engine(database_url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def copy_records(session: AsyncSession, table: str, columns: Sequence[str],
                       records: Iterable[Sequence[Any]]) -> None:
    """COPY rows into a table on the session's own connection, inside its transaction: the fast path for
    thousands of rows (a draw's results, a promotion pass's offers, a batch of outbox events)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(table, records=records, columns=list(columns))  # type: ignore[union-attr]


def any_of(column: ColumnElement[T], values: Sequence[T]) -> ColumnElement[bool]:
    """`column = ANY(:array)`: one bind parameter however many values (IN (...) takes one per value,
    and PostgreSQL allows 32,767)."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))

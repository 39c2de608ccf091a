"""Which errors a consumer waits out instead of counting towards a dead letter: the database being
away, by SQLSTATE, whichever layer carries it; an error about the statement or the event is not one."""

import asyncpg
import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from platform_shared.db.outages import sqlstate_of
from platform_shared.messaging.consumer import is_outage


def from_sqlalchemy(error: Exception) -> DBAPIError:
    """As SQLAlchemy raises it: the DBAPI error in `orig`, asyncpg's error as its cause."""
    adapted = RuntimeError(str(error))
    adapted.__cause__ = error
    return DBAPIError("INSERT INTO offers …", None, adapted)


@pytest.mark.parametrize("error", [
    asyncpg.exceptions.ReadOnlySQLTransactionError("cannot execute INSERT in a read-only transaction"),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CrashShutdownError("terminating connection because of crash of another server process"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.exceptions.DiskFullError("could not extend file"),
    asyncpg.exceptions.ConnectionFailureError("connection failure"),
], ids=lambda error: type(error).__name__)
def test_the_database_being_away_is_an_outage_by_sqlstate(error: Exception) -> None:
    assert sqlstate_of(from_sqlalchemy(error)) == error.sqlstate  # type: ignore[attr-defined]
    assert is_outage(from_sqlalchemy(error))


def test_no_pooled_connection_in_time_is_an_outage() -> None:
    assert is_outage(PoolTimeoutError("QueuePool limit of size 20 overflow 0 reached"))


class Shape(BaseModel):
    n: int


@pytest.mark.parametrize("error", [
    IntegrityError("INSERT …", None, asyncpg.exceptions.UniqueViolationError("duplicate key")),
    from_sqlalchemy(asyncpg.exceptions.InvalidTextRepresentationError("invalid input syntax for type uuid")),
    from_sqlalchemy(asyncpg.exceptions.SerializationError("could not serialize access")),
    ValueError("bad rank"),
], ids=lambda error: type(error).__name__)
def test_an_error_about_the_statement_or_the_event_is_not(error: Exception) -> None:
    assert not is_outage(error)


def test_a_validation_error_is_not() -> None:
    with pytest.raises(ValidationError) as invalid:
        Shape.model_validate({"n": "x"})
    assert not is_outage(invalid.value) and sqlstate_of(invalid.value) is None

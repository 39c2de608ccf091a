"""One use case, one transaction: what it changes, the audit record of it and the events it publishes commit
together or not at all (runbook §0: no action without its trace; docs/messaging.md: no event without its
state change).

`UnitOfWork` is what a use case reaches through it: the instant, the audit log, the outbox, the two-step
confirmations and the service's own stores (`stores`, built for each unit by the service's factory). The
service runs it on PostgreSQL (`SqlUnitOfWork`); the unit tier runs the same use cases on memory twins
(tests/memory_units.py)."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, overload

from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.application.confirmations import Confirmations, SqlConfirmations
from platform_shared.audit.chain import record_action
from platform_shared.contracts.events import Event
from platform_shared.messaging import outbox
from platform_shared.time.clock import Clock

S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)


class UnitOfWork(Protocol[S_co]):
    """The open transaction of one use case. `now` is read from the service's clock once, when it opens: every
    row, audit record and event it writes carries the same instant."""

    @property
    def now(self) -> datetime: ...

    @property
    def stores(self) -> S_co: ...

    @property
    def confirmations(self) -> Confirmations: ...

    async def audit(self, *, actor: str, action: str, target: str, reason: str = "", before: object = None,
                    after: object = None, params: object = None) -> None:
        """Append to the audit log; the record exists only if the unit commits."""
        ...

    async def publish(self, topic: str, events: Sequence[Event]) -> None:
        """The events go out once the unit has committed, and only then."""
        ...


class Units(Protocol[S_co]):
    """What opens a use case's units of work: `UnitsOfWork` in a service, a memory twin in the unit tier."""

    def begin(self) -> AbstractAsyncContextManager[UnitOfWork[S_co]]: ...


class SqlUnitOfWork(Generic[S]):
    """A unit of work on one PostgreSQL transaction. `session` stays open to the SQL-only code that needs it."""

    def __init__(self, session: AsyncSession, now: datetime, stores: S) -> None:
        self.session = session
        self.now = now
        self.stores = stores
        self.confirmations = SqlConfirmations(session)

    async def audit(self, *, actor: str, action: str, target: str, reason: str = "", before: object = None,
                    after: object = None, params: object = None) -> None:
        """Append to the hash-chained audit log."""
        await record_action(self.session, at=self.now, actor=actor, action=action, target=target, reason=reason,
                            before=before, after=after, params=params)

    async def publish(self, topic: str, events: Sequence[Event]) -> None:
        """Through the outbox: the relay sends them once the unit has committed."""
        await outbox.enqueue(self.session, topic, events)


class Transactions(Protocol):
    """What opens a transaction: an `async_sessionmaker` in a service, a memory double in the unit tier."""

    def begin(self) -> AbstractAsyncContextManager[AsyncSession]: ...


def _no_stores(session: AsyncSession) -> None:
    return None


class UnitsOfWork(Generic[S]):
    """Opens a service's units of work on its database, with its clock; `stores` builds the service's stores
    on each unit's session (without it the unit carries none, and the use case reaches `session` itself)."""

    @overload
    def __init__(self: "UnitsOfWork[None]", sessions: Transactions, clock: Clock) -> None: ...

    @overload
    def __init__(self, sessions: Transactions, clock: Clock, stores: Callable[[AsyncSession], S]) -> None: ...

    def __init__(self, sessions: Transactions, clock: Clock, stores: Callable[[AsyncSession], Any] = _no_stores
                 ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._stores = stores

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[SqlUnitOfWork[S]]:
        """Commits when the block ends, rolls back when it raises."""
        async with self._sessions.begin() as session:
            yield SqlUnitOfWork(session, self._clock.now(), self._stores(session))

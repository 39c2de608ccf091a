"""One use case, one transaction: what it changes, the audit record of it and the events it publishes commit
together or not at all (runbook §0: no action without its trace; docs/messaging.md: no event without its
state change)."""

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.audit.chain import record_action
from platform_shared.contracts.events import Event
from platform_shared.messaging import outbox
from platform_shared.time.clock import Clock


class UnitOfWork:
    """The open transaction of one use case. `now` is read from the service's clock once, when it opens: every
    row, audit record and event it writes carries the same instant."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now

    async def audit(self, *, actor: str, action: str, target: str, reason: str = "", before: object = None,
                    after: object = None, params: object = None) -> None:
        """Append to the hash-chained audit log; the record exists only if the unit commits."""
        await record_action(self.session, at=self.now, actor=actor, action=action, target=target, reason=reason,
                            before=before, after=after, params=params)

    async def publish(self, topic: str, events: Sequence[Event]) -> None:
        """Through the outbox: the relay sends them once the unit has committed."""
        await outbox.enqueue(self.session, topic, events)


class Transactions(Protocol):
    """What opens a transaction: an `async_sessionmaker` in a service, a memory double in the unit tier."""

    def begin(self) -> AbstractAsyncContextManager[AsyncSession]: ...


class UnitsOfWork:
    """Opens a service's units of work on its database, with its clock."""

    def __init__(self, sessions: Transactions, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[UnitOfWork]:
        """Commits when the block ends, rolls back when it raises."""
        async with self._sessions.begin() as session:
            yield UnitOfWork(session, self._clock.now())

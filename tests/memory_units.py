"""Units of work kept in memory, for the unit tier: the twin of platform_shared's `UnitsOfWork`, so the use
cases and `TwoStep` run unchanged on it (STYLE §5: a real implementation, not a mock). A service's memory
state extends `Ledger` with its own rows, and its stores factory builds the service's memory stores on it.

What this tier checks is the rules and the wiring, not PostgreSQL: units here run one at a time (in the
service, row and advisory locks serialise the writers), and one that raises is undone by restoring a
snapshot. Rows are replaced, never changed in place, so a shallow copy of each collection is a snapshot."""

import asyncio
import copy
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from platform_shared.application.confirmations import Pending
from platform_shared.audit.confirmations import DEFAULT_TTL
from platform_shared.contracts.events import Event
from platform_shared.errors import ConflictError, NotFoundError
from platform_shared.time.clock import Clock

S = TypeVar("S")


@dataclass(frozen=True)
class Audited:
    """One record of the audit log (the SQL twin also chains their hashes)."""

    at: datetime
    actor: str
    action: str
    target: str
    reason: str
    before: object
    after: object
    params: object


@dataclass(frozen=True)
class StoredConfirmation:
    action: str
    target: str
    pending: Pending


@dataclass
class Ledger:
    """What units of work leave besides a service's own rows: the audit log, the outbox and the tokens."""

    audited: list[Audited] = field(default_factory=list)
    published: list[tuple[str, Event]] = field(default_factory=list)
    """What the outbox would publish: (topic, event), in order."""
    confirmations: dict[str, StoredConfirmation] = field(default_factory=dict)

    def snapshot(self) -> dict[str, Any]:
        return {f.name: copy.copy(getattr(self, f.name)) for f in fields(self)}

    def restore(self, snapshot: dict[str, Any]) -> None:
        for name, value in snapshot.items():
            setattr(self, name, value)


L = TypeVar("L", bound=Ledger)


class MemoryConfirmations:
    """The rules of platform_shared/audit/confirmations.py: a token is bound to one action on one target,
    expires unless confirmed, and a confirmed token answers its outcome."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    async def request(self, *, action: str, target: str, params: dict[str, Any], summary: dict[str, Any],
                      actor: str, now: datetime) -> Pending:
        pending = Pending(secrets.token_urlsafe(24), params, actor, now + DEFAULT_TTL)
        self._ledger.confirmations[pending.token] = StoredConfirmation(action, target, pending)
        return pending

    async def claim(self, token: str, *, action: str, target: str, now: datetime) -> Pending:
        stored = self._ledger.confirmations.get(token)
        if stored is None or (stored.action, stored.target) != (action, target):
            raise NotFoundError(f"no pending {action} for {target} with this token", field="token")
        if not stored.pending.confirmed and stored.pending.expires_at <= now:
            raise ConflictError(f"the confirmation token expired at {stored.pending.expires_at.isoformat()}; "
                                "prepare again", field="token")
        return stored.pending

    async def complete(self, token: str, *, actor: str, now: datetime, outcome: dict[str, Any]) -> None:
        stored = self._ledger.confirmations[token]
        self._ledger.confirmations[token] = replace(stored, pending=replace(stored.pending, outcome=outcome))


class MemoryUnitOfWork(Generic[S]):
    def __init__(self, ledger: Ledger, now: datetime, stores: S) -> None:
        self.now, self.stores, self._ledger = now, stores, ledger
        self.confirmations = MemoryConfirmations(ledger)

    async def audit(self, *, actor: str, action: str, target: str, reason: str = "", before: object = None,
                    after: object = None, params: object = None) -> None:
        self._ledger.audited.append(Audited(self.now, actor, action, target, reason, before, after, params))

    async def publish(self, topic: str, events: Sequence[Event]) -> None:
        self._ledger.published.extend((topic, event) for event in events)


class MemoryUnitsOfWork(Generic[L, S]):
    """Opens units on `state`, one at a time, each with the service's stores built on it."""

    def __init__(self, state: L, clock: Clock, stores: Callable[[L], S]) -> None:
        self.state, self._clock, self._stores = state, clock, stores
        self._one_at_a_time = asyncio.Lock()

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[MemoryUnitOfWork[S]]:
        """Keeps what the block did when it ends, undoes all of it when it raises."""
        async with self._one_at_a_time:
            before = self.state.snapshot()
            try:
                yield MemoryUnitOfWork(self.state, self._clock.now(), self._stores(self.state))
            except BaseException:
                self.state.restore(before)
                raise

"""What the waitlist's use cases (intake, promotion) ask of storage, as a Protocol: one draw run with its
offers and its ranked waitlist, in the caller's transaction. `RunStore` (run_store.py) keeps it in
PostgreSQL; the unit tier's `MemoryRunStore` (tests/memory_waitlist.py) keeps it in lists. Neither inherits
from the other: a method the memory store lacks is a type error, never a silent fall-through to SQL.

Each method's contract (which rows, under which lock) is written once on `RunStore`; an implementation
keeps the same one."""

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from platform_shared.contracts.events import DrawCompleted, DrawRolledBack, Event, RankedEntrant
from platform_shared.contracts.policy import PolicyDocument
from waitlist_service.adapters.models import Offer, WaitlistEntry, WaitlistRun
from waitlist_service.domain.offers import NewOffer
from waitlist_service.domain.seats import EntryStatus


class SeatStore(Protocol):
    async def policy(self) -> PolicyDocument: ...

    async def announce(self, topic: str, events: Iterable[Event]) -> None: ...

    async def lock(self, run_id: UUID) -> WaitlistRun: ...

    async def lock_if_known(self, run_id: UUID) -> WaitlistRun | None: ...

    async def lock_unless_busy(self, run_id: UUID) -> WaitlistRun | None: ...

    async def receive(self, event: DrawCompleted) -> WaitlistRun: ...

    async def lock_for_rollback(self, event: DrawRolledBack) -> WaitlistRun | None: ...

    async def due_run_ids(self, now: datetime) -> Sequence[UUID]: ...

    async def offer(self, offer_id: UUID) -> Offer: ...

    async def lock_offer(self, offer: Offer) -> None: ...

    async def offers(self, run_id: UUID) -> Sequence[Offer]: ...

    async def waiting(self, run_id: UUID) -> Sequence[WaitlistEntry]: ...

    async def add_offers(self, offers: Sequence[NewOffer]) -> None: ...

    async def add_waitlist(self, run_id: UUID, campaign_id: str, people: Sequence[RankedEntrant]) -> None: ...

    async def expire(self, offer_ids: Sequence[UUID], now: datetime) -> None: ...

    async def mark_entries(self, run_id: UUID, ranks: Sequence[int], status: EntryStatus) -> None: ...

    async def void_offers_and_waitlist(self, run_id: UUID) -> None: ...

    async def mark_delivered(self, run_id: UUID, user_id: str, delivered_at: datetime, until: datetime,
                             told: bool = True) -> None: ...

    async def flush(self) -> None: ...


Stores = Callable[[Any], SeatStore]
"""A store for the caller's transaction: `RunStore` itself for an `AsyncSession`."""


class Sessions(Protocol):
    """Transactions for the use cases: an `async_sessionmaker` in the service."""

    def __call__(self) -> AbstractAsyncContextManager[Any]: ...

    def begin(self) -> AbstractAsyncContextManager[Any]: ...

"""The waitlist's storage kept in memory, for the unit tier: `MemoryRunStore` implements the use cases'
`SeatStore` protocol (application/ports.py) with lists, keeping the contract `RunStore` keeps in SQL, and
shares no code with it, so no call can reach SQL from here; `MemorySessions` has the shape of an
`async_sessionmaker`, and `MemoryInbox` the shape of the inbox. The use cases and the consumer run unchanged
on top of them.

What this tier checks is the rules and the wiring, not PostgreSQL: write transactions here run one at a
time (in the service, the run's row lock serialises passes; here nothing can interleave), and roll back by
restoring a snapshot. Every scenario that runs here also runs against the real database.
"""

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from sqlalchemy import inspect

from platform_shared.contracts.events import DrawCompleted, DrawRolledBack, Event, RankedEntrant
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import NotFoundError
from waitlist_service.adapters.models import Offer, WaitlistEntry, WaitlistRun
from waitlist_service.application.ports import SeatStore
from waitlist_service.domain.offers import NewOffer
from waitlist_service.domain.runs import PROMOTABLE, RunStatus
from waitlist_service.domain.seats import HELD, EntryStatus, OfferStatus

Row = TypeVar("Row")


class UniqueViolation(Exception):
    """What PostgreSQL's unique constraints on offers and waitlist entries would raise."""


@dataclass
class WaitlistState:
    runs: list[WaitlistRun] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    entries: list[WaitlistEntry] = field(default_factory=list)
    announced: list[tuple[str, Event]] = field(default_factory=list)
    """What the outbox would publish: (topic, event), in order."""
    claimed: set[tuple[str, UUID]] = field(default_factory=set)
    """The inbox: (consumer group, event id)."""
    added: list[object] = field(default_factory=list)
    """Rows added through `session.add` (the consumer's copy of each dead letter)."""
    policy: PolicyDocument = field(default_factory=PolicyDocument)

    def snapshot(self) -> "WaitlistState":
        return replace(self, runs=_copies(self.runs), offers=_copies(self.offers), entries=_copies(self.entries),
                       announced=list(self.announced), claimed=set(self.claimed), added=list(self.added))

    def restore(self, snapshot: "WaitlistState") -> None:
        self.runs, self.offers, self.entries = snapshot.runs, snapshot.offers, snapshot.entries
        self.announced, self.claimed, self.added = snapshot.announced, snapshot.claimed, snapshot.added


def _copies(rows: list[Row]) -> list[Row]:
    return [type(row)(**{a.key: getattr(row, a.key) for a in inspect(type(row)).column_attrs}) for row in rows]


class MemoryTransaction:
    """What a handler receives as its session."""

    def __init__(self, state: WaitlistState) -> None:
        self.state = state

    def add(self, row: object) -> None:
        self.state.added.append(row)


class MemorySessions:
    def __init__(self, state: WaitlistState) -> None:
        self.state = state
        self._one_writer = asyncio.Lock()

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[MemoryTransaction]:
        async with self._one_writer:
            before = self.state.snapshot()
            try:
                yield MemoryTransaction(self.state)
            except BaseException:
                self.state.restore(before)
                raise

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[MemoryTransaction]:
        yield MemoryTransaction(self.state)


class MemoryInbox:
    async def claim(self, session: MemoryTransaction, consumer: str, event_id: UUID) -> bool:
        return bool(await self.claim_many(session, consumer, [event_id]))

    async def claim_many(self, session: MemoryTransaction, consumer: str, event_ids: list[UUID]) -> set[UUID]:
        fresh = {event_id for event_id in event_ids if (consumer, event_id) not in session.state.claimed}
        session.state.claimed.update((consumer, event_id) for event_id in fresh)
        return fresh


class MemoryRunStore:
    def __init__(self, session: MemoryTransaction) -> None:
        self._state = session.state

    async def policy(self) -> PolicyDocument:
        return self._state.policy

    async def announce(self, topic: str, events: Iterable[Event]) -> None:
        self._state.announced.extend((topic, event) for event in events)

    async def lock(self, run_id: UUID) -> WaitlistRun:
        run = self._run(run_id)
        if run is None:
            raise NotFoundError(f"no draw run {run_id} on the waitlist", field="run_id")
        return run

    async def lock_unless_busy(self, run_id: UUID) -> WaitlistRun | None:
        return self._run(run_id)

    async def lock_if_known(self, run_id: UUID) -> WaitlistRun | None:
        return self._run(run_id)

    async def receive(self, event: DrawCompleted) -> WaitlistRun:
        run = self._run(event.run_id)
        if run is None:
            run = WaitlistRun(run_id=event.run_id, campaign_id=event.campaign_id, seats=event.seats,
                              waitlist_size=event.waitlist_size, part_count=event.part_count, parts_received=0,
                              status=RunStatus.RECEIVING, campaign_name=event.campaign_name)
            self._state.runs.append(run)
        return run

    async def lock_for_rollback(self, event: DrawRolledBack) -> WaitlistRun | None:
        run = self._run(event.run_id)
        if run is None:
            self._state.runs.append(WaitlistRun(
                run_id=event.run_id, campaign_id=event.campaign_id, seats=0, waitlist_size=0, part_count=0,
                parts_received=0, status=RunStatus.VOID, void_reason=event.reason, voided_at=event.occurred_at))
        return run

    async def due_run_ids(self, now: datetime) -> Sequence[UUID]:
        def due(run: WaitlistRun) -> bool:
            offers = [o for o in self._state.offers if o.run_id == run.run_id]
            overdue = any(o.status == OfferStatus.OFFERED and o.view().overdue(now) for o in offers)
            free_seat = run.seats > sum(o.status in HELD for o in offers)
            return overdue or (free_seat and bool(self._waiting(run.run_id)))

        return [run.run_id for run in self._state.runs if run.status in PROMOTABLE and due(run)]

    async def offer(self, offer_id: UUID) -> Offer:
        offer = next((o for o in self._state.offers if o.id == offer_id), None)
        if offer is None:
            raise NotFoundError(f"no offer {offer_id}", field="offer_id")
        return offer

    async def lock_offer(self, offer: Offer) -> None:
        pass  # transactions here run one at a time

    async def offers(self, run_id: UUID) -> Sequence[Offer]:
        return [o for o in self._state.offers if o.run_id == run_id]

    async def waiting(self, run_id: UUID) -> Sequence[WaitlistEntry]:
        return self._waiting(run_id)

    async def add_offers(self, offers: Sequence[NewOffer]) -> None:
        for offer in offers:
            taken = {key for o in self._state.offers for key in ((o.run_id, o.user_id), (o.run_id, o.rank))}
            if {(offer.run_id, offer.user_id), (offer.run_id, offer.rank)} & taken:
                raise UniqueViolation(f"offer for {offer.user_id} (rank {offer.rank}) exists in run {offer.run_id}")
            self._state.offers.append(Offer(**offer.as_row()))

    async def add_waitlist(self, run_id: UUID, campaign_id: str, people: Sequence[RankedEntrant]) -> None:
        for person in people:
            if any(e.run_id == run_id and e.rank == person.rank for e in self._state.entries):
                raise UniqueViolation(f"waitlist rank {person.rank} exists in run {run_id}")
            self._state.entries.append(WaitlistEntry(run_id=run_id, rank=person.rank, campaign_id=campaign_id,
                                                     user_id=person.user_id, status=EntryStatus.WAITING))

    async def expire(self, offer_ids: Sequence[UUID], now: datetime) -> None:
        for offer in self._state.offers:
            if offer.id in offer_ids and offer.status == OfferStatus.OFFERED and offer.view().overdue(now):
                offer.status = OfferStatus.EXPIRED

    async def mark_entries(self, run_id: UUID, ranks: Sequence[int], status: EntryStatus) -> None:
        for entry in self._state.entries:
            if entry.run_id == run_id and entry.rank in ranks:
                entry.status = status

    async def void_offers_and_waitlist(self, run_id: UUID) -> None:
        for offer in await self.offers(run_id):
            if offer.status in HELD:
                offer.status = OfferStatus.VOID
        for entry in self._waiting(run_id):
            entry.status = EntryStatus.VOID

    async def mark_delivered(self, run_id: UUID, user_id: str, delivered_at: datetime, until: datetime,
                             told: bool = True) -> None:
        for offer in await self.offers(run_id):
            if offer.user_id == user_id and offer.status in (OfferStatus.OFFERED, OfferStatus.VOID):
                offer.delivered_at = offer.delivered_at or delivered_at
                offer.told_at = offer.told_at or (delivered_at if told else None)
                offer.respond_by = max(offer.respond_by, until)

    async def flush(self) -> None:
        pass

    def _run(self, run_id: UUID) -> WaitlistRun | None:
        return next((run for run in self._state.runs if run.run_id == run_id), None)

    def _waiting(self, run_id: UUID) -> list[WaitlistEntry]:
        return sorted((e for e in self._state.entries if e.run_id == run_id and e.status == EntryStatus.WAITING),
                      key=lambda e: e.rank)


_MEMORY_RUN_STORE_IS_A_SEAT_STORE: type[SeatStore] = MemoryRunStore  # mypy: no method missing, none mistyped

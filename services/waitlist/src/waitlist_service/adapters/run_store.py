"""The waitlist's storage for one aggregate: a draw run with its offers and its ranked waitlist. SQL and
PostgreSQL locking live here; the use cases (intake, promotion) load through it, let the rules in
domain/ decide, and store through it, all in the caller's transaction.

Every change to a run's seats happens under the run's row lock (`lock`), so two replicas' schedulers,
a manual trigger and a decline at the same moment queue up instead of promoting the same seat twice.
What leaves with a change (events, through the outbox) and the policy it is decided under are read and
written in the same transaction, so they go through the store as well.

The use cases take a `Stores` factory of `SeatStore`s (application/ports.py) rather than this class, so the unit
tier can hand them a store that keeps the same contract in memory (tests/memory_waitlist.py).
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import exists, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.contracts.events import DrawCompleted, DrawRolledBack, Event, RankedEntrant
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.db.engine import any_of, copy_records
from platform_shared.errors import NotFoundError
from platform_shared.messaging import outbox
from platform_shared.messaging.policy_cache import current_policy
from waitlist_service.adapters.models import Offer, WaitlistEntry, WaitlistRun
from waitlist_service.domain.offers import NewOffer
from waitlist_service.domain.runs import PROMOTABLE, RunStatus
from waitlist_service.domain.seats import HELD, EntryStatus, OfferStatus


class RunStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def policy(self) -> PolicyDocument:
        return (await current_policy(self._session))[1]

    async def announce(self, topic: str, events: Iterable[Event]) -> None:
        """Events published if, and only if, this transaction commits (the outbox)."""
        await outbox.enqueue(self._session, topic, events)

    async def lock(self, run_id: UUID) -> WaitlistRun:
        run = await self._session.get(WaitlistRun, run_id, with_for_update=True)
        if run is None:
            raise NotFoundError(f"no draw run {run_id} on the waitlist", field="run_id")
        return run

    async def lock_if_known(self, run_id: UUID) -> WaitlistRun | None:
        """The run, locked (waiting for a pass under way); None for a run this service never received."""
        return await self._session.get(WaitlistRun, run_id, with_for_update=True)

    async def lock_unless_busy(self, run_id: UUID) -> WaitlistRun | None:
        """The run, locked; None if another replica holds it right now (skipped, not waited for)."""
        return await self._session.get(WaitlistRun, run_id, with_for_update={"skip_locked": True})

    async def receive(self, event: DrawCompleted) -> WaitlistRun:
        """The run a part of results belongs to, created by its first part, locked."""
        await self._session.execute(insert(WaitlistRun).values(
            run_id=event.run_id, campaign_id=event.campaign_id, seats=event.seats, waitlist_size=event.waitlist_size,
            part_count=event.part_count, parts_received=0, status=RunStatus.RECEIVING,
            campaign_name=event.campaign_name).on_conflict_do_nothing())
        run = await self._session.get(WaitlistRun, event.run_id, with_for_update=True, populate_existing=True)
        assert run is not None
        return run

    async def lock_for_rollback(self, event: DrawRolledBack) -> WaitlistRun | None:
        """The run, locked; or, when the rollback overtook the results, a void run remembered so that late
        parts are ignored (None)."""
        run = await self._session.get(WaitlistRun, event.run_id, with_for_update=True)
        if run is None:
            self._session.add(WaitlistRun(run_id=event.run_id, campaign_id=event.campaign_id, seats=0,
                                          waitlist_size=0, part_count=0, parts_received=0, status=RunStatus.VOID,
                                          void_reason=event.reason, voided_at=event.occurred_at))
        return run

    async def due_run_ids(self, now: datetime) -> Sequence[UUID]:
        """Runs with an overdue offer, or a free seat and someone waiting."""
        return (await self._session.scalars(select(WaitlistRun.run_id).where(
            WaitlistRun.status.in_(PROMOTABLE),
            exists().where(Offer.run_id == WaitlistRun.run_id, Offer.status == OfferStatus.OFFERED,
                           Offer.delivered_at.is_not(None), Offer.respond_by <= now)
            | (WaitlistRun.seats > select(func.count()).where(
                Offer.run_id == WaitlistRun.run_id, Offer.status.in_(HELD)).scalar_subquery())
            & exists().where(WaitlistEntry.run_id == WaitlistRun.run_id, WaitlistEntry.status == EntryStatus.WAITING),
        ))).all()

    async def offer(self, offer_id: UUID) -> Offer:
        offer = await self._session.get(Offer, offer_id)
        if offer is None:
            raise NotFoundError(f"no offer {offer_id}", field="offer_id")
        return offer

    async def lock_offer(self, offer: Offer) -> None:
        """Re-read the offer under its row lock (take the run's lock first, as every pass does)."""
        await self._session.refresh(offer, with_for_update=True)

    async def offers(self, run_id: UUID) -> Sequence[Offer]:
        return (await self._session.scalars(select(Offer).where(Offer.run_id == run_id))).all()

    async def waiting(self, run_id: UUID) -> Sequence[WaitlistEntry]:
        """The run's waiting people, in rank order."""
        return (await self._session.scalars(select(WaitlistEntry).where(
            WaitlistEntry.run_id == run_id, WaitlistEntry.status == EntryStatus.WAITING)
            .order_by(WaitlistEntry.rank))).all()

    async def add_offers(self, offers: Sequence[NewOffer]) -> None:
        if offers:
            rows = [offer.as_row() for offer in offers]
            await copy_records(self._session, "offers", list(rows[0]), [list(row.values()) for row in rows])

    async def add_waitlist(self, run_id: UUID, campaign_id: str, people: Sequence[RankedEntrant]) -> None:
        if people:
            await self._session.execute(insert(WaitlistEntry), [
                {"run_id": run_id, "rank": p.rank, "campaign_id": campaign_id, "user_id": p.user_id,
                 "status": EntryStatus.WAITING} for p in people])

    async def expire(self, offer_ids: Sequence[UUID], now: datetime) -> None:
        """Expire these offers, each only if it is still open, delivered and past its deadline as stored now
        (a deadline moved since the pass read it is not overwritten)."""
        if offer_ids:
            await self._session.execute(update(Offer).where(
                any_of(Offer.id, offer_ids), Offer.status == OfferStatus.OFFERED, Offer.delivered_at.is_not(None),
                Offer.respond_by <= now)
                .values(status=OfferStatus.EXPIRED))

    async def mark_entries(self, run_id: UUID, ranks: Sequence[int], status: EntryStatus) -> None:
        if ranks:
            await self._session.execute(update(WaitlistEntry).where(
                WaitlistEntry.run_id == run_id, any_of(WaitlistEntry.rank, ranks)).values(status=status))

    async def void_offers_and_waitlist(self, run_id: UUID) -> None:
        await self._session.execute(update(Offer).where(Offer.run_id == run_id, Offer.status.in_(HELD))
                                    .values(status=OfferStatus.VOID))
        await self._session.execute(update(WaitlistEntry).where(WaitlistEntry.run_id == run_id,
                                                                WaitlistEntry.status == EntryStatus.WAITING)
                                    .values(status=EntryStatus.VOID))

    async def mark_delivered(self, run_id: UUID, user_id: str, delivered_at: datetime, until: datetime,
                             told: bool = True) -> None:
        """An open offer's notification went out: its deadline starts to run, moved to `until` if that is
        later (never shortened); the first delivery is the one remembered. An offer voided by a rollback while
        its message was in flight is marked too: the person was told, and is owed the correction (§14.2)."""
        await self._session.execute(update(Offer).where(
            Offer.run_id == run_id, Offer.user_id == user_id,
            Offer.status.in_((OfferStatus.OFFERED, OfferStatus.VOID))).values(
            delivered_at=func.coalesce(Offer.delivered_at, delivered_at),
            told_at=func.coalesce(Offer.told_at, delivered_at) if told else Offer.told_at,
            respond_by=func.greatest(Offer.respond_by, until)))

    async def flush(self) -> None:
        await self._session.flush()


"""Turn draw events into runs, offers and the ranked waitlist (consumer handlers, run in the
consumer's transaction together with the inbox claim)."""

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    DrawCompleted,
    DrawRolledBack,
    NotificationDelivered,
)
from platform_shared.messaging import outbox
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.time.clock import Clock
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.seats import HELD, OfferStatus, respond_by
from waitlist_service.models import Offer, RunStatus, WaitlistEntry, WaitlistRun


class DrawIntake:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def record_draw(self, event: DrawCompleted, session: AsyncSession) -> None:
        """One part of a draw: an offer and a notification per winner, the waitlist in rank order."""
        run = await _run_for_update(session, event)
        if run.status == RunStatus.VOID:
            return  # rolled back before (or while) its results arrived: nothing to offer
        _, policy = await current_policy(session)
        now = self._clock.now()
        deadline = respond_by(now, policy)
        offers = new_offers(event.run_id, event.campaign_id, ((w.rank, w.user_id) for w in event.winners),
                            "draw", now, deadline)
        if offers:
            await session.execute(insert(Offer), [offer.as_row() for offer in offers])
        if event.waitlist:
            await session.execute(insert(WaitlistEntry), [
                {"run_id": event.run_id, "rank": e.rank, "campaign_id": event.campaign_id, "user_id": e.user_id,
                 "status": "waiting"} for e in event.waitlist])
        await outbox.enqueue(session, topics.NOTIFICATION_REQUESTED, [offer.notification() for offer in offers])
        run.parts_received += 1
        if run.parts_received == run.part_count:
            run.status = RunStatus.ACTIVE

    @staticmethod
    async def void_run(event: DrawRolledBack, session: AsyncSession) -> None:
        """The run's offers and waitlist become void; no promotion for it ever again."""
        run = await session.get(WaitlistRun, event.run_id, with_for_update=True)
        if run is None:
            # The rollback overtook the results: remember it, so late parts are ignored.
            session.add(WaitlistRun(run_id=event.run_id, campaign_id=event.campaign_id, seats=0, waitlist_size=0,
                                    part_count=0, parts_received=0, status=RunStatus.VOID, void_reason=event.reason))
            return
        run.status, run.void_reason = RunStatus.VOID, event.reason
        await session.execute(update(Offer).where(Offer.run_id == event.run_id, Offer.status.in_(HELD))
                              .values(status=OfferStatus.VOID))
        await session.execute(update(WaitlistEntry).where(WaitlistEntry.run_id == event.run_id,
                                                          WaitlistEntry.status == "waiting").values(status="void"))


async def extend_deadline(event: NotificationDelivered, session: AsyncSession) -> None:
    """An offer's answer window counts from when its notification actually went out (SPEC §4): a
    notification held through quiet hours, a pause or a backlog does not eat into it."""
    _, policy = await current_policy(session)
    window = timedelta(hours=policy.response_timeout_hours)
    await session.execute(update(Offer).where(
        Offer.run_id == event.run_id, Offer.user_id == event.user_id, Offer.status == OfferStatus.OFFERED,
        Offer.respond_by < event.delivered_at + window).values(respond_by=event.delivered_at + window))


async def _run_for_update(session: AsyncSession, event: DrawCompleted) -> WaitlistRun:
    await session.execute(insert(WaitlistRun).values(
        run_id=event.run_id, campaign_id=event.campaign_id, seats=event.seats, waitlist_size=event.waitlist_size,
        part_count=event.part_count, parts_received=0, status=RunStatus.RECEIVING).on_conflict_do_nothing())
    run = await session.get(WaitlistRun, event.run_id, with_for_update=True, populate_existing=True)
    assert run is not None
    return run

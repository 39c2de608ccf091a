"""Waitlist use cases: turn a finished draw into offers and the ranked waitlist."""

from datetime import timedelta
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared import outbox, topics
from platform_shared.clock import Clock
from platform_shared.contracts import DrawCompleted, NotificationRequested
from platform_shared.policy_cache import current_policy
from waitlist_service.models import Offer, WaitlistEntry


def offer_dedupe_key(run_id: UUID, user_id: str) -> str:
    return f"offer:{run_id}:{user_id}"


class OfferService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record_draw(self, event: DrawCompleted, session: AsyncSession) -> None:
        """One offer and one notification per winner; the waitlist stored in rank order."""
        _, policy = await current_policy(session)
        now = self._clock.now()
        respond_by = now + timedelta(hours=policy.response_timeout_hours)
        offers = [
            {"id": uuid4(), "run_id": event.run_id, "campaign_id": event.campaign_id,
             "user_id": winner.user_id, "rank": winner.rank, "status": "offered", "respond_by": respond_by}
            for winner in event.winners
        ]
        if offers:
            # The unique (run_id, user_id) constraint is the last line against a double win.
            await session.execute(insert(Offer).values(offers).on_conflict_do_nothing())
        if event.waitlist:
            await session.execute(insert(WaitlistEntry).values([
                {"run_id": event.run_id, "rank": entrant.rank, "campaign_id": event.campaign_id,
                 "user_id": entrant.user_id, "status": "waiting"}
                for entrant in event.waitlist
            ]).on_conflict_do_nothing())
        outbox.enqueue(session, topics.NOTIFICATION_REQUESTED, [
            NotificationRequested(
                occurred_at=now, dedupe_key=offer_dedupe_key(event.run_id, offer["user_id"]),
                user_id=offer["user_id"], template="WINNER_OFFER", campaign_id=event.campaign_id,
                run_id=event.run_id,
                params={"campaign_id": event.campaign_id, "respond_by": respond_by.isoformat()},
            )
            for offer in offers
        ])

    async def offers_for_run(self, run_id: UUID) -> list[Offer]:
        async with self._sessions() as session:
            return list((await session.scalars(
                select(Offer).where(Offer.run_id == run_id).order_by(Offer.rank))).all())

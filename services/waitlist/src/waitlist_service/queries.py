"""Read side of the waitlist: offers and a per-run status for operators."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.errors import NotFoundError
from waitlist_service.domain.seats import HELD, OfferStatus
from waitlist_service.models import Offer, WaitlistEntry, WaitlistRun


@dataclass(frozen=True)
class RunStatusView:
    run_id: UUID
    campaign_id: str
    status: str
    seats: int
    held: int
    offered: int
    accepted: int
    declined: int
    expired: int
    void: int
    waitlist_remaining: int
    last_promotion_at: datetime | None
    void_reason: str | None


class WaitlistQueries:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def offers_for_run(self, run_id: UUID) -> list[Offer]:
        async with self._sessions() as session:
            return list((await session.scalars(
                select(Offer).where(Offer.run_id == run_id).order_by(Offer.rank))).all())

    async def status(self, run_id: UUID) -> RunStatusView:
        async with self._sessions() as session:
            run = await session.get(WaitlistRun, run_id)
            if run is None:
                raise NotFoundError(f"no draw run {run_id} on the waitlist", field="run_id")
            by_status = dict((await session.execute(select(Offer.status, func.count()).where(
                Offer.run_id == run_id).group_by(Offer.status))).all())
            waiting = await session.scalar(select(func.count()).where(
                WaitlistEntry.run_id == run_id, WaitlistEntry.status == "waiting")) or 0
        count = {status: int(by_status.get(status, 0)) for status in OfferStatus}
        return RunStatusView(
            run_id=run.run_id, campaign_id=run.campaign_id, status=run.status, seats=run.seats,
            held=sum(count[s] for s in HELD), offered=count[OfferStatus.OFFERED],
            accepted=count[OfferStatus.ACCEPTED], declined=count[OfferStatus.DECLINED],
            expired=count[OfferStatus.EXPIRED], void=count[OfferStatus.VOID], waitlist_remaining=int(waiting),
            last_promotion_at=run.last_promotion_at, void_reason=run.void_reason)

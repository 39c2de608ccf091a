"""Read side of the waitlist: offers and a per-run status for operators; an entrant's own offers; the offer
a signed answer link shows."""

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts.admin.waitlist import RunStatusOut
from platform_shared.errors import NotFoundError
from waitlist_service.adapters.models import Offer, WaitlistEntry, WaitlistRun
from waitlist_service.domain.answers import LinkHolder, LinkSecret, refuse_unless_owner
from waitlist_service.domain.seats import HELD, EntryStatus, OfferStatus


class WaitlistQueries:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], link_secret: LinkSecret | None = None) -> None:
        self._sessions = sessions
        self._link_secret = link_secret

    async def offers_for_run(self, run_id: UUID) -> list[Offer]:
        async with self._sessions() as session:
            return list((await session.scalars(
                select(Offer).where(Offer.run_id == run_id).order_by(Offer.rank))).all())

    async def offers_of_user(self, kakao_user_id: int) -> list[Offer]:
        """One person's offers, newest first (offers keep the kakaoUserId as text)."""
        async with self._sessions() as session:
            return list((await session.scalars(select(Offer).where(Offer.user_id == str(kakao_user_id))
                                               .order_by(Offer.offered_at.desc(), Offer.id))).all())

    async def offer_by_link(self, offer_id: UUID, signature: str) -> Offer:
        """The offer a signed answer link points at; any other signature: 403."""
        async with self._sessions() as session:
            offer = await session.get(Offer, offer_id)
        if offer is None:
            raise NotFoundError(f"no offer {offer_id}", field="offer_id")
        refuse_unless_owner(offer.view(), LinkHolder(signature), self._link_secret)
        return offer

    async def status(self, run_id: UUID) -> RunStatusOut:
        async with self._sessions() as session:
            run = await session.get(WaitlistRun, run_id)
            if run is None:
                raise NotFoundError(f"no draw run {run_id} on the waitlist", field="run_id")
            by_status = dict((await session.execute(select(Offer.status, func.count()).where(
                Offer.run_id == run_id).group_by(Offer.status))).all())
            waiting = await session.scalar(select(func.count()).where(
                WaitlistEntry.run_id == run_id, WaitlistEntry.status == EntryStatus.WAITING)) or 0
            undelivered = await session.scalar(select(func.count()).where(
                Offer.run_id == run_id, Offer.status == OfferStatus.OFFERED, Offer.delivered_at.is_(None))) or 0
        count = {status: int(by_status.get(status, 0)) for status in OfferStatus}
        return RunStatusOut(
            run_id=run.run_id, campaign_id=run.campaign_id, status=run.status, seats=run.seats,
            held=sum(count[s] for s in HELD), offered=count[OfferStatus.OFFERED], undelivered=int(undelivered),
            accepted=count[OfferStatus.ACCEPTED], declined=count[OfferStatus.DECLINED],
            expired=count[OfferStatus.EXPIRED], void=count[OfferStatus.VOID], waitlist_remaining=int(waiting),
            last_promotion_at=run.last_promotion_at, void_reason=run.void_reason)

"""Correcting a wrong seat count or waitlist size (seed §3.5): without a reopen, since it changes no key, only
the cut. Not under a live run (roll it back first); audited with before and after."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.models import Draw
from lottery_service.application.draw_snapshot import draw_snapshot
from lottery_service.domain.draw_lifecycle import refuse_while_drawn
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock


class CorrectPlaces:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def correct_places(self, campaign_id: str, *, seats: int, waitlist_size: int, reason: str,
                             actor: str) -> Draw:
        async with self._units.begin() as uow:
            draw = await DrawStore(uow.session).lock(campaign_id)
            refuse_while_drawn(campaign_id, draw.status, "a seat or waitlist size correction")
            before = draw_snapshot(draw)
            draw.seats, draw.waitlist_size = seats, waitlist_size
            await uow.audit(actor=actor, action="draw.correct_places",
                            target=f"draw:{campaign_id}", reason=reason, before=before, after=draw_snapshot(draw))
        return draw

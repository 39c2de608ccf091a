"""Creating a draw (a campaign event), open for entries, within the policy's bounds (seed §7.3): an event
outside them is refused, naming the field and the bound."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.models import Draw
from lottery_service.application.draw_snapshot import draw_snapshot
from lottery_service.domain.draw_lifecycle import DrawStatus
from lottery_service.domain.event_review import EventSettings, refuse_out_of_bounds
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.time.clock import Clock


class CreateDraw:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def create_draw(self, *, campaign_id: str, seats: int, waitlist_size: int, draw_at: datetime,
                          requires_intro: bool, requires_adgate: bool, weight_cap: float | None,
                          cooldown_hours: float, actor: str, intro: str = "",
                          display_name: str | None = None) -> Draw:
        """An event outside the policy's bounds is refused, naming the field and the bound."""
        async with self._units.begin() as uow:
            policy_version, policy = await current_policy(uow.session)
            refuse_out_of_bounds(EventSettings(campaign_id, weight_cap, cooldown_hours, requires_adgate), policy,
                                 policy_version)
            draw = Draw(campaign_id=campaign_id, display_name=display_name, seats=seats, waitlist_size=waitlist_size,
                        draw_at=draw_at,
                        requires_intro=requires_intro, requires_adgate=requires_adgate, weight_cap=weight_cap,
                        cooldown_hours=cooldown_hours, intro=intro, status=DrawStatus.OPEN)
            await DrawStore(uow.session).add(draw)
            await uow.audit(actor=actor, action="draw.create", target=f"draw:{campaign_id}",
                            after=draw_snapshot(draw))
        return draw

"""What an entrant reads (SPEC §9, seed §3.1): the public campaign page with its banners, which needs no
login, and the campaign's intro, whose reading by a logged-in entrant is recorded (the Intro-first
precondition)."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.entrant_store import EntrantStore
from lottery_service.adapters.models import Draw
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.time.clock import Clock, to_kst


@dataclass(frozen=True)
class CampaignPage:
    draw: Draw
    banners: list[str]


class CampaignPages:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def page(self, campaign_id: str) -> CampaignPage:
        """What anyone may browse before logging in: the campaign, its status and its banners."""
        async with self._sessions() as session:
            draw = await DrawStore(session).get(campaign_id)
            _, policy = await current_policy(session)
        return CampaignPage(draw, policy.banners_for(campaign_id, to_kst(self._clock.now()).date()))

    async def read_intro(self, campaign_id: str, kakao_user_id: int) -> str:
        """Intro-first (seed §3.1): the server records that this entrant fetched the intro."""
        async with self._sessions.begin() as session:
            draw = await DrawStore(session).get(campaign_id)
            await EntrantStore(session).record_intro_view(campaign_id, kakao_user_id, self._clock.now())
        return draw.intro

"""Reading draws: each with its review against the policy in force (seed §7.3 event review)."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.models import Draw, Entry
from lottery_service.domain.event_review import Finding, review
from platform_shared.messaging.policy_cache import current_policy


@dataclass(frozen=True)
class ReviewedDraw:
    draw: Draw
    review: list[Finding]
    """Where the event now sits outside the policy in force (empty: within bounds)."""


class DrawQueries:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get_draw(self, campaign_id: str) -> ReviewedDraw:
        async with self._sessions() as session:
            draw = await DrawStore(session).get(campaign_id)
            _, policy = await current_policy(session)
        return ReviewedDraw(draw, review(draw.settings, policy))

    async def entry_page(self, campaign_id: str, offset: int, limit: int) -> tuple[int, Sequence[Entry]]:
        """(how many entries the draw holds, the page's): a draw that does not exist is a 404, not an empty page."""
        async with self._sessions() as session:
            store = DrawStore(session)
            await store.get(campaign_id)
            return await store.entries_page(campaign_id, offset, limit)

    async def all_draws(self, *, needs_review: bool) -> list[ReviewedDraw]:
        """Every draw reviewed against the policy in force; or only those to review (seed §7.3): not yet
        drawn, and out of bounds."""
        async with self._sessions() as session:
            store = DrawStore(session)
            draws = await (store.not_drawn() if needs_review else store.all())
            _, policy = await current_policy(session)
        reviewed = [ReviewedDraw(draw, review(draw.settings, policy)) for draw in draws]
        return [r for r in reviewed if r.review or not needs_review]

"""The lottery's storage for reopens: one row per reopen of a draw, numbered from 1. SQL only, in
the caller's transaction."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.models import DrawReopening


class ReopeningStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next_number(self, campaign_id: str) -> int:
        latest = await self._session.scalar(
            select(func.max(DrawReopening.number)).where(DrawReopening.campaign_id == campaign_id))
        return (latest or 0) + 1

    def add(self, reopening: DrawReopening) -> None:
        self._session.add(reopening)

    async def under_way(self, campaign_id: str) -> DrawReopening | None:
        """The reopen whose corrected set is not frozen yet (at most one: the draw is correcting)."""
        return await self._session.scalar(select(DrawReopening).where(
            DrawReopening.campaign_id == campaign_id, DrawReopening.new_commitment.is_(None)))

    async def of_campaign(self, campaign_id: str) -> list[DrawReopening]:
        return list((await self._session.scalars(select(DrawReopening).where(
            DrawReopening.campaign_id == campaign_id).order_by(DrawReopening.number))).all())

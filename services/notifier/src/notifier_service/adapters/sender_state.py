"""The sender's pause switch (runbook §6.3): one row, seeded by the first migration, kept across restarts
and read by every replica before each round. SQL only; when a pause ends is domain/pause.py's."""

from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.models import SenderState

SWITCH = 1
"""The one row's id."""


class SenderStateStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def current(self) -> SenderState | None:
        """None only on a database the first migration has not seeded."""
        return await self._session.get(SenderState, SWITCH)

    async def lock(self) -> SenderState:
        """Under its row lock, so that a pause and a resume at the same moment apply one after the other and
        each audit record's `before` is the state it replaced."""
        state = await self._session.get(SenderState, SWITCH, with_for_update=True)
        assert state is not None, "seeded by the first migration"
        return state

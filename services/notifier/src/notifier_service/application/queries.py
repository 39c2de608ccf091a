"""Read side of the notifier's queue."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import Notification


class NotificationQueries:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def list(self, run_id: UUID | None, status: str | None, limit: int) -> list[Notification]:
        query = select(Notification).order_by(Notification.received_at, Notification.id).limit(limit)
        if run_id is not None:
            query = query.where(Notification.run_id == run_id)
        if status is not None:
            query = query.where(Notification.status == status)
        async with self._sessions() as session:
            return list((await session.scalars(query)).all())

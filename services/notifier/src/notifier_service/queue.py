"""Notifier use cases: take notification requests into the queue, once per dedupe key."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.models import Notification
from platform_shared.contracts import NotificationRequested


class NotificationQueue:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @staticmethod
    async def enqueue(event: NotificationRequested, session: AsyncSession) -> None:
        """Store as `queued`; a second request with the same dedupe key is a no-op."""
        await session.execute(
            insert(Notification).values(
                dedupe_key=event.dedupe_key, event_id=event.event_id, user_id=event.user_id,
                template=event.template, params=event.params, campaign_id=event.campaign_id,
                run_id=event.run_id, status="queued", requested_at=event.occurred_at,
            ).on_conflict_do_nothing(index_elements=[Notification.dedupe_key])
        )

    async def list(self, run_id: UUID | None = None, limit: int = 1000) -> list[Notification]:
        query = select(Notification).order_by(Notification.id).limit(limit)
        if run_id is not None:
            query = query.where(Notification.run_id == run_id)
        async with self._sessions() as session:
            return list((await session.scalars(query)).all())

"""Read side of the notifier's queue: stored notifications, and the words each one says."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import Notification
from notifier_service.adapters.templates import TemplateStore
from notifier_service.domain.wording import message_preview

Texts = list[tuple[Notification, str | None]]


class NotificationQueries:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def list(self, run_id: UUID | None, status: str | None, limit: int,
                   template: str | None = None) -> list[Notification]:
        query = select(Notification).order_by(Notification.received_at, Notification.id).limit(limit)
        if run_id is not None:
            query = query.where(Notification.run_id == run_id)
        if status is not None:
            query = query.where(Notification.status == status)
        if template is not None:
            query = query.where(Notification.template == template)
        async with self._sessions() as session:
            return list((await session.scalars(query)).all())

    async def texts(self, run_id: UUID | None, status: str | None, limit: int,
                    template: str | None = None) -> Texts:
        """Each notification with its text under the template as it is now, in its language (seed §6.3: a fixed
        template is what a resend sends); None where there is no such template."""
        notifications = await self.list(run_id, status, limit, template)
        async with self._sessions() as session:
            bodies = await TemplateStore(session).bodies()
        return [(n, message_preview(bodies, n.template, n.locale, n.params)) for n in notifications]

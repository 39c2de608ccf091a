"""Inbox: remember which events a consumer applied, in the same transaction as their effects."""

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.messaging_tables import InboxMessage


async def claim(session: AsyncSession, consumer: str, event_id: UUID) -> bool:
    """True the first time `consumer` sees `event_id`; False for a redelivery (apply nothing)."""
    inserted = await session.scalar(
        insert(InboxMessage)
        .values(consumer=consumer, event_id=event_id)
        .on_conflict_do_nothing()
        .returning(InboxMessage.event_id)
    )
    return inserted is not None

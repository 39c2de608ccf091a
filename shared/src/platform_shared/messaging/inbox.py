"""Inbox: remember which events a consumer applied, in the same transaction as their effects."""

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.messaging.tables import InboxMessage


async def claim_many(session: AsyncSession, consumer: str, event_ids: list[UUID]) -> set[UUID]:
    """The ids among `event_ids` this consumer has not applied before (now claimed)."""
    if not event_ids:
        return set()
    # executemany form: SQLAlchemy compiles the statement once and batches the rows itself.
    inserted = await session.scalars(
        insert(InboxMessage).on_conflict_do_nothing().returning(InboxMessage.event_id),
        [{"consumer": consumer, "event_id": event_id} for event_id in event_ids],
    )
    return set(inserted)


async def claim(session: AsyncSession, consumer: str, event_id: UUID) -> bool:
    """True the first time `consumer` sees `event_id`; False for a redelivery (apply nothing)."""
    inserted = await session.scalar(
        insert(InboxMessage)
        .values(consumer=consumer, event_id=event_id)
        .on_conflict_do_nothing()
        .returning(InboxMessage.event_id)
    )
    return inserted is not None

"""Ops view of a service's dead letters: list them, and replay one onto its original topic once the
cause is fixed (the consumer's inbox still protects against applying an event twice)."""

from datetime import datetime

from fastapi import APIRouter, Query
from faststream.kafka import KafkaBroker
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.audit.chain import record_action
from platform_shared.errors import ConflictError, NotFoundError
from platform_shared.messaging.tables import DeadLetterRecord
from platform_shared.time.clock import Clock
from platform_shared.web.access import AdminId


class DeadLetterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    consumer_group: str
    original_topic: str
    original_partition: int
    original_offset: int
    exception_type: str
    exception_message: str
    attempts: int
    payload: str
    failed_at: datetime
    replayed_at: datetime | None


def dead_letters_router(sessions: async_sessionmaker[AsyncSession], broker: KafkaBroker, clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/dead-letters", tags=["dead letters"])

    @router.get("")
    async def list_dead_letters(limit: int = Query(default=100, ge=1, le=1000)) -> list[DeadLetterOut]:
        """Newest first."""
        async with sessions() as session:
            rows = (await session.scalars(select(DeadLetterRecord).order_by(DeadLetterRecord.id.desc())
                                          .limit(limit))).all()
        return [DeadLetterOut.model_validate(row) for row in rows]

    @router.post("/{letter_id}/replay")
    async def replay_dead_letter(letter_id: int, admin: AdminId) -> DeadLetterOut:
        """Publish the original payload to its original topic again (audited; once)."""
        async with sessions.begin() as session:
            letter = await session.get(DeadLetterRecord, letter_id, with_for_update=True)
            if letter is None:
                raise NotFoundError(f"no dead letter {letter_id}", field="letter_id")
            if letter.replayed_at is not None:
                raise ConflictError(f"dead letter {letter_id} was replayed at {letter.replayed_at.isoformat()}")
            await broker.publish(letter.payload.encode(), letter.original_topic,
                                 key=letter.original_key.encode() if letter.original_key else None)
            letter.replayed_at = clock.now()
            await record_action(session, at=letter.replayed_at, actor=admin, action="dead_letter.replay",
                                target=f"dead_letter:{letter_id}", params={"topic": letter.original_topic,
                                                                           "offset": letter.original_offset})
        return DeadLetterOut.model_validate(letter)

    return router

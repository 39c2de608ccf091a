"""Dead letters as a consumer writes them (docs/messaging.md): the letter goes to the `dead_letter` topic
first (the record of truth; the offset is committed right after), then a copy into the service's table for
ops to list and redrive. A record that is too big for Kafka keeps its beginning, size and digest."""

import asyncio
import logging
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts import topics
from platform_shared.contracts.events import DeadLetter
from platform_shared.contracts.records import dead_letter_headers
from platform_shared.messaging.letter_size import fitted, letter_key
from platform_shared.messaging.redrive_rules import dead_letter_count, readable_headers
from platform_shared.messaging.tables import DeadLetterRecord
from platform_shared.time.clock import Clock

log = logging.getLogger(__name__)


class Transactions(Protocol):
    """Where a record's effects and its inbox claim commit together: an `async_sessionmaker` in the
    services, an in-memory stand-in in the unit tier."""

    def begin(self) -> AbstractAsyncContextManager[Any]: ...


class DeadLetterPublisher:
    def __init__(self, broker: KafkaBroker, sessions: Transactions, clock: Clock,
                 retry_delay_seconds: float = 1.0) -> None:
        self._broker = broker
        self._sessions = sessions
        self._clock = clock
        self._retry_delay_seconds = retry_delay_seconds

    async def publish(self, record: ConsumerRecord[Any, Any], group_id: str, error: BaseException,
                      attempts: int) -> None:
        letter = dead_letter_for(record, group_id, error, attempts, failed_at=self._clock.now())
        # The offset is committed right after this, so the letter must reach Kafka first: a broker
        # outage blocks this partition rather than lose the record.
        while True:
            try:
                await self._broker.publish(
                    letter.model_dump_json().encode(), topics.DEAD_LETTER,
                    key=letter_key(record.key) if isinstance(record.key, bytes) else None,
                    headers=dead_letter_headers(record.topic, group_id, letter.dead_letter_count),
                )
                break
            except Exception:
                log.exception("dead-letter publish failed; retrying")
                await asyncio.sleep(self._retry_delay_seconds)
        await self._keep_copy(letter)

    async def _keep_copy(self, letter: DeadLetter) -> None:
        """The topic is the record of truth; this copy lets ops list and replay from the service."""
        try:
            async with self._sessions.begin() as session:
                session.add(DeadLetterRecord(**letter.model_dump()))
        except Exception:
            log.exception("could not keep a copy of the dead letter (it is on the topic)")


def dead_letter_for(record: ConsumerRecord[Any, Any], group_id: str, error: BaseException,
                    attempts: int, *, failed_at: datetime) -> DeadLetter:
    value = record.value if isinstance(record.value, bytes) else b""
    key = record.key.decode("utf-8", "replace") if isinstance(record.key, bytes) else None
    headers = list(record.headers or ())
    return fitted(DeadLetter(
        original_topic=record.topic,
        original_partition=record.partition,
        original_offset=record.offset,
        original_key=key,
        consumer_group=group_id,
        exception_type=type(error).__name__,
        exception_message=str(error)[:2000],
        attempts=attempts,
        payload=value.decode("utf-8", "replace"),
        failed_at=failed_at,
        original_headers=readable_headers(headers),
        dead_letter_count=dead_letter_count(headers),
    ), value, record.key if isinstance(record.key, bytes) else None)


async def dead_lettered_before(sessions: async_sessionmaker[AsyncSession], record: ConsumerRecord[Any, Any],
                               group_id: str) -> bool:
    """Whether this record already has a dead letter from `group_id` here (a topic every process reads
    from its start, at each start, would otherwise be dead-lettered again and again)."""
    async with sessions() as session:
        found = await session.scalar(select(DeadLetterRecord.id).where(
            DeadLetterRecord.consumer_group == group_id, DeadLetterRecord.original_topic == record.topic,
            DeadLetterRecord.original_partition == record.partition,
            DeadLetterRecord.original_offset == record.offset).limit(1))
    return found is not None

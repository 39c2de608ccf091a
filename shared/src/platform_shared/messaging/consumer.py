"""Reliable consumption: validate → apply once in a transaction → commit the offset; bounded retries,
then the dead-letter topic. FastStream 0.7 has no retry/DLT of its own, so this composes them.

Order of effects for one record:
1. A payload that is not a valid event is dead-lettered at once (retrying cannot fix it).
2. Otherwise the handler runs inside a database transaction together with the inbox claim, so a
   redelivered event changes nothing twice; a failure is retried up to `max_attempts` times.
3. Only then is the Kafka offset committed (AckPolicy.MANUAL). A crash before that redelivers the
   record, which the inbox turns into a no-op.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.subscriber.usecase import LogicSubscriber
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from platform_shared.auth.record_signatures import BadSignature, PublishedKeys
from platform_shared.contracts.events import Event
from platform_shared.db.outages import is_outage_sqlstate, sqlstate_of
from platform_shared.failpoints import failpoint
from platform_shared.messaging import inbox
from platform_shared.messaging.consumer_controls import ConsumerControls
from platform_shared.messaging.dead_letter_publisher import DeadLetterPublisher, Transactions
from platform_shared.messaging.log_context import consuming

log = logging.getLogger(__name__)

Handler = Callable[[Any, Any], Awaitable[None]]
"""(event, session): applies one event in the session's open transaction (an `AsyncSession` in the
services; the in-memory tier's transaction in unit tests)."""
BatchHandler = Callable[[list[Any], Any], Awaitable[None]]


class Inbox(Protocol):
    """Which events a consumer group already applied (the `inbox` module is the real one)."""

    async def claim(self, session: Any, consumer: str, event_id: UUID) -> bool: ...

    async def claim_many(self, session: Any, consumer: str, event_ids: list[UUID]) -> set[UUID]: ...


@dataclass(frozen=True)
class ConsumerSpec:
    topic: str
    group_id: str
    event_type: type[Event]
    handle: Handler
    """Applies one event inside the given session's open transaction; must not commit."""
    handle_batch: BatchHandler | None = None
    """If given, records are read up to `BATCH_RECORDS` at a time and all new events of a batch are
    applied by one call in one transaction (high-volume topics). A batch that fails falls back to
    record-by-record through `handle`, so one bad event stays one."""

    @property
    def batch(self) -> bool:
        return self.handle_batch is not None


BATCH_RECORDS = 500


class ConsumerHeld(Exception):
    """Ops paused the group while its records were being applied: stop here, the rest waits in Kafka."""


class RecordProcessor:
    """Applies one Kafka record exactly once in effect, or dead-letters it."""

    def __init__(self, spec: ConsumerSpec, sessions: Transactions, dead_letters: DeadLetterPublisher, *,
                 max_attempts: int, retry_delay_seconds: float, claims: Inbox = inbox,
                 held: Callable[[], bool] = lambda: False,
                 check: Callable[[ConsumerRecord[Any, Any]], None] = lambda record: None) -> None:
        """`held`: whether ops hold the group paused now (messaging/consumer_controls.py), asked between the
        records of a batch and while waiting out an outage, so a pause stops work already under way.
        `check`: raises BadSignature for a control record not signed by its service (it is dead-lettered)."""
        self._spec = spec
        self._held = held
        self._check = check
        self._sessions = sessions
        self._claims = claims
        self._dead_letters = dead_letters
        self._max_attempts = max_attempts
        self._retry_delay_seconds = retry_delay_seconds

    async def process_batch(self, records: tuple[ConsumerRecord[Any, Any], ...]) -> None:
        """All valid events of the batch in one transaction; on any failure, one by one."""
        events = []
        for record in records:
            try:
                self._check(record)
                events.append(parse_event(self._spec.event_type, record.value))
            except (ValidationError, BadSignature):
                break  # let the one-by-one path dead-letter it, in order
        else:
            try:
                assert self._spec.handle_batch is not None
                # The same event twice in one batch (an outbox re-send after a crash) is applied once.
                unique = list({e.event_id: e for e in reversed(events)}.values())[::-1]
                async with self._sessions.begin() as session:
                    fresh = await self._claims.claim_many(session, self._spec.group_id, [e.event_id for e in unique])
                    await self._spec.handle_batch([e for e in unique if e.event_id in fresh], session)
                failpoint("consumer.after_apply")
                return
            except Exception:
                log.warning("batch of %d on %s failed; applying one by one", len(records), records[0].topic)
        for record in records:
            if self._held():
                raise ConsumerHeld()  # rewound to the batch's start: what was applied is skipped by the inbox
            await self.process(record)

    async def process(self, record: ConsumerRecord[Any, Any]) -> None:
        try:
            self._check(record)
            event = parse_event(self._spec.event_type, record.value)
        except (ValidationError, BadSignature) as error:
            log.warning("refused record on %s@%s (%s): dead-lettered", record.topic, record.offset,
                        type(error).__name__)
            await self._dead_letters.publish(record, self._spec.group_id, error, attempts=1)
            return
        with consuming(self._spec.group_id, event):
            await self._apply(record, event)

    async def _apply(self, record: ConsumerRecord[Any, Any], event: Event) -> None:
        attempt = 0
        while True:
            try:
                await self._apply_once(event)
                return
            except Exception as error:
                if is_outage(error):
                    if self._held():
                        raise ConsumerHeld() from error
                    # The database (or network) is away: every event would fail the same way. Wait and
                    # retry without counting, rather than dead-letter a stream of valid events.
                    log.warning("outage while applying %s@%s (%s); retrying", record.topic, record.offset, error)
                    await asyncio.sleep(self._outage_delay_seconds)
                    continue
                attempt += 1
                if attempt == self._max_attempts:
                    log.exception("giving up on %s@%s after %d attempts", record.topic, record.offset, attempt)
                    await self._dead_letters.publish(record, self._spec.group_id, error, attempts=attempt)
                    return
                await asyncio.sleep(self._retry_delay_seconds * 2 ** (attempt - 1))

    _outage_delay_seconds = 1.0

    async def _apply_once(self, event: Event) -> None:
        async with self._sessions.begin() as session:
            if await self._claims.claim(session, self._spec.group_id, event.event_id):
                await self._spec.handle(event, session)
        # Committed to the database, offset not yet committed to Kafka: the worst place to die.
        failpoint("consumer.after_apply")


def signature_check(keys: PublishedKeys) -> Callable[[ConsumerRecord[Any, Any]], None]:
    """Raises BadSignature for a control record its service did not sign (auth/record_signatures.py)."""

    def check(record: ConsumerRecord[Any, Any]) -> None:
        value = record.value if isinstance(record.value, bytes) else b""
        keys.check(record.topic, record.key, value, dict(record.headers or ()))

    return check


def is_outage(error: BaseException) -> bool:
    """Failures that say nothing about the event: connection loss, timeouts, a database restarting or
    failing over (by SQLSTATE, db/outages.py), no pooled connection free in time."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if is_outage_sqlstate(sqlstate_of(error)):
        return True
    return isinstance(error, OperationalError | InterfaceError | PoolTimeoutError | OSError | TimeoutError
                      | ConnectionError)


def parse_event(event_type: type[BaseModel], value: object) -> Any:
    if not isinstance(value, bytes | str):
        # An empty (tombstone) or non-bytes record is as unprocessable as malformed JSON.
        raise ValidationError.from_exception_data(event_type.__name__, [
            {"type": "missing", "loc": ("payload",), "input": value},
        ])
    return event_type.model_validate_json(value)


def subscribe(broker: KafkaBroker, spec: ConsumerSpec, processor: RecordProcessor,
              controls: ConsumerControls | None = None) -> LogicSubscriber[Any]:
    """Register `processor` on the broker; the offset is committed only after it returns. With `controls`,
    ops can pause the group (messaging/consumer_controls.py): a held record is rewound, never applied."""
    listener = controls.declare(spec.group_id, spec.topic) if controls is not None else None

    async def consume(message: KafkaMessage) -> None:
        if controls is not None and controls.holds(spec.group_id):
            await controls.hold(spec.group_id, message)
            return
        try:
            if spec.batch:
                await processor.process_batch(message.raw_message)
            else:
                await processor.process(message.raw_message)
        except ConsumerHeld:
            if controls is not None:
                await controls.hold(spec.group_id, message)
            else:
                await message.nack()
            return
        except BaseException:
            # Never let the next record's commit move the offset past this one: seek back to it.
            await message.nack()
            raise
        await message.ack()

    consume.__name__ = f"consume_{spec.topic}"
    # The service's AsyncAPI document describes this topic itself (service/event_document.py): FastStream
    # would document the raw record this handler takes as an empty payload.
    subscriber: LogicSubscriber[Any]
    if spec.batch:
        subscriber = broker.subscriber(spec.topic, group_id=spec.group_id, ack_policy=AckPolicy.MANUAL,
                                       auto_offset_reset="earliest", batch=True, max_records=BATCH_RECORDS,
                                       batch_timeout_ms=200, include_in_schema=False, listener=listener)
    else:
        subscriber = broker.subscriber(spec.topic, group_id=spec.group_id, ack_policy=AckPolicy.MANUAL,
                                       auto_offset_reset="earliest", include_in_schema=False, listener=listener)
    subscriber(consume)
    if controls is not None:
        controls.attach(spec.group_id, subscriber)
    return subscriber

"""Transactional outbox: `enqueue` in the state change's transaction, `OutboxRelay` publishes later.

If the process dies after the commit and before the Kafka send, the row is still unpublished and
the next relay (after restart, or another replica) sends it. If it dies after the send and before
marking the row, the event is sent twice: consumers dedupe by event id (see inbox.py), so the
delivery is at-least-once on the wire and exactly-once in effect.
"""

import asyncio
import contextlib
from collections.abc import Callable, Iterable

from faststream.kafka import KafkaBroker
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.auth.record_signatures import RecordSigner
from platform_shared.contracts.events import Event
from platform_shared.contracts.records import event_headers
from platform_shared.db.engine import any_of, copy_records
from platform_shared.failpoints import failpoint
from platform_shared.messaging.tables import OutboxMessage
from platform_shared.rounds import run_rounds


async def enqueue(session: AsyncSession, topic: str, events: Iterable[Event]) -> None:
    """Add events to the outbox; they are published only if the surrounding transaction commits."""
    await copy_records(session, "outbox_messages", ("topic", "key", "event_id", "event_type", "payload"), [
        (topic, event.partition_key().decode(), event.event_id, type(event).__name__, event.model_dump_json())
        for event in events
    ])


class OutboxRelay:
    """Moves committed outbox rows to Kafka, oldest first; safe to run in every replica."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        broker: KafkaBroker,
        *,
        batch_size: int,
        poll_seconds: float,
        on_published: Callable[[int], None] = lambda count: None,
        ordered: bool = False,
        signer: RecordSigner | None = None,
    ) -> None:
        """`ordered`: one pass at a time across every replica, so the topic holds the rows in the order
        they were written. A compacted topic keeps a key's *last* message, so a service publishing
        versions or states there (policy snapshots, admin accounts) needs it; others gain parallel relays.
        `signer`: signs the records of the control topics (auth/record_signatures.py)."""
        self._sessions = sessions
        self._broker = broker
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._on_published = on_published
        self._ordered = ordered
        self._signer = signer
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Publish now rather than at the next poll (call after committing outbox rows)."""
        self._wake.set()

    async def run_forever(self) -> None:
        async def full_batch() -> bool:
            return await self.publish_pending() == self._batch_size

        await run_rounds(full_batch, self._until_woken_or_polled, what="outbox relay pass")

    async def _until_woken_or_polled(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)

    def _headers(self, row: OutboxMessage) -> dict[str, str]:
        headers = event_headers(str(row.event_id), row.event_type)
        if self._signer is not None:
            headers |= self._signer.headers(row.topic, row.key.encode(), row.payload.encode())
        return headers

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; returns how many were published."""
        async with self._sessions.begin() as session:
            if self._ordered:
                await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('outbox.relay'))"))
            # SKIP LOCKED: another replica's relay takes the next batch instead of waiting for ours.
            rows = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.published_at.is_(None))
                    .order_by(OutboxMessage.id)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            failpoint("outbox.after_claim")
            sends = [
                await self._broker.publish(
                    row.payload.encode(),
                    row.topic,
                    key=row.key.encode(),
                    headers=self._headers(row),
                    no_confirm=True,
                )
                for row in rows
            ]
            await asyncio.gather(*sends)
            await session.execute(
                update(OutboxMessage)
                .where(any_of(OutboxMessage.id, [row.id for row in rows]))
                .values(published_at=func.now())
            )
        self._on_published(len(rows))
        return len(rows)

"""Dead notifications through the dead-letter lever: a notification the vendor refused for good, or
whose retries ran out, is listed with this service's dead letters (consumer group `notifier.sender`, topic
`notifications`: the send queue, not a Kafka topic) and is filtered, tagged and redriven like them. A redrive
puts it back in the queue (due now, a whole retry budget; the quiet-hours gate still decides when it goes out),
at the rate ops chose, with progress and cancel. If it dies again its new letter counts one more, and past the
maximum it is not redriven: no loops.

The message's parameters stay out of the letter: an offer's carry its signed answer link."""

import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import Notification
from notifier_service.adapters.notification_store import NotificationStore, of_no_cancelled_run
from notifier_service.domain.delivery import Status
from platform_shared.db.engine import rowcount
from platform_shared.messaging.tables import DeadLetterRecord
from platform_shared.time.clock import Clock

SENDER_GROUP = "notifier.sender"
SEND_QUEUE = "notifications"


def dead_letter_of(notification: Notification, verdict: str, reason: str, now: datetime) -> DeadLetterRecord:
    """The letter a notification leaves when it dies: counted once more than it was redriven."""
    payload = {"notification_id": notification.id, "dedupe_key": notification.dedupe_key,
               "template": notification.template, "campaign_id": notification.campaign_id,
               "run_id": str(notification.run_id) if notification.run_id is not None else None}
    return DeadLetterRecord(consumer_group=SENDER_GROUP, original_topic=SEND_QUEUE, original_partition=0,
                            original_offset=notification.id, original_key=notification.dedupe_key,
                            exception_type=f"vendor {verdict}", exception_message=reason,
                            attempts=notification.attempts, payload=json.dumps(payload), failed_at=now,
                            original_headers={}, dead_letter_count=notification.redrives + 1)


class DeadNotifications:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def requeue(self, letter: DeadLetterRecord) -> bool:
        """Back in the queue as if new, once per letter: only while still dead and not yet redriven by this
        letter (a replica that takes a redrive over repeats its last step), and never a rolled-back draw's,
        under the run's lock as a rollback takes it. False when there was nothing to put back."""
        async with self._sessions.begin() as session:
            run_id = await session.scalar(select(Notification.run_id).where(Notification.id == letter.original_offset))
            await NotificationStore(session).lock_runs([run_id])
            return rowcount(await session.execute(update(Notification).where(
                Notification.id == letter.original_offset, Notification.status == Status.DEAD,
                Notification.redrives < letter.dead_letter_count, of_no_cancelled_run()).values(
                status=Status.QUEUED, attempts=0, next_attempt_at=self._clock.now(), last_error=None,
                claimed_by=None, claimed_until=None, redrives=letter.dead_letter_count))) == 1

"""Recording what the vendor answered (SPEC §5): sent, retry with backoff, or dead with a dead letter;
`notification_delivered` for offers; a correction notice when a draw was rolled back meanwhile. All
outcomes of one vendor call in one transaction, and only for claims this sender still owns.
"""

import random
from collections.abc import Sequence
from datetime import datetime
from typing import TypeAlias
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.dead_notifications import dead_letter_of
from notifier_service.adapters.models import Attempt, Notification
from notifier_service.adapters.notification_store import NotificationStore
from notifier_service.domain.delivery import AttemptResult, Status, Verdict, retry_at
from notifier_service.domain.notifications import OFFER_TEMPLATES
from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    AttemptRecord,
    NotificationDeadLettered,
    NotificationDelivered,
    NotificationUndeliverable,
    TemplateName,
)
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.db.engine import any_of, copy_records
from platform_shared.messaging import outbox
from platform_shared.time.clock import Clock

# The columns a delivered notification returns: id, attempts, run_id, user_id, campaign_id, event_id,
# template, dedupe_key.
DeliveredRow: TypeAlias = Row[int, int, UUID | None, str, str | None, UUID, TemplateName, str]


class OutcomeRecorder:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, worker_id: str,
                 rng: random.Random) -> None:
        self._sessions = sessions
        self._clock = clock
        self._worker_id = worker_id
        self._rng = rng

    async def record(self, results: dict[int, AttemptResult], run_ids: set[UUID | None], policy: PolicyDocument,
                     lease_until: datetime) -> None:
        """All outcomes of one vendor call in one transaction, stamped when the answer came (a delivery after
        22:00 is a quiet-hours violation, whenever the call started). Ids whose claim is no longer this one
        (its lease ran out and another claim, by any sender, took them over) are skipped: the new claim's
        outcome counts."""
        now = self._clock.now()
        sent = [i for i, r in results.items() if r.verdict == Verdict.SENT]
        failed = [i for i, r in results.items() if r.verdict != Verdict.SENT]
        async with self._sessions.begin() as session:
            queue = NotificationStore(session)
            await queue.lock_runs(run_ids)
            # The common case in one statement: every delivered notification of the call.
            delivered: Sequence[DeliveredRow] = (await session.execute(update(Notification).where(
                any_of(Notification.id, sent), Notification.status == Status.SENDING,
                Notification.claimed_by == self._worker_id, Notification.claimed_until == lease_until).values(
                status=Status.SENT, sent_at=now, last_error=None, claimed_by=None, claimed_until=None).returning(
                Notification.id, Notification.attempts, Notification.run_id, Notification.user_id,
                Notification.campaign_id, Notification.event_id, Notification.template, Notification.dedupe_key)
                .execution_options(synchronize_session=False))).all() if sent else []
            unlucky = (await session.scalars(select(Notification).where(
                any_of(Notification.id, failed), Notification.status == Status.SENDING,
                Notification.claimed_by == self._worker_id, Notification.claimed_until == lease_until)
                .with_for_update())).all() if failed else []
            touched: list[DeliveredRow | Notification] = [*delivered, *unlucky]
            await copy_records(session, "notification_attempts",
                               ("notification_id", "attempt", "at", "verdict", "reason", "http_status"),
                               [(row.id, row.attempts, now, str(results[row.id].verdict), results[row.id].reason,
                                 results[row.id].http_status) for row in touched])
            cancelled = await queue.cancelled_runs(row.run_id for row in touched)
            # Delivered when the vendor's acceptance is recorded (= sent_at), not when the call started:
            # an offer's answer window never begins before its message was out (SPEC §4). Also when its run
            # was rolled back while it was in flight: it went out, so the person was told, and the waitlist
            # owes them the correction after the re-run (runbook §14.2).
            await outbox.enqueue(session, topics.NOTIFICATION_DELIVERED, [NotificationDelivered(
                occurred_at=now, dedupe_key=row.dedupe_key, user_id=row.user_id, template=row.template,
                run_id=row.run_id, delivered_at=now) for row in delivered
                if row.run_id is not None and row.template in OFFER_TEMPLATES])
            for notification in unlucky:
                if notification.run_id in cancelled:
                    notification.status, notification.claimed_by, notification.claimed_until = \
                        Status.CANCELLED, None, None  # rolled back meanwhile: no retry
                    continue
                await self._apply_failure(session, notification, results[notification.id], policy, now)

    async def _apply_failure(self, session: AsyncSession, notification: Notification, result: AttemptResult,
                             policy: PolicyDocument, now: datetime) -> None:
        notification.claimed_by, notification.claimed_until = None, None
        notification.last_error = result.reason
        again = retry_at(result, notification.attempts, policy.retry, now, self._rng)
        if again is not None:
            notification.status, notification.next_attempt_at = Status.RETRYING, again
            return
        notification.status = Status.DEAD
        session.add(dead_letter_of(notification, result.verdict, result.reason, now))  # ops redrive it
        await session.flush()
        await self._dead_letter(session, notification, result.reason, now)
        if notification.run_id is not None and notification.template in OFFER_TEMPLATES:
            # The offer's answer window must not wait for this message any longer (the waitlist starts it).
            await outbox.enqueue(session, topics.NOTIFICATION_UNDELIVERABLE, [NotificationUndeliverable(
                occurred_at=now, run_id=notification.run_id, dedupe_key=notification.dedupe_key,
                user_id=notification.user_id, template=notification.template, failed_at=now)])

    async def _dead_letter(self, session: AsyncSession, notification: Notification, reason: str,
                           now: datetime) -> None:
        attempts = (await session.scalars(select(Attempt).where(
            Attempt.notification_id == notification.id).order_by(Attempt.at, Attempt.id))).all()  # lives of redrives
        await outbox.enqueue(session, topics.DEAD_LETTER, [NotificationDeadLettered(
            occurred_at=now, dedupe_key=notification.dedupe_key, user_id=notification.user_id,
            template=notification.template, run_id=notification.run_id, reason=reason,
            attempts=tuple(AttemptRecord(attempt=a.attempt, at=a.at, verdict=a.verdict, reason=a.reason)
                           for a in attempts))])

"""The sender (SPEC §5): claims due notifications (FOR UPDATE SKIP LOCKED, so each is taken by one
replica), checks quiet hours at the moment of sending, calls the vendor, and records the outcome.

Quiet hours: when the window starts, due notifications are `held` and given release slots from the
window's end, in arrival order, `1 / release_rate` seconds apart — in the database, so the order and
the rate hold across replicas. A claim whose sender dies mid-send is taken over after its lease; the
vendor's idempotency key keeps the retry from delivering twice.
"""

import asyncio
import logging
import os
import random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeAlias
from uuid import UUID

from sqlalchemy import Row, exists, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.vendor import OutgoingMessage
from notifier_service.domain.delivery import (
    SENDABLE,
    AttemptResult,
    Status,
    TemplateError,
    Verdict,
    next_delay,
    render,
)
from notifier_service.models import Attempt, CancelledRun, Notification, SenderState, Template
from notifier_service.queue import OFFER_TEMPLATES, lock_runs, queue_rollback_notice
from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    AttemptRecord,
    NotificationDeadLettered,
    NotificationDelivered,
    TemplateName,
)
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.db.engine import any_of, copy_records, rowcount
from platform_shared.failpoints import failpoint
from platform_shared.messaging import outbox
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.service.rounds import run_rounds
from platform_shared.time.clock import Clock
from platform_shared.time.quiet_hours import in_quiet_hours, next_deliverable

log = logging.getLogger(__name__)

# The columns a claim returns: id, dedupe_key, user_id, template, params, run_id.
ClaimedRow: TypeAlias = Row[int, str, str, TemplateName, dict[str, str], UUID | None]
# The columns a delivered notification returns: id, attempts, run_id, user_id, campaign_id, event_id,
# template, dedupe_key.
DeliveredRow: TypeAlias = Row[int, int, UUID | None, str, str | None, UUID, TemplateName, str]


class Vendor(Protocol):
    async def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[AttemptResult]: ...


@dataclass(frozen=True)
class SenderConfig:
    batch_size: int
    concurrency: int
    """Vendor calls in flight at once."""
    lease: timedelta
    poll_seconds: float
    vendor_batch: int = 100
    """Messages per vendor call."""


class Sender:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, vendor: Vendor,
                 config: SenderConfig, rng: random.Random | None = None) -> None:
        self._sessions = sessions
        self._clock = clock
        self._vendor = vendor
        self._config = config
        self._rng = rng or random.Random()
        self.worker_id = f"{socket.gethostname()}-{os.getpid()}"

    async def run_forever(self) -> None:
        async def full_batch() -> bool:
            return await self.send_due() == self._config.batch_size

        await run_rounds(full_batch, lambda: asyncio.sleep(self._config.poll_seconds), what="send round")

    async def send_due(self) -> int:
        """One round: hold or claim, then deliver the claimed notifications. Returns how many were claimed."""
        now = self._clock.now()
        async with self._sessions() as session:
            _, policy = await current_policy(session)
            templates = {t.name: t.body for t in (await session.scalars(select(Template))).all()}
        if await self._paused(now):
            return 0
        if in_quiet_hours(now, policy.quiet_hours):
            await self.hold(next_deliverable(now, policy.quiet_hours), policy)
            return 0
        await self._reslot_missed(now, policy)
        if await self._releasing(now):
            # While the night's backlog is being released, newcomers queue behind it (arrival order).
            await self.hold(now, policy)
        claimed = await self._claim(now)
        chunks = [claimed[i:i + self._config.vendor_batch] for i in range(0, len(claimed), self._config.vendor_batch)]
        semaphore = asyncio.Semaphore(self._config.concurrency)

        async def deliver(chunk: Sequence[ClaimedRow]) -> None:
            async with semaphore:
                await self._deliver(chunk, templates, policy)

        await asyncio.gather(*(deliver(chunk) for chunk in chunks))
        return len(claimed)

    async def hold(self, release_from: datetime, policy: PolicyDocument) -> int:
        """Give everything due by `release_from` a release slot from then on (after any slots already
        handed out), in arrival order, `1 / release_rate` seconds apart."""
        gap = 1.0 / policy.release_rate_per_second
        async with self._sessions.begin() as session:
            # One holder at a time, so two replicas never hand out the same slots.
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('notifier.hold'))"))
            last_slot = await session.scalar(select(func.max(Notification.next_attempt_at)).where(
                Notification.status == Status.HELD, Notification.next_attempt_at >= release_from))
            first_slot = last_slot + timedelta(seconds=gap) if last_slot else release_from
            result = await session.execute(text("""
                WITH locked AS (
                    SELECT id, received_at FROM notifications
                    WHERE status IN ('queued', 'retrying') AND next_attempt_at <= :release_from
                    FOR UPDATE SKIP LOCKED),
                due AS (SELECT id, row_number() OVER (ORDER BY received_at, id) - 1 AS n FROM locked)
                UPDATE notifications SET status = 'held',
                       next_attempt_at = CAST(:first_slot AS timestamptz) + due.n * make_interval(secs => :gap)
                FROM due WHERE notifications.id = due.id"""),
                {"release_from": release_from, "first_slot": first_slot, "gap": gap})
        return rowcount(result)

    async def _reslot_missed(self, now: datetime, policy: PolicyDocument) -> None:
        """Slots that passed while nobody sent (paused, or every sender down) would all be due at once:
        spread what is held out again from now, same order, same rate, so the vendor is not flooded."""
        missed = now - timedelta(seconds=1)
        async with self._sessions.begin() as session:
            if not await session.scalar(select(exists().where(
                    Notification.status == Status.HELD, Notification.next_attempt_at < missed))):
                return
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('notifier.hold'))"))
            await session.execute(text("""
                WITH locked AS (
                    SELECT id, next_attempt_at, received_at FROM notifications WHERE status = 'held'
                    FOR UPDATE SKIP LOCKED),
                ordered AS (SELECT id, row_number() OVER (ORDER BY next_attempt_at, received_at, id) - 1 AS n
                            FROM locked)
                UPDATE notifications SET next_attempt_at = CAST(:now AS timestamptz)
                                                           + ordered.n * make_interval(secs => :gap)
                FROM ordered WHERE notifications.id = ordered.id"""),
                {"now": now, "gap": 1.0 / policy.release_rate_per_second})

    async def _releasing(self, now: datetime) -> bool:
        async with self._sessions() as session:
            return bool(await session.scalar(select(select(Notification.id).where(
                Notification.status == Status.HELD, Notification.next_attempt_at > now).exists())))

    async def _paused(self, now: datetime) -> bool:
        async with self._sessions.begin() as session:
            state = await session.get(SenderState, 1)
            if state is None or not state.paused:
                return False
            if state.paused_until is not None and state.paused_until <= now:
                state.paused, state.reason, state.changed_by, state.changed_at = False, "pause expired", "system", now
                return False
            return True

    async def _claim(self, now: datetime) -> Sequence[ClaimedRow]:
        async with self._sessions.begin() as session:
            due = (select(Notification.id).where(or_(
                Notification.status.in_(SENDABLE) & (Notification.next_attempt_at <= now),
                (Notification.status == Status.SENDING) & (Notification.claimed_until < now),  # its sender died
            ), ~exists().where(CancelledRun.run_id == Notification.run_id))
                .order_by(Notification.next_attempt_at, Notification.received_at, Notification.id)
                .limit(self._config.batch_size).with_for_update(skip_locked=True))
            # Plain rows, not ORM objects: the round needs these columns only, and it is the hot path.
            return (await session.execute(
                update(Notification).where(Notification.id.in_(due.scalar_subquery()))
                .values(status=Status.SENDING, claimed_by=self.worker_id, claimed_until=now + self._config.lease,
                        attempts=Notification.attempts + 1)
                .returning(Notification.id, Notification.dedupe_key, Notification.user_id, Notification.template,
                           Notification.params, Notification.run_id)
                .execution_options(synchronize_session=False))).all()

    async def _deliver(self, chunk: Sequence[ClaimedRow], templates: dict[str, str],
                       policy: PolicyDocument) -> None:
        started = self._clock.now()
        # Checked at the moment of sending (SPEC §5): a call started at 21:59:59 goes out; it may still
        # be answered within the vendor timeout after 22:00. Attempts carry the call's start time.
        if in_quiet_hours(started, policy.quiet_hours):
            await self._put_back(chunk)  # the window began after the claim: nothing goes out
            return
        results: dict[int, AttemptResult] = {}
        outgoing: list[tuple[ClaimedRow, OutgoingMessage]] = []
        for notification in chunk:
            try:
                if notification.template not in templates:
                    raise TemplateError(f"no template {notification.template!r}")
                text_ = render(templates[notification.template], notification.params)
            except TemplateError as error:
                results[notification.id] = AttemptResult(Verdict.PERMANENT, f"template error: {error}")
            else:
                outgoing.append((notification, OutgoingMessage(notification.dedupe_key, notification.user_id,
                                                               notification.template, text_)))
        if outgoing:
            failpoint("notifier.before_vendor_call")
            try:
                answers = await self._vendor.send_batch([message for _, message in outgoing])
            except Exception as error:  # an answer we cannot read counts as a failed attempt, never as none
                log.exception("vendor call failed")
                answers = [AttemptResult(Verdict.TRANSIENT, f"unreadable vendor answer: {type(error).__name__}")] \
                    * len(outgoing)
            results.update({n.id: answer for (n, _), answer in zip(outgoing, answers, strict=True)})
        await self._record(results, {n.run_id for n in chunk}, policy, started)

    async def _put_back(self, chunk: Sequence[ClaimedRow]) -> None:
        async with self._sessions.begin() as session:
            await session.execute(update(Notification).where(
                any_of(Notification.id, [n.id for n in chunk]), Notification.claimed_by == self.worker_id,
                Notification.status == Status.SENDING).values(
                status=Status.QUEUED, attempts=Notification.attempts - 1, claimed_by=None, claimed_until=None))

    async def _record(self, results: dict[int, AttemptResult], run_ids: set[UUID | None], policy: PolicyDocument,
                      started: datetime) -> None:
        """All outcomes of one vendor call in one transaction. Ids whose claim is no longer ours (the
        lease ran out and another sender took over) are skipped: the new owner's outcome counts."""
        now = self._clock.now()
        sent = [i for i, r in results.items() if r.verdict == Verdict.SENT]
        failed = [i for i, r in results.items() if r.verdict != Verdict.SENT]
        async with self._sessions.begin() as session:
            await lock_runs(session, run_ids)
            # The common case in one statement: every delivered notification of the call.
            delivered: Sequence[DeliveredRow] = (await session.execute(update(Notification).where(
                any_of(Notification.id, sent), Notification.status == Status.SENDING,
                Notification.claimed_by == self.worker_id).values(
                status=Status.SENT, sent_at=now, last_error=None, claimed_by=None, claimed_until=None).returning(
                Notification.id, Notification.attempts, Notification.run_id, Notification.user_id,
                Notification.campaign_id, Notification.event_id, Notification.template, Notification.dedupe_key)
                .execution_options(synchronize_session=False))).all() if sent else []
            unlucky = (await session.scalars(select(Notification).where(
                any_of(Notification.id, failed), Notification.status == Status.SENDING,
                Notification.claimed_by == self.worker_id).with_for_update())).all() if failed else []
            touched: list[DeliveredRow | Notification] = [*delivered, *unlucky]
            await copy_records(session, "notification_attempts",
                               ("notification_id", "attempt", "at", "verdict", "reason", "http_status"),
                               [(row.id, row.attempts, started, str(results[row.id].verdict), results[row.id].reason,
                                 results[row.id].http_status) for row in touched])
            cancelled = await self._cancelled_runs(session, {row.run_id for row in touched if row.run_id})
            for row in delivered:
                if row.run_id in cancelled:
                    # Rolled back while this was in flight: it went out, so the correction must follow.
                    await queue_rollback_notice(session, row.run_id, row.user_id, row.campaign_id or "",
                                                row.event_id, now)
            # Delivered when the vendor's acceptance is recorded (= sent_at), not when the call started:
            # an offer's answer window never begins before its message was out (SPEC §4).
            await outbox.enqueue(session, topics.NOTIFICATION_DELIVERED, [NotificationDelivered(
                occurred_at=now, dedupe_key=row.dedupe_key, user_id=row.user_id, template=row.template,
                run_id=row.run_id, delivered_at=now) for row in delivered
                if row.run_id is not None and row.template in OFFER_TEMPLATES and row.run_id not in cancelled])
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
        if result.verdict == Verdict.TRANSIENT and notification.attempts < policy.retry.max_attempts:
            delay = next_delay(notification.attempts, policy.retry, result.retry_after, self._rng)
            notification.status, notification.next_attempt_at = Status.RETRYING, now + delay
            return
        notification.status = Status.DEAD
        await session.flush()
        await self._dead_letter(session, notification, result.reason, now)

    @staticmethod
    async def _cancelled_runs(session: AsyncSession, run_ids: set[UUID]) -> set[UUID]:
        if not run_ids:
            return set()
        return set((await session.scalars(select(CancelledRun.run_id).where(
            any_of(CancelledRun.run_id, list(run_ids))))).all())

    async def _dead_letter(self, session: AsyncSession, notification: Notification, reason: str,
                           now: datetime) -> None:
        attempts = (await session.scalars(select(Attempt).where(
            Attempt.notification_id == notification.id).order_by(Attempt.attempt, Attempt.id))).all()
        await outbox.enqueue(session, topics.DEAD_LETTER, [NotificationDeadLettered(
            occurred_at=now, dedupe_key=notification.dedupe_key, user_id=notification.user_id,
            template=notification.template, run_id=notification.run_id, reason=reason,
            attempts=tuple(AttemptRecord(attempt=a.attempt, at=a.at, verdict=a.verdict, reason=a.reason)
                           for a in attempts))])

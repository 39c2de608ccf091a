"""Intake: notification requests into the queue, once per dedupe key; and cancellation of a
rolled-back draw's notifications (consumer handlers, in the consumer's transaction)."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.domain.delivery import UNSENT, Status
from notifier_service.models import CancelledRun, Notification
from platform_shared.contracts.events import DrawRolledBack, NotificationRequested
from platform_shared.db.engine import any_of
from platform_shared.time.clock import Clock

OFFER_TEMPLATES = ("WINNER_OFFER", "WAITLIST_PROMOTION")


async def lock_runs(session: AsyncSession, run_ids: Iterable[UUID | None]) -> None:
    """Serialise, per draw run, intake, recording a send and cancelling: without it a rollback could
    miss a notification that is being marked sent at that moment, and its user never be corrected."""
    for run_id in sorted({str(r) for r in run_ids if r is not None}):  # one order everywhere: no deadlock
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"run:{run_id}"})


class NotificationIntake:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def enqueue(self, event: NotificationRequested, session: AsyncSession) -> None:
        await self.enqueue_many([event], session)

    async def enqueue_many(self, events: list[NotificationRequested], session: AsyncSession) -> None:
        """Store as `queued`, in arrival order; a repeated dedupe key is a no-op. A request for a run
        that was already rolled back is stored as cancelled: it must never go out."""
        if not events:
            return
        run_ids = list({e.run_id for e in events if e.run_id is not None})
        await lock_runs(session, run_ids)
        cancelled = set((await session.scalars(select(CancelledRun.run_id).where(
            any_of(CancelledRun.run_id, run_ids)))).all()) if run_ids else set()
        now = self._clock.now()
        once_per_key = insert(Notification).on_conflict_do_nothing(index_elements=[Notification.dedupe_key])
        await session.execute(once_per_key, [dict(
            dedupe_key=e.dedupe_key, event_id=e.event_id, user_id=e.user_id, template=e.template, params=e.params,
            campaign_id=e.campaign_id, run_id=e.run_id, requested_at=e.occurred_at, received_at=now,
            next_attempt_at=now, status=Status.CANCELLED if e.run_id in cancelled else Status.QUEUED,
        ) for e in events])

    async def cancel_run(self, event: DrawRolledBack, session: AsyncSession) -> None:
        """Cancel what was not sent; tell those already told that the result was withdrawn."""
        await cancel_run(event, session, self._clock.now())


async def cancel_run(event: DrawRolledBack, session: AsyncSession, now: datetime) -> None:
    await lock_runs(session, [event.run_id])
    await session.execute(insert(CancelledRun).values(run_id=event.run_id, reason=event.reason)
                          .on_conflict_do_nothing())
    await session.execute(update(Notification).where(
        Notification.run_id == event.run_id, Notification.status.in_(UNSENT)).values(status=Status.CANCELLED))
    told = (await session.execute(select(Notification.user_id, Notification.campaign_id).where(
        Notification.run_id == event.run_id, Notification.status == Status.SENT,
        Notification.template.in_(OFFER_TEMPLATES)).distinct())).all()
    for user_id, campaign_id in told:
        await queue_rollback_notice(session, event.run_id, user_id, campaign_id or "", event.event_id, now)


async def queue_rollback_notice(session: AsyncSession, run_id: UUID, user_id: str, campaign_id: str,
                                event_id: UUID, now: datetime) -> None:
    """DRAW_ROLLBACK_NOTICE for one user, once (its own dedupe key); it obeys quiet hours like any other.
    It is not filed under the run (run_id stays empty) so the run's cancellation never cancels it."""
    await session.execute(insert(Notification).values(
        dedupe_key=f"rollback:{run_id}:{user_id}", event_id=event_id, user_id=user_id,
        template="DRAW_ROLLBACK_NOTICE", params={"campaign_id": campaign_id, "run_id": str(run_id)},
        campaign_id=campaign_id, run_id=None, status=Status.QUEUED, requested_at=now, received_at=now,
        next_attempt_at=now,
    ).on_conflict_do_nothing(index_elements=[Notification.dedupe_key]))

"""Intake: notification requests into the queue, once per dedupe key; and cancellation of a
rolled-back draw's notifications (consumer handlers, in the consumer's transaction)."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.notification_store import NotificationStore
from notifier_service.domain.notifications import requested, rollback_notice
from platform_shared.contracts.events import DrawRolledBack, NotificationRequested
from platform_shared.time.clock import Clock


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
        store = NotificationStore(session)
        run_ids = [e.run_id for e in events]
        await store.lock_runs(run_ids)
        cancelled = await store.cancelled_runs(run_ids)
        now = self._clock.now()
        await store.add([requested(e, now, cancelled) for e in events])

    async def cancel_run(self, event: DrawRolledBack, session: AsyncSession) -> None:
        """Cancel what was not sent; tell those already told that the result was withdrawn."""
        await cancel_run(event, session, self._clock.now())


async def cancel_run(event: DrawRolledBack, session: AsyncSession, now: datetime) -> None:
    store = NotificationStore(session)
    await store.lock_runs([event.run_id])
    await store.remember_cancelled(event.run_id, event.reason)
    await store.cancel_unsent(event.run_id)
    told = await store.told_of_offers(event.run_id)
    await store.add([rollback_notice(event.run_id, user_id, campaign_id, event.event_id, now)
                     for user_id, campaign_id in told])

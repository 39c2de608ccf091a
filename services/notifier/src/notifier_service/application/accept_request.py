"""Accept notification requests into the queue (runbook §3.3 step 4: the draw's results queued for
notification; quiet hours are the sender's), once per dedupe key, in arrival order, in the consumer's
transaction."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.notification_store import NotificationStore
from notifier_service.domain.notifications import requested
from platform_shared.contracts.events import NotificationRequested


async def accept_requests(events: Sequence[NotificationRequested], session: AsyncSession, now: datetime) -> None:
    """Store as `queued`, in arrival order; a repeated dedupe key is a no-op. A request for a run that was
    already rolled back is stored as cancelled: it must never go out."""
    if not events:
        return
    store = NotificationStore(session)
    run_ids = [e.run_id for e in events]
    await store.lock_runs(run_ids)
    cancelled = await store.cancelled_runs(run_ids)
    await store.add([requested(e, now, cancelled) for e in events])

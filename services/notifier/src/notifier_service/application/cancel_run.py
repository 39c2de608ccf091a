"""A rolled-back draw's notifications (runbook §3.5): what was not sent is cancelled, and requests for the run that
arrive later are stored cancelled. In the consumer's transaction, under the run's lock, so that no send of the
run is recorded halfway through.

Nobody is told anything here: what a person must hear depends on the re-run's outcome (kept their seat, lost
it, newly won), which the waitlist works out once the re-run completes and asks for then (runbook §14.2,
waitlist_service/application/correct_run.py). An offer that went out regardless is reported delivered as usual,
so the waitlist knows who was told."""

from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.notification_store import NotificationStore
from platform_shared.contracts.events import DrawRolledBack


async def cancel_run(event: DrawRolledBack, session: AsyncSession) -> None:
    store = NotificationStore(session)
    await store.lock_runs([event.run_id])
    await store.remember_cancelled(event.run_id, event.reason)
    await store.cancel_unsent(event.run_id)

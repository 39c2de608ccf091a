"""A rolled-back draw's notifications (runbook §3.5, §14.2): what was not sent is cancelled, and whoever was
already told of an offer gets the correction notice, once. In the consumer's transaction, under the run's
lock, so that no send of the run is recorded halfway through."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.notification_store import NotificationStore
from notifier_service.domain.notifications import rollback_notice
from platform_shared.contracts.events import DrawRolledBack


async def cancel_run(event: DrawRolledBack, session: AsyncSession, now: datetime) -> None:
    store = NotificationStore(session)
    await store.lock_runs([event.run_id])
    await store.remember_cancelled(event.run_id, event.reason)
    await store.cancel_unsent(event.run_id)
    told = await store.told_of_offers(event.run_id)
    await store.add([rollback_notice(event.run_id, user_id, campaign_id, event.event_id, now)
                     for user_id, campaign_id in told])

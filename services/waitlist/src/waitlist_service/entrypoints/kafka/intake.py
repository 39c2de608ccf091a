"""Turn draw events into runs, offers and the ranked waitlist (consumer handlers, run in the
consumer's transaction together with the inbox claim)."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    DrawCompleted,
    DrawRolledBack,
    NotificationDelivered,
    NotificationUndeliverable,
)
from platform_shared.time.clock import Clock
from waitlist_service.adapters.models import RunStatus
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.ports import Stores
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.seats import respond_by


class DrawIntake:
    def __init__(self, clock: Clock, stores: Stores = RunStore) -> None:
        self._clock = clock
        self._stores = stores

    async def record_draw(self, event: DrawCompleted, session: Any) -> None:
        """One part of a draw: an offer and a notification per winner, the waitlist in rank order."""
        store = self._stores(session)
        run = await store.receive(event)
        if run.status == RunStatus.VOID:
            return  # rolled back before (or while) its results arrived: nothing to offer
        now = self._clock.now()
        offers = new_offers(event.run_id, event.campaign_id, ((w.rank, w.user_id) for w in event.winners),
                            "draw", now, respond_by(now, await store.policy()))
        await store.add_offers(offers)
        await store.add_waitlist(event.run_id, event.campaign_id, event.waitlist)
        await store.announce(topics.NOTIFICATION_REQUESTED, [offer.notification() for offer in offers])
        run.parts_received += 1
        if run.parts_received == run.part_count:
            run.status = RunStatus.ACTIVE

    async def void_run(self, event: DrawRolledBack, session: Any) -> None:
        """The run's offers and waitlist become void; no promotion for it ever again."""
        store = self._stores(session)
        run = await store.lock_for_rollback(event)
        if run is None:
            return
        run.status, run.void_reason = RunStatus.VOID, event.reason
        await store.void_offers_and_waitlist(event.run_id)

    async def extend_deadline(self, event: NotificationDelivered, session: Any) -> None:
        """An offer's answer window counts from when its notification actually went out (SPEC §4): a
        notification held through quiet hours, a pause or a backlog does not eat into it."""
        await self._start_window(session, event.run_id, event.user_id, event.delivered_at)

    async def start_window_undelivered(self, event: NotificationUndeliverable, session: Any) -> None:
        """The notifier gave up on the offer's message: its answer window starts now, as if it had gone out,
        so the seat does not wait forever (the entrant can still answer in the app)."""
        await self._start_window(session, event.run_id, event.user_id, event.failed_at)

    async def _start_window(self, session: Any, run_id: UUID, user_id: str, at: datetime) -> None:
        store = self._stores(session)
        # The run's lock first, as every promotion pass takes it: a pass that read this offer's deadline either
        # finishes before the extension or sees it (an expiry planned on the old deadline would
        # otherwise overwrite a deadline just moved).
        if await store.lock_if_known(run_id) is None:
            return
        window = timedelta(hours=(await store.policy()).response_timeout_hours)
        await store.mark_delivered(run_id, user_id, at, at + window)

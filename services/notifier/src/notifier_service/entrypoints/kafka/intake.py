"""The notifier's consumer handlers (registered in bootstrap.py): `notification_requested` into the queue
and `draw_rolled_back` cancelling a run's notifications, each in the consumer's transaction, stamped by the
service clock."""

from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.application.accept_request import accept_requests
from notifier_service.application.cancel_run import cancel_run
from platform_shared.contracts.events import DrawRolledBack, NotificationRequested
from platform_shared.time.clock import Clock


class NotificationIntake:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def enqueue(self, event: NotificationRequested, session: AsyncSession) -> None:
        await accept_requests([event], session, self._clock.now())

    async def enqueue_many(self, events: list[NotificationRequested], session: AsyncSession) -> None:
        await accept_requests(events, session, self._clock.now())

    async def cancel_run(self, event: DrawRolledBack, session: AsyncSession) -> None:
        """Cancel what was not sent (the corrections follow the re-run, from the waitlist)."""
        await cancel_run(event, session)

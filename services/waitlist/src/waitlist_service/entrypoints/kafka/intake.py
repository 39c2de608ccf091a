"""The waitlist's consumer handlers: each turns a validated event into its action (application/), on a store
for the consumer's transaction, which also holds the inbox claim. Which topic and group call which handler
is `bootstrap.consumer_specs`."""

from typing import Any

from platform_shared.contracts.events import (
    DrawCompleted,
    DrawRolledBack,
    NotificationDelivered,
    NotificationUndeliverable,
)
from platform_shared.time.clock import Clock
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.ports import Stores
from waitlist_service.application.record_draw import record_draw
from waitlist_service.application.start_answer_window import StartAnswerWindow, start_answer_window
from waitlist_service.application.void_run import void_run


class DrawIntake:
    def __init__(self, clock: Clock, stores: Stores = RunStore) -> None:
        self._clock = clock
        self._stores = stores

    async def record_draw(self, event: DrawCompleted, session: Any) -> None:
        """One part of a draw: an offer and a notification per winner, the waitlist in rank order."""
        await record_draw(event, self._stores(session), self._clock)

    async def void_run(self, event: DrawRolledBack, session: Any) -> None:
        """The run's offers and waitlist become void; no promotion for it ever again."""
        await void_run(event, self._stores(session))

    async def extend_deadline(self, event: NotificationDelivered, session: Any) -> None:
        """The offer's answer window counts from its delivery."""
        await start_answer_window(StartAnswerWindow(event.run_id, event.user_id, event.delivered_at),
                                  self._stores(session))

    async def start_window_undelivered(self, event: NotificationUndeliverable, session: Any) -> None:
        """The notifier gave up on the offer's message: its answer window starts now, as if it had gone out."""
        await start_answer_window(StartAnswerWindow(event.run_id, event.user_id, event.failed_at, told=False),
                                  self._stores(session))

"""An offer's answer window starts (SPEC §4): it counts from when its notification actually went out, so a
notification held through quiet hours, a pause or a backlog does not eat into it; or from when the notifier
gave up on it, so the seat does not wait forever (the entrant can still answer in the app)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from waitlist_service.application.ports import SeatStore


@dataclass(frozen=True)
class StartAnswerWindow:
    run_id: UUID
    user_id: str
    at: datetime
    """When the notification went out, or when the notifier gave up on it."""
    told: bool = True
    """Whether the message reached the person (a correction is owed only to those told, runbook §14.2)."""


async def start_answer_window(command: StartAnswerWindow, store: SeatStore) -> None:
    # The run's lock first, as every promotion pass takes it: a pass that read this offer's deadline either
    # finishes before the extension or sees it (an expiry planned on the old deadline would
    # otherwise overwrite a deadline just moved).
    if await store.lock_if_known(command.run_id) is None:
        return
    window = timedelta(hours=(await store.policy()).response_timeout_hours)
    await store.mark_delivered(command.run_id, command.user_id, command.at, command.at + window, command.told)

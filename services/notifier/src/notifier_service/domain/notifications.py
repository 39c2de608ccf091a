"""What goes into the notification queue (SPEC §5), pure: a request as it arrives. One row per dedupe key:
however often it is asked for, the queue holds it once.

A rollback's correction notices are requests like any other: the waitlist asks for them once the re-run's
outcome is known, each person's by their net change (waitlist_service/domain/corrections.py, runbook §14.2);
the notifier only cancels what the rolled-back run had not sent (application/cancel_run.py)."""

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from notifier_service.domain.delivery import Status
from platform_shared.contracts.events import NotificationRequested, TemplateName

OFFER_TEMPLATES: tuple[TemplateName, ...] = ("WINNER_OFFER", "WAITLIST_PROMOTION", "SEAT_CONFIRMED")
"""The templates that offer a seat: a rollback corrects them, and their delivery starts the answer window."""


@dataclass(frozen=True)
class NewNotification:
    dedupe_key: str
    event_id: UUID
    user_id: str
    template: TemplateName
    params: dict[str, str]
    campaign_id: str | None
    run_id: UUID | None
    status: Status
    requested_at: datetime
    received_at: datetime
    locale: str
    """The language it is written in (domain/wording.py): Korean unless its request asked for English."""
    channel: str
    """How it reaches the person (seed §1): the messaging vendor, or e-mail to the contact book's address."""

    def as_row(self) -> dict[str, Any]:
        return {**asdict(self), "next_attempt_at": self.received_at}  # due as soon as it is here


def requested(event: NotificationRequested, now: datetime, cancelled_runs: Collection[UUID]) -> NewNotification:
    """A request as it is stored: `queued`; or `cancelled` when its run was already rolled back, since it
    must never go out."""
    return NewNotification(
        dedupe_key=event.dedupe_key, event_id=event.event_id, user_id=event.user_id, template=event.template,
        params=event.params, campaign_id=event.campaign_id, run_id=event.run_id, requested_at=event.occurred_at,
        received_at=now, status=Status.CANCELLED if event.run_id in cancelled_runs else Status.QUEUED,
        locale=event.locale or "ko", channel=event.channel)

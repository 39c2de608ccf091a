"""What goes into the notification queue (SPEC §5), pure: a request as it arrives, and the correction
notice a rollback owes those already told of an offer (runbook §3.5, §14.2). One row per dedupe key:
however often either is asked for, the queue holds it once."""

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from notifier_service.domain.delivery import Status
from platform_shared.contracts.events import NotificationRequested, TemplateName

OFFER_TEMPLATES: tuple[TemplateName, ...] = ("WINNER_OFFER", "WAITLIST_PROMOTION")
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

    def as_row(self) -> dict[str, Any]:
        return {**asdict(self), "next_attempt_at": self.received_at}  # due as soon as it is here


def requested(event: NotificationRequested, now: datetime, cancelled_runs: Collection[UUID]) -> NewNotification:
    """A request as it is stored: `queued`; or `cancelled` when its run was already rolled back, since it
    must never go out."""
    return NewNotification(
        dedupe_key=event.dedupe_key, event_id=event.event_id, user_id=event.user_id, template=event.template,
        params=event.params, campaign_id=event.campaign_id, run_id=event.run_id, requested_at=event.occurred_at,
        received_at=now, status=Status.CANCELLED if event.run_id in cancelled_runs else Status.QUEUED)


def rollback_notice(run_id: UUID, user_id: str, campaign_id: str | None, event_id: UUID,
                    now: datetime) -> NewNotification:
    """DRAW_ROLLBACK_NOTICE for one user, once (its own dedupe key); it obeys quiet hours like any other.
    It is not filed under the run (run_id stays empty) so the run's cancellation never cancels it."""
    campaign = campaign_id or ""
    return NewNotification(
        dedupe_key=f"rollback:{run_id}:{user_id}", event_id=event_id, user_id=user_id,
        template="DRAW_ROLLBACK_NOTICE", params={"campaign_id": campaign, "run_id": str(run_id)},
        campaign_id=campaign, run_id=None, status=Status.QUEUED, requested_at=now, received_at=now)

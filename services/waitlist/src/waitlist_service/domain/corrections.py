"""What a rollback's re-run means for each person (runbook §3.5 step 3, §14.2), pure: told once the outcome is
known, each by their own net change, never "withdrawn" and then "congratulations" for the same seat.

Measured against what the person was *told* (their offer's message went out) in the rolled-back run, not
against what the database held: someone whose offer was cancelled before its message left never heard of it,
so for them the re-run is news like any draw.

| told of a seat in the rolled-back run | a seat in the re-run | net change | notice                              |
|---------------------------------------|----------------------|------------|-------------------------------------|
| yes                                   | yes                  | kept       | SEAT_CONFIRMED: it stands, answer   |
| yes                                   | no                   | lost       | DRAW_ROLLBACK_NOTICE: reason, rights|
| no                                    | yes                  | won        | WINNER_OFFER, the ordinary offer    |
| no                                    | no                   | none       | nothing                             |

Why the waitlist decides: it receives the re-run whole (every part of `draw_completed`, with the run it
re-draws), it holds both runs' offers and the rolled-back run's reason, and it is the one that asks for the
offer messages. The notifier knows who was told, and says so (`notification_delivered`, also for an offer whose
run was rolled back while its message was in flight); it only cancels what the rolled-back run had not sent.

A kept seat still asks for an answer: the rollback voided the run's offers and their answers (§3.5 step 2), and
the re-run's offer is a new one with its own link and deadline, so "nothing" would leave the person unable to
answer. Every notice is filed under the re-run (its `run_id`): the run whose outcome it tells, and one that is
not cancelled, so the notice goes out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from platform_shared.contracts.events import NotificationRequested
from waitlist_service.domain.offers import NewOffer


class NetChange(StrEnum):
    KEPT = "kept"
    LOST = "lost"
    WON = "won"


@dataclass(frozen=True)
class Correction:
    """A re-run's correction of the run it re-draws."""

    rolled_back_run_id: UUID
    reason: str
    rolled_back_at: datetime
    told: frozenset[str]
    """Who was told of a seat in the rolled-back run."""

    def change_for(self, user_id: str, seated: bool) -> NetChange | None:
        if user_id in self.told:
            return NetChange.KEPT if seated else NetChange.LOST
        return NetChange.WON if seated else None

    def lost(self, seated: Iterable[str]) -> list[str]:
        """Those told of a seat in the rolled-back run who hold none in the re-run, in a stable order."""
        return sorted(self.told - set(seated))

    def offer_notice(self, offer: NewOffer, campaign_name: str | None) -> NotificationRequested:
        """A re-run's offer: the ordinary one for a new winner; for a kept seat, that it stands, with the
        reason and the new offer to answer (same dedupe key: one message per person per run)."""
        notice = offer.notification(campaign_name)
        if self.change_for(offer.user_id, seated=True) != NetChange.KEPT:
            return notice
        return notice.model_copy(update={"template": "SEAT_CONFIRMED", "params": {
            **notice.params, "reason": self.reason, "rolled_back_run_id": str(self.rolled_back_run_id)}})

    def loss_notice(self, user_id: str, run_id: UUID, campaign_id: str, campaign_name: str | None,
                    now: datetime) -> NotificationRequested:
        """The correction notice for a seat lost (§14.2: why, what was done, the person's rights), once per
        person and rolled-back run."""
        return NotificationRequested(
            occurred_at=now, dedupe_key=f"rollback:{self.rolled_back_run_id}:{user_id}", user_id=user_id,
            template="DRAW_ROLLBACK_NOTICE", campaign_id=campaign_id, run_id=run_id,
            params={"campaign_id": campaign_id, "campaign_name": campaign_name or campaign_id,
                    "reason": self.reason, "rolled_back_at": self.rolled_back_at.isoformat(),
                    "rolled_back_run_id": str(self.rolled_back_run_id)})

"""New offers and the notification that tells each person (SPEC §4), pure: the same for a draw's winners
and for people promoted from the waitlist. One dedupe key per (run, person), so however often an offer is
announced, the notifier sends it once."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID, uuid4

from platform_shared.contracts.events import NotificationRequested, TemplateName
from waitlist_service.domain.seats import OfferStatus

OfferSource = Literal["draw", "declined", "scheduled", "manual"]
"""Where a seat came from: the draw itself, or a promotion pass and what started it."""


@dataclass(frozen=True)
class NewOffer:
    run_id: UUID
    campaign_id: str
    user_id: str
    rank: int
    source: OfferSource
    offered_at: datetime
    respond_by: datetime
    id: UUID = field(default_factory=uuid4)
    status: OfferStatus = OfferStatus.OFFERED

    def as_row(self) -> dict[str, Any]:
        return asdict(self)

    def notification(self, campaign_name: str | None = None) -> NotificationRequested:
        """The offer's message: its deadline as an instant (the notifier shows it in KST), the campaign by its
        display name (`campaign_name`; its id when it has none)."""
        template: TemplateName = "WINNER_OFFER" if self.source == "draw" else "WAITLIST_PROMOTION"
        return NotificationRequested(
            occurred_at=self.offered_at, dedupe_key=offer_dedupe_key(self.run_id, self.user_id),
            user_id=self.user_id, template=template, campaign_id=self.campaign_id, run_id=self.run_id,
            params={"campaign_id": self.campaign_id, "campaign_name": campaign_name or self.campaign_id,
                    "offer_id": str(self.id), "respond_by": self.respond_by.isoformat()})


def offer_dedupe_key(run_id: UUID, user_id: str) -> str:
    return f"offer:{run_id}:{user_id}"


def new_offers(run_id: UUID, campaign_id: str, people: Iterable[tuple[int, str]], source: OfferSource,
               offered_at: datetime, respond_by: datetime) -> list[NewOffer]:
    """An offer for each (rank, user id), answerable until `respond_by`."""
    return [NewOffer(run_id=run_id, campaign_id=campaign_id, user_id=user_id, rank=rank, source=source,
                     offered_at=offered_at, respond_by=respond_by) for rank, user_id in people]

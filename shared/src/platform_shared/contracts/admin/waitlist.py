"""What the waitlist's operator routes answer: a run's offers, its status and a promotion pass, read from the
use cases' views with the fields the routes have always sent."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from platform_shared.contracts.admin.models import ResponseModel


class RunStatusOut(ResponseModel):
    """A run's seats and offers (seed §4), as the waitlist's queries count them."""

    run_id: UUID
    campaign_id: str
    status: str
    seats: int
    held: int
    """Seats taken or on offer: accepted, plus offers still open."""
    offered: int
    undelivered: int
    """Offered, but their notification has not gone out yet: their deadlines wait."""
    accepted: int
    declined: int
    expired: int
    void: int
    waitlist_remaining: int
    last_promotion_at: datetime | None
    void_reason: str | None
    """Why the run's offers are void (its draw was rolled back); null otherwise."""


class PromotionOut(ResponseModel):
    """One promotion pass, from promotion.PassOutcome."""

    model_config = ConfigDict(from_attributes=True)

    run_id: UUID
    expired: int
    """Offers past their deadline, expired by this pass."""
    promoted: list[str]
    """The users offered a seat by this pass, in rank order."""
    seats_left: int
    waitlist_exhausted: bool


class OfferOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    run_id: UUID
    user_id: str
    rank: int
    source: str
    status: str
    offered_at: datetime
    respond_by: datetime
    answered_at: datetime | None

"""HTTP API of the waitlist: winners answer offers; operators read status and trigger promotion."""

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from platform_shared.web.access import AdminId
from waitlist_service.domain.seats import Answer
from waitlist_service.promotion import PromotionService
from waitlist_service.queries import WaitlistQueries


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


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = Field(min_length=1, max_length=100)


def waitlist_router(promotion: PromotionService, queries: WaitlistQueries) -> APIRouter:
    router = APIRouter(tags=["waitlist"])

    @router.get("/runs/{run_id}/offers")
    async def offers_for_run(run_id: UUID) -> list[OfferOut]:
        """Offers of one draw run, in rank order."""
        return [OfferOut.model_validate(o) for o in await queries.offers_for_run(run_id)]

    @router.get("/runs/{run_id}/status")
    async def run_status(run_id: UUID) -> dict[str, Any]:
        """Seats, held, accepted, declined, expired, remaining waitlist, last promotion."""
        return asdict(await queries.status(run_id))

    @router.post("/runs/{run_id}/promote")
    async def promote(run_id: UUID, admin: AdminId) -> dict[str, Any]:
        """Run a promotion pass now (audited): expire overdue offers, fill free seats in rank order."""
        return asdict(await promotion.promote(run_id, "manual", actor=admin))

    @router.post("/offers/{offer_id}/accept")
    async def accept_offer(offer_id: UUID, body: AnswerIn) -> OfferOut:
        """The winner takes the seat. After the deadline, a second answer, or a void offer: 409."""
        return OfferOut.model_validate(await promotion.answer(offer_id, body.user_id, Answer.ACCEPT))

    @router.post("/offers/{offer_id}/decline")
    async def decline_offer(offer_id: UUID, body: AnswerIn) -> OfferOut:
        """The winner gives the seat up; the next person on the waitlist is offered it at once."""
        return OfferOut.model_validate(await promotion.answer(offer_id, body.user_id, Answer.DECLINE))

    return router

"""Admin HTTP API of the waitlist service."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from waitlist_service.offers import OfferService


class OfferOut(BaseModel):
    id: UUID
    run_id: UUID
    user_id: str
    rank: int
    status: str
    respond_by: datetime


def offers_router(offers: OfferService) -> APIRouter:
    router = APIRouter(tags=["offers"])

    @router.get("/runs/{run_id}/offers")
    async def offers_for_run(run_id: UUID) -> list[OfferOut]:
        """Offers of one draw run, in rank order."""
        return [OfferOut.model_validate(o, from_attributes=True) for o in await offers.offers_for_run(run_id)]

    return router

"""HTTP API of the waitlist: winners answer their own offers (logged in with Kakao, or through the signed link
of their notification); operators read offers and status and trigger promotion."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from platform_shared.contracts.admin.models import StrictModel
from platform_shared.contracts.admin.waitlist import OfferOut, PromotionOut, RunStatusOut
from platform_shared.web.access import AdminId, EntrantId
from platform_shared.web.use_cases import use_case
from waitlist_service.application.promotion import PromotionService
from waitlist_service.application.queries import WaitlistQueries
from waitlist_service.domain.answers import LinkHolder, Owner
from waitlist_service.domain.seats import Answer

Signature = Annotated[str, Field(min_length=1, max_length=100)]
"""The `sig` of an answer link (platform_shared/auth/offer_links.py)."""


class LinkedOfferOut(BaseModel):
    """What an answer link shows: the offer, not whose it is."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: str
    status: str
    respond_by: datetime
    answered_at: datetime | None


class LinkAnswerIn(StrictModel):
    answer: Answer
    signature: Signature


Promotion = Annotated[PromotionService, use_case(PromotionService)]
Queries = Annotated[WaitlistQueries, use_case(WaitlistQueries)]

router = APIRouter(tags=["waitlist"])


@router.get("/runs/{run_id}/offers")
async def offers_for_run(run_id: UUID, queries: Queries) -> list[OfferOut]:
    """Offers of one draw run, in rank order."""
    return [OfferOut.model_validate(o) for o in await queries.offers_for_run(run_id)]


@router.get("/runs/{run_id}/status")
async def run_status(run_id: UUID, queries: Queries) -> RunStatusOut:
    """Seats, held, accepted, declined, expired, remaining waitlist, last promotion."""
    return await queries.status(run_id)


@router.post("/runs/{run_id}/promote")
async def promote(run_id: UUID, admin: AdminId, promotion: Promotion) -> PromotionOut:
    """Run a promotion pass now (audited): expire overdue offers, fill free seats in rank order."""
    return PromotionOut.model_validate(await promotion.promote(run_id, "manual", actor=admin))


@router.get("/me/offers")
async def my_offers(entrant: EntrantId, queries: Queries) -> list[OfferOut]:
    """The caller's own offers, newest first."""
    return [OfferOut.model_validate(o) for o in await queries.offers_of_user(entrant)]

@router.post("/me/offers/{offer_id}/accept")
async def accept_my_offer(offer_id: UUID, entrant: EntrantId, promotion: Promotion) -> OfferOut:
    """The winner takes the seat. Someone else's offer: 403. After the deadline, a second answer, or a
    void offer: 409. Nothing changes on a refusal."""
    return OfferOut.model_validate(await promotion.answer(offer_id, Owner(entrant), Answer.ACCEPT))


@router.post("/me/offers/{offer_id}/decline")
async def decline_my_offer(offer_id: UUID, entrant: EntrantId, promotion: Promotion) -> OfferOut:
    """The winner gives the seat up; the next person on the waitlist is offered it at once. Someone
    else's offer: 403, and nobody is promoted."""
    return OfferOut.model_validate(await promotion.answer(offer_id, Owner(entrant), Answer.DECLINE))


@router.get("/offers/{offer_id}/link")
async def offer_by_link(offer_id: UUID, sig: Annotated[str, Query(min_length=1, max_length=100)],
                        queries: Queries) -> LinkedOfferOut:
    """What the signed link of a notification opens: the offer, read only (a link is a GET target, and
    a GET never changes anything). A signature that is not this offer's: 403."""
    return LinkedOfferOut.model_validate(await queries.offer_by_link(offer_id, sig))


@router.post("/offers/{offer_id}/answer")
async def answer_by_link(offer_id: UUID, body: LinkAnswerIn, promotion: Promotion) -> LinkedOfferOut:
    """Accept or decline with the link's signature: good while the offer is open and before its deadline,
    so once (a second answer: 409). A signature that is not this offer's: 403, and nothing changes."""
    offer = await promotion.answer(offer_id, LinkHolder(body.signature), body.answer)
    return LinkedOfferOut.model_validate(offer)

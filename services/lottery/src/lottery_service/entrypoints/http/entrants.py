"""Entrant routes (SPEC §9): public campaign pages, and what a logged-in entrant does — read the intro,
come back from the sponsor, enter. The entrant is always the verified Kakao token's `sub`; no body names a
user, a weight or a precondition (unknown fields are refused)."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from lottery_service.entrypoints.http.dependencies import CampaignId, Entering, Pages, SponsorReturns
from platform_shared.contracts.admin.lottery import IntroOut
from platform_shared.contracts.admin.models import StrictModel
from platform_shared.contracts.sponsor_return import SponsorReturn
from platform_shared.errors import NotFoundError
from platform_shared.web.access import EntrantId

Utm = Field(default="", max_length=100, pattern=r"^[A-Za-z0-9_.:~ -]*$")


class CampaignPageOut(BaseModel):
    campaign_id: str
    status: str
    seats: int
    draw_at: datetime
    requires_intro: bool
    requires_adgate: bool
    banners: list[str]


class SponsorReturnIn(StrictModel):
    """The parameters the sponsor landing sent the entrant back with, exactly as received."""

    campaign_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    kakao_user_id: int = Field(ge=1, lt=2**63)
    visited_at: int = Field(ge=0, lt=2**40, description="Unix seconds of the visit")
    utm_source: str = Utm
    utm_medium: str = Utm
    utm_campaign: str = Utm
    nonce: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    signature: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]+$")


class EntryIn(StrictModel):
    """Nothing to give: the server decides the weight and the preconditions."""


class EntryOut(BaseModel):
    campaign_id: str
    kakao_user_id: int
    weight: float
    policy_version: int
    intro_seen: bool
    adgate_verified: bool
    adgate_exempt_reason: str | None
    pseudonym: str | None = None
    """Your line's name in the draw's public bundle (GET /runs/{id}/bundle.json): only you are told it."""


router = APIRouter(prefix="/campaigns", tags=["entrants"])


@router.get("/{campaign_id}")
async def campaign_page(campaign_id: CampaignId, pages: Pages) -> CampaignPageOut:
    """Public: the campaign as an entrant browses it before logging in, with its banners."""
    page = await pages.page(campaign_id)
    return CampaignPageOut(campaign_id=page.draw.campaign_id, status=page.draw.status, seats=page.draw.seats,
                           draw_at=page.draw.draw_at, requires_intro=page.draw.requires_intro,
                           requires_adgate=page.draw.requires_adgate, banners=page.banners)


@router.get("/{campaign_id}/intro")
async def intro(campaign_id: CampaignId, entrant: EntrantId, pages: Pages) -> IntroOut:
    """The campaign's intro; reading it logged in is the Intro-first precondition (seed §3.1)."""
    return IntroOut(campaign_id=campaign_id, intro=await pages.read_intro(campaign_id, entrant))


@router.post("/{campaign_id}/adgate/return", status_code=status.HTTP_204_NO_CONTENT)
async def sponsor_return(campaign_id: CampaignId, body: SponsorReturnIn, entrant: EntrantId,
                         sponsor_returns: SponsorReturns) -> None:
    """AdGate (seed §5): the signed return from the sponsor landing. Valid once, for this entrant and
    campaign, shortly after the visit; a refusal (403) is recorded and counted as adgate_verify_fail."""
    fields: dict[str, Any] = body.model_dump(exclude={"signature"})
    await sponsor_returns.sponsor_return(campaign_id, entrant, SponsorReturn(**fields), body.signature)


@router.post("/{campaign_id}/entry", status_code=status.HTTP_201_CREATED)
async def enter(campaign_id: CampaignId, body: EntryIn, entrant: EntrantId, entering: Entering) -> EntryOut:
    """Enter once. The weight comes from the policy in force (its weight rule and the event's cap),
    the preconditions from what the server recorded; a second entry is 409."""
    return EntryOut(**await entering.enter(campaign_id, entrant))


@router.get("/{campaign_id}/entry")
async def my_entry(campaign_id: CampaignId, entrant: EntrantId, entering: Entering) -> EntryOut:
    """The caller's own entry."""
    found = await entering.entry_of(campaign_id, entrant)
    if found is None:
        raise NotFoundError("you have not entered this campaign", field="campaign_id")
    entry, pseudonym = found
    return EntryOut.model_validate(entry, from_attributes=True).model_copy(update={"pseudonym": pseudonym})


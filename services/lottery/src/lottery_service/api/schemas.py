"""Request and response bodies of the lottery admin API. Unknown fields are refused."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from platform_shared.contracts.policy import CAMPAIGN_ID_PATTERN
from platform_shared.web.models import Reason, StrictModel

CampaignId = Annotated[str, Path(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)]
KakaoUserId = Annotated[int, Field(ge=1, lt=2**63)]


class DrawIn(StrictModel):
    campaign_id: str = Field(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)
    seats: int = Field(ge=1, le=1_000_000)
    waitlist_size: int = Field(ge=0, le=1_000_000)
    draw_at: AwareDatetime
    requires_intro: bool = False
    requires_adgate: bool = False
    weight_cap: float | None = Field(default=None, gt=0, le=1e9, allow_inf_nan=False,
                                     description="The event's own cap, within the policy's; default: the policy's")
    cooldown_hours: float = Field(default=0.0, ge=0, le=24 * 366, allow_inf_nan=False,
                                  description="A winner of a draw within it enters with the base weight only; "
                                              "at least the policy's minimum")
    intro: str = Field(default="", max_length=10_000, description="What entrants read before entering")


class PlacesIn(StrictModel):
    """A seat or waitlist size correction (seed §3.5 "wrong seat count"): the seed stays, only the cut moves."""

    seats: int = Field(ge=1, le=1_000_000)
    waitlist_size: int = Field(ge=0, le=1_000_000)
    reason: Reason


class FindingOut(BaseModel):
    field: str
    message: str


class DrawOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    campaign_id: str
    seats: int
    waitlist_size: int
    draw_at: datetime
    requires_intro: bool
    requires_adgate: bool
    weight_cap: float | None
    cooldown_hours: float
    status: str
    commitment: str | None
    frozen_set_hash: str | None
    """Once entries closed: the hash of every entry's frozen decision and weight (docs/draw-algorithm.md)."""
    algorithm: str | None
    """The draw algorithm fixed at close (the set was hashed and will be drawn under it)."""
    review: list[FindingOut] = []
    """Seed §7.3: where the event sits outside the policy in force (empty when within its bounds)."""


class EntryIn(StrictModel):
    kakao_user_id: KakaoUserId
    weight: float = Field(gt=0, le=1e9, allow_inf_nan=False)
    intro_seen: bool = False
    adgate_verified: bool = False
    suspicious: bool = False


class EntriesIn(StrictModel):
    entries: list[EntryIn] = Field(min_length=1, max_length=100_000)


class SuspiciousIn(StrictModel):
    suspicious: bool
    reason: Reason


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: str
    previous_run_id: UUID | None
    status: str
    seats: int
    waitlist_size: int
    eligible_count: int
    entry_set_hash: str
    commitment: str
    policy_version: int
    weight_cap: float
    executed_by: str
    created_at: datetime
    rolled_back_at: datetime | None
    rollback_reason: str | None


class ResultOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rank: int
    kakao_user_id: int
    outcome: str
    weight: float
    key: float


class RunWithResultsOut(RunOut):
    results_void: bool
    results: list[ResultOut]



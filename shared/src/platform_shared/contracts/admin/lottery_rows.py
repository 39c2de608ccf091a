"""What the lottery's routes answer from stored rows: draws, runs with their results, the AdGate impact
report."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class FindingOut(BaseModel):
    field: str
    message: str


class DrawOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    campaign_id: str
    display_name: str | None = None
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


class ExemptionOut(BaseModel):
    campaign_id: str
    exemption: str
    entries: int
    first_entry_at: datetime
    last_entry_at: datetime

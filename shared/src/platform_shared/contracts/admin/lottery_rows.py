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
    beacon_round: int | None = None
    """LOTTERY4: the committed drand round the keys will be mixed with (GET /draws/{id}/commitment, public)."""
    beacon_waiting_since: datetime | None = None
    """Since when an execution waits for an unreachable beacon (null: not waiting), and why."""
    beacon_problem: str | None = None
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


PAGE, PAGE_MAX = 50, 500
"""Rows a page of results, entries or draws holds by default, and at most (`limit`)."""
TOTAL_COUNT = "X-Total-Count"
"""The header of `GET /draws` that counts every draw of the list, whatever page it answers."""


class ResultPageOut(BaseModel):
    """One page of a run's results: one place (`outcome` of every row), in rank order."""

    run: RunOut
    results_void: bool
    """The run was rolled back: these results no longer stand."""
    place: str
    offset: int
    limit: int
    total_winners: int
    total_waitlist: int
    rows: list[ResultOut]


class EntryOut(BaseModel):
    """An entry as the draw holds it (the export and the results name entrants by their Kakao user id too)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kakao_user_id: int
    weight: float
    raw_weight: float
    policy_version: int
    intro_seen: bool
    adgate_verified: bool
    adgate_exempt_reason: str | None
    suspicious: bool
    invalid_reason: str | None
    """Why it does not count (a corrected duplicate); null for a valid entry."""
    source: str
    created_at: datetime


class EntryPageOut(BaseModel):
    """One page of a draw's entries, by Kakao user id (then entry id: legacy duplicates side by side)."""

    total: int
    offset: int
    limit: int
    rows: list[EntryOut]


class ExemptionOut(BaseModel):
    campaign_id: str
    exemption: str
    entries: int
    first_entry_at: datetime
    last_entry_at: datetime

"""Admin HTTP API of the lottery (FastAPI; OpenAPI at /docs)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from lottery_service.draws import DrawService

CampaignId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]


class DrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    seats: int = Field(ge=1, le=1_000_000)
    waitlist_size: int = Field(ge=0, le=1_000_000)
    draw_at: AwareDatetime


class DrawOut(BaseModel):
    campaign_id: str
    seats: int
    waitlist_size: int
    draw_at: datetime
    status: str
    commitment: str | None


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kakao_user_id: int = Field(ge=1, lt=2**63)
    weight: float = Field(gt=0, allow_inf_nan=False)


class EntriesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[EntryIn] = Field(min_length=1, max_length=100_000)


class RunOut(BaseModel):
    run_id: UUID
    campaign_id: str
    entry_set_hash: str
    policy_version: int
    status: str


class ResultOut(BaseModel):
    rank: int
    kakao_user_id: int
    outcome: str
    weight: float
    key: float


class RunResultsOut(RunOut):
    results: list[ResultOut]


def draws_router(draws: DrawService) -> APIRouter:
    router = APIRouter(tags=["draws"])

    @router.post("/draws", status_code=status.HTTP_201_CREATED)
    async def create_draw(body: DrawIn) -> DrawOut:
        """Create a draw (a campaign event) open for entries."""
        draw = await draws.create_draw(body.campaign_id, body.seats, body.waitlist_size, body.draw_at)
        return DrawOut.model_validate(draw, from_attributes=True)

    @router.post("/draws/{campaign_id}/entries", status_code=status.HTTP_201_CREATED)
    async def add_entries(campaign_id: CampaignId, body: EntriesIn) -> dict[str, int]:
        """Add entries; a user already entered refuses the whole batch with 409."""
        added = await draws.add_entries(campaign_id, [(e.kakao_user_id, e.weight) for e in body.entries])
        return {"added": added}

    @router.post("/draws/{campaign_id}/close")
    async def close_entries(campaign_id: CampaignId) -> DrawOut:
        """Stop entries and publish the seed commitment."""
        return DrawOut.model_validate(await draws.close_entries(campaign_id), from_attributes=True)

    @router.post("/draws/{campaign_id}/runs", status_code=status.HTTP_201_CREATED)
    async def execute_draw(campaign_id: CampaignId) -> RunOut:
        """Run the draw, store its results and publish draw_completed (through the outbox)."""
        run = await draws.execute_draw(campaign_id)
        return RunOut(run_id=run.id, campaign_id=run.campaign_id, entry_set_hash=run.entry_set_hash,
                      policy_version=run.policy_version, status=run.status)

    @router.get("/runs/{run_id}")
    async def run_results(run_id: UUID) -> RunResultsOut:
        """A run and its ranked results (winners, then the waitlist)."""
        run, rows = await draws.results(run_id)
        return RunResultsOut(
            run_id=run.id, campaign_id=run.campaign_id, entry_set_hash=run.entry_set_hash,
            policy_version=run.policy_version, status=run.status,
            results=[ResultOut.model_validate(row, from_attributes=True) for row in rows],
        )

    return router

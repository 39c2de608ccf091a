"""Admin routes: prepare/execute a draw, its results a page at a time, verify, reveal, export, roll back; and
the public bundle."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query, status
from fastapi.responses import StreamingResponse

from lottery_service.domain.result_places import RANK_MAX, Place
from lottery_service.domain.run_lifecycle import RunStatus
from lottery_service.entrypoints.http.dependencies import (
    CampaignId,
    Execution,
    Exports,
    Results,
    Rollback,
    Verification,
)
from lottery_service.metrics import DRAW_EXECUTE_SECONDS, DRAW_PREPARE_SECONDS
from platform_shared.contracts.admin.lottery import RevealOut, RollbackPreparedOut, RunPreparedOut, VerificationOut
from platform_shared.contracts.admin.lottery_requests import PrepareRunIn
from platform_shared.contracts.admin.lottery_rows import (
    PAGE,
    PAGE_MAX,
    ResultOut,
    ResultPageOut,
    RunOut,
    RunWithResultsOut,
)
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.web.access import AdminId

router = APIRouter(tags=["runs"])


@router.post("/draws/{campaign_id}/runs/prepare")
async def prepare_run(campaign_id: CampaignId, admin: AdminId, execution: Execution,
                      body: Annotated[PrepareRunIn, Body(default_factory=PrepareRunIn)]) -> RunPreparedOut:
    """Step one: seats, waitlist size, seed display value, draw time, policy version, entry-set hash,
    and the token that execute needs. Before `draw_at` only with `early_reason` (seed §3.1)."""
    with DRAW_PREPARE_SECONDS.time():
        return RunPreparedOut.model_validate(await execution.prepare(campaign_id, admin, body.early_reason))


@router.post("/draws/{campaign_id}/runs/execute", status_code=status.HTTP_201_CREATED)
async def execute_run(campaign_id: CampaignId, body: TokenIn, admin: AdminId, execution: Execution) -> RunOut:
    """Step two: draw, store winners and waitlist, publish draw_completed. Same token → same run."""
    with DRAW_EXECUTE_SECONDS.time():
        return RunOut.model_validate(await execution.execute(campaign_id, body.token, admin))


@router.get("/runs/{run_id}")
async def get_run(run_id: UUID, verification: Verification) -> RunWithResultsOut:
    """A run and its ranked results; a rolled-back run's results are void."""
    run, results = await verification.run_with_results(run_id)
    return RunWithResultsOut.model_validate(
        {**RunOut.model_validate(run).model_dump(), "results_void": run.status == RunStatus.ROLLED_BACK,
         "results": results})


@router.get("/runs/{run_id}/results")
async def run_results(run_id: UUID, results: Results, place: Place = Place.WINNER,
                      offset: Annotated[int, Query(ge=0, le=RANK_MAX)] = 0,
                      limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE) -> ResultPageOut:
    """A page of one place of the run's results, winners or the waitlist, in rank order (`offset` counts within
    the place), with both places' totals; a rolled-back run's results are void."""
    page = await results.page(run_id, place, offset, limit)
    return ResultPageOut(run=RunOut.model_validate(page.run), results_void=page.run.status == RunStatus.ROLLED_BACK,
                         place=place, offset=offset, limit=limit, total_winners=page.winners,
                         total_waitlist=page.waitlist, rows=[ResultOut.model_validate(r) for r in page.rows])


# A difference names the keys of both sides only where both have the rank: unset fields stay unsent.
@router.get("/runs/{run_id}/verify", response_model_exclude_unset=True)
async def verify_run(run_id: UUID, verification: Verification) -> VerificationOut:
    """Result count check and audit replay from the set the run was drawn from and its seed."""
    return await verification.verify(run_id)


@router.get("/runs/{run_id}/reveal")
async def reveal_run(run_id: UUID, verification: Verification) -> RevealOut:
    """The seed (never the secret), commitment and entry-set hash: input for tools/verify_draw.py."""
    return await verification.reveal(run_id)


@router.get("/runs/{run_id}/bundle.json")
async def run_bundle(run_id: UUID, exports: Exports) -> StreamingResponse:
    """The public verification bundle: commitment, seed, frozen-set hash, every entry under a pseudonym
    with its decision, weight and key, ranks and outcomes, every run of the campaign (streamed JSON;
    check it with tools/verify_draw.py). No Kakao user id is in it."""
    chunks = await exports.bundle(run_id)
    return StreamingResponse(chunks, media_type="application/json",
                             headers={"Content-Disposition": f'attachment; filename="run-{run_id}-bundle.json"'})


@router.get("/runs/{run_id}/export.csv")
async def export_run(run_id: UUID, exports: Exports) -> StreamingResponse:
    """Every eligible entrant: rank, user, outcome, weight, key (streamed CSV)."""
    lines = await exports.export_csv(run_id)
    return StreamingResponse(lines, media_type="text/csv",
                             headers={"Content-Disposition": f'attachment; filename="run-{run_id}.csv"'})


@router.post("/runs/{run_id}/rollback/prepare")
async def prepare_rollback(run_id: UUID, body: ReasonIn, admin: AdminId, rollback: Rollback) -> RollbackPreparedOut:
    """Step one of a rollback: what will be voided, and a confirmation token."""
    return RollbackPreparedOut.model_validate(await rollback.prepare_rollback(run_id, body.reason, admin))


@router.post("/runs/{run_id}/rollback/confirm")
async def confirm_rollback(run_id: UUID, body: TokenIn, admin: AdminId, rollback: Rollback) -> RunOut:
    """Step two: void the run, publish draw_rolled_back; the draw can run again (a new linked run)."""
    return RunOut.model_validate(await rollback.rollback(run_id, body.token, admin))

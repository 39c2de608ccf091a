"""Public routes: a draw's commitment before the draw, and the public commitment log (docs/draw-algorithm.md
§8.3, §8.5). No login: an outsider keeps what they saw, to compare with every later bundle."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from lottery_service.application.public_commitments import PublicCommitments
from lottery_service.entrypoints.http.dependencies import CampaignId
from platform_shared.contracts.admin.lottery import CommitmentOut, LogHeadOut
from platform_shared.contracts.admin.lottery_rows import PAGE_MAX
from platform_shared.contracts.admin.models import INTEGER_MAX
from platform_shared.web.use_cases import use_case

router = APIRouter(tags=["commitments"])
Commitments = Annotated[PublicCommitments, use_case(PublicCommitments)]


@router.get("/draws/{campaign_id}/commitment")
async def draw_commitment(campaign_id: CampaignId, commitments: Commitments) -> CommitmentOut:
    """The draw's commitment in force (null while entries are open): seed hash, frozen-set hash, seats,
    waitlist size, weight cap, algorithm and the beacon round — whether it is published yet — and every entry
    of its history in the public log."""
    return await commitments.of_draw(campaign_id)


@router.get("/commitments")
async def commitment_log(commitments: Commitments,
                         after_seq: Annotated[int, Query(ge=0, le=INTEGER_MAX, description="After this entry")] = 0,
                         limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_MAX) -> list[dict[str, Any]]:
    """The public commitment log, oldest first, each entry with its hash (docs/draw-algorithm.md §8.5)."""
    return await commitments.page(after_seq, limit)


@router.get("/commitments/head")
async def commitment_log_head(commitments: Commitments) -> LogHeadOut:
    """The log's last entry: keep it, and check later that every bundle's log still holds it."""
    return await commitments.head()

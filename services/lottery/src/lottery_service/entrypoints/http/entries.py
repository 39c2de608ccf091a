"""Admin routes: entries (a page of them, the import), corrections, blacklist, weight recalculation."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from lottery_service.domain.intake import NewEntry
from lottery_service.entrypoints.http.dependencies import (
    CampaignId,
    Draws,
    Duplicates,
    Exclusions,
    Imports,
    Recalculations,
    UserId,
)
from platform_shared.contracts.admin.lottery import (
    DuplicatesCorrectedOut,
    EntriesAddedOut,
    EntriesImportedOut,
    RecalculatedOut,
    RecalculationPreparedOut,
)
from platform_shared.contracts.admin.lottery_requests import EntriesIn, SuspiciousIn
from platform_shared.contracts.admin.lottery_rows import PAGE, PAGE_MAX, EntryOut, EntryPageOut
from platform_shared.contracts.admin.models import BIGINT_MAX, ReasonIn, TokenIn
from platform_shared.web.access import AdminId

router = APIRouter(tags=["entries"])


@router.post("/draws/{campaign_id}/entries", status_code=status.HTTP_201_CREATED)
async def add_entries(campaign_id: CampaignId, body: EntriesIn, admin: AdminId, imports: Imports) -> EntriesAddedOut:
    """The admin bulk import (audited); entrants enter themselves at /campaigns/{campaign_id}/entry.
    A user already entered refuses the whole batch with 409."""
    added = await imports.add_entries(campaign_id, [NewEntry(**e.model_dump()) for e in body.entries], admin)
    return EntriesAddedOut(added=added)


@router.get("/draws/{campaign_id}/entries")
async def entries_page(campaign_id: CampaignId, draws: Draws, offset: Annotated[int, Query(ge=0, le=BIGINT_MAX)] = 0,
                       limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE) -> EntryPageOut:
    """A page of the draw's entries, by Kakao user id (then entry id), with how many it holds in all."""
    total, rows = await draws.entry_page(campaign_id, offset, limit)
    return EntryPageOut(total=total, offset=offset, limit=limit, rows=[EntryOut.model_validate(r) for r in rows])


@router.post("/draws/{campaign_id}/entries/legacy-import", status_code=status.HTTP_201_CREATED)
async def import_legacy_entries(campaign_id: CampaignId, body: EntriesIn, admin: AdminId,
                                imports: Imports) -> EntriesImportedOut:
    """Import entries from before the one-entry-per-user rule, duplicates included (audited)."""
    added = await imports.import_legacy_entries(
        campaign_id, [NewEntry(**e.model_dump()) for e in body.entries], admin)
    return EntriesImportedOut(imported=added)


@router.post("/draws/{campaign_id}/entries/correct-duplicates")
async def correct_duplicates(campaign_id: CampaignId, body: ReasonIn, admin: AdminId,
                             duplicates: Duplicates) -> DuplicatesCorrectedOut:
    """Mark all but each user's earliest entry invalid; returns the re-counted totals (audited)."""
    return await duplicates.correct_duplicates(campaign_id, admin, body.reason)


@router.put("/draws/{campaign_id}/entries/{kakao_user_id}/suspicious", status_code=status.HTTP_204_NO_CONTENT)
async def flag_suspicious(campaign_id: CampaignId, kakao_user_id: UserId, body: SuspiciousIn,
                          admin: AdminId, exclusions: Exclusions) -> None:
    """Set or clear the suspicious-entry flag (suspicious entries are filtered out of the draw)."""
    await exclusions.flag_suspicious(campaign_id, kakao_user_id, body.suspicious, admin, body.reason)


@router.put("/blacklist/{kakao_user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def blacklist_user(kakao_user_id: UserId, body: ReasonIn, admin: AdminId, exclusions: Exclusions) -> None:
    """Exclude a user from every draw."""
    await exclusions.blacklist(kakao_user_id, body.reason, admin)


@router.delete("/blacklist/{kakao_user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unblacklist_user(kakao_user_id: UserId, body: ReasonIn, admin: AdminId, exclusions: Exclusions) -> None:
    """Lift a blacklisting."""
    await exclusions.unblacklist(kakao_user_id, body.reason, admin)


@router.post("/draws/{campaign_id}/weights/recalculate/prepare")
async def prepare_weight_recalculation(campaign_id: CampaignId, body: ReasonIn, admin: AdminId,
                                       recalculations: Recalculations) -> RecalculationPreparedOut:
    """Step one of a bulk weight recalculation: what would change, and a confirmation token."""
    return RecalculationPreparedOut.model_validate(
        await recalculations.prepare_weight_recalculation(campaign_id, admin, body.reason))


@router.post("/draws/{campaign_id}/weights/recalculate/confirm")
async def confirm_weight_recalculation(campaign_id: CampaignId, body: TokenIn, admin: AdminId,
                                       recalculations: Recalculations) -> RecalculatedOut:
    """Step two: apply it (audited). The same token twice applies it once."""
    return RecalculatedOut.model_validate(
        await recalculations.confirm_weight_recalculation(campaign_id, body.token, admin))

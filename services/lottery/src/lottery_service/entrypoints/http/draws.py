"""Admin routes: draw life cycle and dry run."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from lottery_service.application.draw_queries import ReviewedDraw
from lottery_service.entrypoints.http.dependencies import (
    CampaignId,
    Closing,
    Creation,
    Draws,
    DryRuns,
    Places,
    Reopening,
)
from platform_shared.contracts.admin.lottery import (
    DryRunOut,
    PlacesPreparedOut,
    PlacesRequestOut,
    ReopenedOut,
    ReopeningOut,
    ReopenPreparedOut,
)
from platform_shared.contracts.admin.lottery_requests import DrawIn, PlacesIn
from platform_shared.contracts.admin.lottery_rows import PAGE_MAX, TOTAL_COUNT, DrawOut, FindingOut
from platform_shared.contracts.admin.models import INTEGER_MAX, ReasonIn, TokenIn
from platform_shared.web.access import AdminId, Caller

router = APIRouter(prefix="/draws", tags=["draws"])


@router.get("", responses={200: {"headers": {TOTAL_COUNT: {
    "description": "How many draws the list holds, whatever page was asked", "schema": {"type": "integer"}}}}})
async def list_draws(draws: Draws, response: Response, needs_review: bool = Query(
        default=False, description="Only events not yet drawn that the policy in force puts out of bounds"),
                     offset: Annotated[int, Query(ge=0, le=INTEGER_MAX)] = 0,
                     limit: Annotated[int | None, Query(ge=1, le=PAGE_MAX, description="A page of at most this "
                                                        "many; without it, every draw from `offset`")] = None,
                     ) -> list[DrawOut]:
    """Every draw with its review against the policy in force (seed §7.3 event review), by campaign id; the
    count of them all in `X-Total-Count`."""
    reviewed = await draws.all_draws(needs_review=needs_review)
    response.headers[TOTAL_COUNT] = str(len(reviewed))
    return [_out(r) for r in reviewed[offset:None if limit is None else offset + limit]]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_draw(body: DrawIn, admin: AdminId, creation: Creation) -> DrawOut:
    """Create a draw (a campaign event), open for entries."""
    draw = await creation.create_draw(actor=admin, **body.model_dump())
    return DrawOut.model_validate(draw)


@router.get("/{campaign_id}")
async def get_draw(campaign_id: CampaignId, draws: Draws) -> DrawOut:
    """A draw with its status and, once entries closed, its seed commitment."""
    return _out(await draws.get_draw(campaign_id))


@router.post("/{campaign_id}/close")
async def close_entries(campaign_id: CampaignId, admin: AdminId, closing: Closing) -> DrawOut:
    """Stop entries (or end a correction), freeze every entry's decision and weight, and publish the
    frozen-set hash with the seed commitment SHA256(seed)."""
    return DrawOut.model_validate(await closing.close_entries(campaign_id, admin))


@router.put("/{campaign_id}/places")
async def correct_places(campaign_id: CampaignId, body: PlacesIn, admin: AdminId, places: Places) -> DrawOut:
    """Correct the seat count or waitlist size while entries are open (seed §3.5). After the close the counts
    are committed: two steps and a second operator (`places/prepare`, `places/confirm`)."""
    return DrawOut.model_validate(await places.correct_places(
        campaign_id, seats=body.seats, waitlist_size=body.waitlist_size, reason=body.reason, actor=admin))


@router.post("/{campaign_id}/places/prepare")
async def prepare_places(campaign_id: CampaignId, body: PlacesIn, admin: AdminId, places: Places) -> PlacesPreparedOut:
    """Step one of a seat or waitlist correction after the close (seed §3.5): the change, the commitment it
    replaces and the token — which a *second* operator confirms."""
    return PlacesPreparedOut.model_validate(await places.prepare(
        campaign_id, seats=body.seats, waitlist_size=body.waitlist_size, reason=body.reason, actor=admin))


@router.get("/{campaign_id}/places/requests")
async def places_requests(campaign_id: CampaignId, places: Places) -> list[PlacesRequestOut]:
    """The seat corrections asked for and not confirmed yet, oldest first: what each changes, why, who asked
    and when — what the second operator reads before confirming one."""
    return [PlacesRequestOut.model_validate(request) for request in await places.awaiting(campaign_id)]


@router.post("/{campaign_id}/places/confirm")
async def confirm_places(campaign_id: CampaignId, body: TokenIn, admin: AdminId, places: Places) -> DrawOut:
    """Step two, by another operator than the one who asked: the counts change and a new commitment enters
    the public log (docs/draw-algorithm.md §8.6)."""
    return DrawOut.model_validate(await places.confirm(campaign_id, body.token, admin))


@router.get("/{campaign_id}/reopenings")
async def reopenings(campaign_id: CampaignId, reopening: Reopening) -> list[ReopeningOut]:
    """Every reopen with its burned seed and, once the draw closed again, the diff: which entries changed
    decision (from → to) and the commitment to the new seed. (The public bundle carries the same, under
    pseudonyms.)"""
    return await reopening.of_campaign(campaign_id)


@router.post("/{campaign_id}/reopen/prepare")
async def prepare_reopen(campaign_id: CampaignId, body: ReasonIn, caller: Caller,
                         reopening: Reopening) -> ReopenPreparedOut:
    """Step one of an eligibility correction after close (seed §3.5): what it reopens, and the token. A third
    and later reopen of a draw needs the admin role."""
    return ReopenPreparedOut.model_validate(await reopening.prepare(campaign_id, body.reason, caller.account,
                                                                    caller.role))


# A repeated confirmation answers the stored outcome, which never held the seed: `burned_seed` stays unsent.
@router.post("/{campaign_id}/reopen/confirm", response_model_exclude_unset=True)
async def confirm_reopen(campaign_id: CampaignId, body: TokenIn, caller: Caller, reopening: Reopening) -> ReopenedOut:
    """Step two: the draw is correcting (flags, blacklist and duplicates may change, no new entries), and the
    reopen is in the public commitment log. Closing again freezes the corrected set: unchanged keeps every
    key, changed commits to a later beacon round."""
    return ReopenedOut.model_validate(await reopening.confirm(campaign_id, body.token, caller.account, caller.role))


@router.post("/{campaign_id}/dry-run")
async def dry_run(campaign_id: CampaignId, admin: AdminId, dry_runs: DryRuns) -> DryRunOut:
    """Counts, filters, pass rates, weight histogram, seed display value and a NOT FINAL sample of 5.
    Stores nothing but an audit snapshot."""
    return DryRunOut.model_validate(asdict(await dry_runs.dry_run(campaign_id, admin)))


@router.get("/{campaign_id}/weights.svg")
async def weight_histogram_picture(campaign_id: CampaignId, dry_runs: DryRuns) -> Response:
    """The eligible entries' weight histogram as a picture."""
    return Response(await dry_runs.histogram_picture(campaign_id), media_type="image/svg+xml")


def _out(reviewed: ReviewedDraw) -> DrawOut:
    return DrawOut.model_validate(reviewed.draw).model_copy(
        update={"review": [FindingOut(field=f.field, message=f.message) for f in reviewed.review]})

"""Banners (seed §1 "공지 배너", §5.3, §13): the public, cached list of every banner in force, and the stored
ones an operator sets, ends and lists."""

import hashlib
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from platform_shared.contracts.admin.incidents import (
    BannerEndIn,
    BannerIn,
    BannersInForceOut,
    StoredBannerOut,
    StoredBannerPageOut,
)
from platform_shared.contracts.admin.models import BIGINT_MAX
from platform_shared.web.access import AdminId
from platform_shared.web.use_cases import use_case
from policy_service.application.banner_board import BannerBoard
from policy_service.application.stored_banners import StoredBanners

Board = Annotated[BannerBoard, use_case(BannerBoard)]
Stored = Annotated[StoredBanners, use_case(StoredBanners)]
CACHE = "public, max-age=15"
"""Entrant pages poll it: a CDN or the browser answers most of them; a new banner shows within 15 s."""

router = APIRouter(prefix="/banners", tags=["banners"])


@router.get("", response_model=BannersInForceOut)
async def banners_in_force(request: Request, board: Board,
                           campaign_id: str | None = Query(default=None, max_length=100)) -> Response:
    """Public: every banner in force now (incident, general, AdGate bypass/exception, …), each with its start,
    end, who set it and why; with `campaign_id`, that campaign's and the ones for every campaign. Cached 15 s;
    an unchanged list answers 304 to `If-None-Match`."""
    body = BannersInForceOut(banners=await board.in_force(campaign_id)).model_dump_json().encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"Cache-Control": CACHE, "ETag": etag}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/all")
async def every_banner(stored: Stored, offset: int = Query(default=0, ge=0, le=BIGINT_MAX),
                       limit: int = Query(default=50, ge=1, le=200)) -> StoredBannerPageOut:
    """Every stored banner, scheduled and ended included, newest first."""
    return await stored.all(offset, limit)


@router.post("", status_code=201)
async def set_banner(body: BannerIn, admin: AdminId, stored: Stored) -> StoredBannerOut:
    """A banner from `starts_at` (default now) to `ends_at` (or until ended), on one campaign or all; with
    `incident_id`, the incident's (ended when it is resolved)."""
    return await stored.set(admin, body)


@router.post("/{banner_id}/end")
async def end_banner(banner_id: Annotated[int, Path(ge=1, le=BIGINT_MAX)], body: BannerEndIn, admin: AdminId,
                     stored: Stored) -> StoredBannerOut:
    return await stored.end(admin, banner_id, body)

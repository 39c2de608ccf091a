"""Notices to a segment of users (seed §1, §14) over HTTP: prepare (who it reaches, per channel), confirm (queued
through the notifier), and the notices sent."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from lottery_service.entrypoints.http.dependencies import Notices
from platform_shared.contracts.admin.models import TokenIn
from platform_shared.contracts.admin.notices import NoticeIn, NoticeOut, NoticePreparedOut, NoticeSentOut
from platform_shared.web.access import AdminId

router = APIRouter(prefix="/notices", tags=["notices"])


@router.post("/prepare")
async def prepare_notice(body: NoticeIn, admin: AdminId, notices: Notices) -> NoticePreparedOut:
    """Step one: the template's parameters checked, how many people the segment reaches per channel, a few of
    them, and the token. A missing parameter, an empty segment or a window ending before it starts is refused by
    field; nothing is queued."""
    return NoticePreparedOut.model_validate(await notices.prepare(body, admin))


@router.post("/confirm", status_code=status.HTTP_201_CREATED)
async def confirm_notice(body: TokenIn, admin: AdminId, notices: Notices) -> NoticeSentOut:
    """Step two: one notification per person per channel, queued at the notifier (its quiet hours apply); the
    same notice asked again reaches nobody twice. The same token twice answers the first outcome."""
    return NoticeSentOut.model_validate(await notices.confirm(body.token, admin))


@router.get("")
async def list_notices(notices: Notices, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[NoticeOut]:
    """The notices sent, newest first: who, when, what, to whom."""
    return [NoticeOut.model_validate(notice) for notice in await notices.notices(limit)]

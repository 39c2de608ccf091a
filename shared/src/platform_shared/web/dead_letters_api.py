"""Ops' view of a service's dead letters (seed §6.3): list and inspect them by source topic,
consumer group, reason, cause and time; tag a cause after sampling; redrive one, a selection or a time range
back to the source topic at a chosen rate, follow its progress, cancel it (application/redrive.py)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.redrive import Redrives
from platform_shared.contracts.admin.models import BIGINT_MAX, ReasonIn
from platform_shared.contracts.admin.platform import (
    DeadLetterOut,
    FailedAgainOut,
    RedriveIn,
    RedriveOut,
    Selection,
    TaggedOut,
    TagIn,
)
from platform_shared.messaging.dead_letter_store import DeadLetterStore, LetterFilter
from platform_shared.messaging.redrive_rules import refuse_bad_range
from platform_shared.messaging.tables import DeadLetterRecord, Redrive
from platform_shared.web.access import AdminId


def letter_filter(selection: Selection) -> LetterFilter:
    refuse_bad_range(selection.since, selection.until)
    return LetterFilter(selection.topic, selection.group, selection.exception_type, selection.cause,
                        selection.since, selection.until)


SHOWN_FAILURES = 100
"""Failed-again letters a redrive's answer lists (all are counted): the rest are one filter away."""


def _out(redrive: Redrive, came_back: list[tuple[UUID, int, DeadLetterRecord]]) -> RedriveOut:
    """Its figures as the dead-letters table tells them now (redrive_rules.py): `redriven` counts only the letters
    not dead-lettered again, whatever the broker acknowledged."""
    failed = [FailedAgainOut(letter_id=letter_id, new_letter_id=letter.id, dead_letter_count=letter.dead_letter_count,
                             exception_type=letter.exception_type, exception_message=letter.exception_message,
                             failed_at=letter.failed_at)
              for redrive_id, letter_id, letter in came_back if redrive_id == redrive.id]
    return RedriveOut.model_validate({**{k: getattr(redrive, k) for k in (
        "id", "status", "rate_per_second", "skipped", "reason", "created_by", "created_at", "finished_at")},
        "total": len(redrive.letter_ids), "done": redrive.position, "sent": redrive.redriven,
        "failed_again": len(failed), "redriven": redrive.redriven - len(failed),
        "failed_again_letters": failed[:SHOWN_FAILURES]})


async def _shown(sessions: async_sessionmaker[AsyncSession], redrives: list[Redrive]) -> list[RedriveOut]:
    async with sessions() as session:
        came_back = await DeadLetterStore(session).came_back([redrive.id for redrive in redrives])
    return [_out(redrive, came_back) for redrive in redrives]


def dead_letters_router(sessions: async_sessionmaker[AsyncSession], redrives: Redrives) -> APIRouter:
    router = APIRouter(prefix="/dead-letters", tags=["dead letters"])

    @router.get("")
    async def list_dead_letters(
            topic: Annotated[str | None, Query(max_length=200)] = None,
            group: Annotated[str | None, Query(max_length=200)] = None,
            exception_type: Annotated[str | None, Query(max_length=200)] = None,
            cause: Annotated[str | None, Query(max_length=200)] = None,
            since: AwareDatetime | None = None, until: AwareDatetime | None = None, redriven: bool | None = None,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[DeadLetterOut]:
        """Newest first; `cause` is ops' tag."""
        refuse_bad_range(since, until)
        async with sessions() as session:
            letters = await DeadLetterStore(session).letters(
                LetterFilter(topic, group, exception_type, cause, since, until, redriven), limit)
        return [DeadLetterOut.model_validate(letter) for letter in letters]

    @router.get("/redrives")
    async def list_redrives(limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[RedriveOut]:
        async with sessions() as session:
            chosen = await DeadLetterStore(session).redrives(limit)
        return await _shown(sessions, chosen)

    @router.get("/redrives/{redrive_id}")
    async def redrive_progress(redrive_id: UUID) -> RedriveOut:
        """Progress, and each sent letter's outcome so far: a letter that failed again is named with its new
        letter, and not counted as redriven."""
        async with sessions() as session:
            redrive = await DeadLetterStore(session).redrive(redrive_id)
        [shown] = await _shown(sessions, [redrive])
        return shown

    @router.post("/redrives", status_code=202)
    async def start_redrive(body: RedriveIn, admin: AdminId) -> RedriveOut:
        """Send the chosen letters back to their topics, oldest first, at `rate_per_second`. Letters already
        sent back, or dead-lettered more often than the maximum, are skipped (no loops)."""
        started = await redrives.start(body.ids, letter_filter(body), body.rate_per_second, body.reason, admin)
        return _out(started, [])

    @router.post("/redrives/{redrive_id}/cancel")
    async def cancel_redrive(redrive_id: UUID, body: ReasonIn, admin: AdminId) -> RedriveOut:
        [shown] = await _shown(sessions, [await redrives.cancel(redrive_id, body.reason, admin)])
        return shown

    @router.post("/tags")
    async def tag_dead_letters(body: TagIn, admin: AdminId) -> TaggedOut:
        """Tag the chosen letters with a cause after sampling them (seed §6.3)."""
        return TaggedOut(tagged=await redrives.tag(body.ids, letter_filter(body), body.tag, admin))

    @router.get("/{letter_id}")
    async def inspect_dead_letter(letter_id: Annotated[int, Path(ge=1, le=BIGINT_MAX)]) -> DeadLetterOut:
        async with sessions() as session:
            return DeadLetterOut.model_validate(await DeadLetterStore(session).letter(letter_id))

    return router

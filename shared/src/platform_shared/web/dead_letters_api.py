"""Ops' view of a service's dead letters (issue 14, seed §6.3): list and inspect them by source topic,
consumer group, reason, cause and time; tag a cause after sampling; redrive one, a selection or a time range
back to the source topic at a chosen rate, follow its progress, cancel it (messaging/redrive.py)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.messaging.dead_letter_store import DeadLetterStore, LetterFilter
from platform_shared.messaging.redrive import Redrives
from platform_shared.messaging.redrive_rules import refuse_bad_range
from platform_shared.web.access import AdminId
from platform_shared.web.models import BIGINT_MAX, Reason, ReasonIn, RowId, StrictModel

Name = Annotated[str, Field(min_length=1, max_length=200)]


class DeadLetterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    consumer_group: str
    original_topic: str
    original_partition: int
    original_offset: int
    original_key: str | None
    exception_type: str
    exception_message: str
    attempts: int
    dead_letter_count: int
    """1, plus one for each redrive after which it failed again."""
    cause: str | None
    payload: str
    failed_at: datetime
    replayed_at: datetime | None
    """When a redrive sent it back (acknowledged by the broker)."""
    redrive_id: UUID | None
    payload_truncated: bool
    """Too big to keep whole: `payload` is the record's beginning (read the rest at its partition and offset)."""
    payload_bytes: int | None
    payload_sha256: str | None


class Selection(StrictModel):
    """Dead letters by id, or by filter (all filters optional; with none, every dead letter)."""

    ids: list[RowId] | None = Field(default=None, min_length=1, max_length=10_000)
    topic: Name | None = None
    group: Name | None = None
    exception_type: Name | None = None
    cause: Name | None = None
    """Ops' tag."""
    since: AwareDatetime | None = None
    until: AwareDatetime | None = None

    def letter_filter(self) -> LetterFilter:
        refuse_bad_range(self.since, self.until)
        return LetterFilter(self.topic, self.group, self.exception_type, self.cause, self.since, self.until)


class RedriveIn(Selection):
    rate_per_second: float = Field(default=10.0, gt=0, le=1000)
    reason: Reason


class TagIn(Selection):
    tag: Annotated[str, Field(min_length=2, max_length=100, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    """The cause, e.g. `template-missing` (lower case, digits, `.`, `_`, `-`)."""


class RedriveOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    status: str
    rate_per_second: float
    total: int
    """Letters chosen to send (those already sent back or past the maximum are counted in `skipped`)."""
    done: int
    """Letters handled so far, in order."""
    redriven: int
    skipped: int
    reason: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class TaggedOut(BaseModel):
    tagged: int
    """Letters the tag was set on."""


def _out(redrive: Any) -> RedriveOut:
    return RedriveOut.model_validate({**{k: getattr(redrive, k) for k in (
        "id", "status", "rate_per_second", "redriven", "skipped", "reason", "created_by", "created_at",
        "finished_at")}, "total": len(redrive.letter_ids), "done": redrive.position})


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
            return [_out(r) for r in await DeadLetterStore(session).redrives(limit)]

    @router.get("/redrives/{redrive_id}")
    async def redrive_progress(redrive_id: UUID) -> RedriveOut:
        async with sessions() as session:
            return _out(await DeadLetterStore(session).redrive(redrive_id))

    @router.post("/redrives", status_code=202)
    async def start_redrive(body: RedriveIn, admin: AdminId) -> RedriveOut:
        """Send the chosen letters back to their topics, oldest first, at `rate_per_second`. Letters already
        sent back, or dead-lettered more often than the maximum, are skipped (no loops)."""
        return _out(await redrives.start(body.ids, body.letter_filter(), body.rate_per_second, body.reason, admin))

    @router.post("/redrives/{redrive_id}/cancel")
    async def cancel_redrive(redrive_id: UUID, body: ReasonIn, admin: AdminId) -> RedriveOut:
        return _out(await redrives.cancel(redrive_id, body.reason, admin))

    @router.post("/tags")
    async def tag_dead_letters(body: TagIn, admin: AdminId) -> TaggedOut:
        """Tag the chosen letters with a cause after sampling them (seed §6.3)."""
        return TaggedOut(tagged=await redrives.tag(body.ids, body.letter_filter(), body.tag, admin))

    @router.get("/{letter_id}")
    async def inspect_dead_letter(letter_id: Annotated[int, Path(ge=1, le=BIGINT_MAX)]) -> DeadLetterOut:
        async with sessions() as session:
            return DeadLetterOut.model_validate(await DeadLetterStore(session).letter(letter_id))

    return router

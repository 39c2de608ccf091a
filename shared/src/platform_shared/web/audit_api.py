"""Read side of the audit log for ops: search it a page at a time (audit/search.py), and verify the hash chain."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.audit.anchors import Anchors
from platform_shared.audit.chain import chain_name, verify_chain
from platform_shared.audit.search import AuditSearch, search_audit
from platform_shared.contracts.admin.models import BIGINT_MAX
from platform_shared.contracts.admin.platform import AUDIT_PAGE, AUDIT_PAGE_MAX, AuditRecordOut, ChainOut


def audit_router(sessions: async_sessionmaker[AsyncSession], anchors: Anchors) -> APIRouter:
    router = APIRouter(prefix="/audit", tags=["audit"])

    @router.get("")
    async def search_audit_records(
            actor: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
            action: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
            target: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
            since: AwareDatetime | None = None, until: AwareDatetime | None = None,
            before: Annotated[int | None, Query(ge=1, le=BIGINT_MAX, description=(
                "Records numbered below this: the `seq` of the last record of the page before"))] = None,
            limit: Annotated[int, Query(ge=1, le=AUDIT_PAGE_MAX)] = AUDIT_PAGE) -> list[AuditRecordOut]:
        """Newest first (by `seq`), narrowed by every filter given (`since` ≤ at < `until`). A page holds at most
        `limit` records; for the next one send `before` = the last record's `seq`: an empty page is the end."""
        search = AuditSearch(actor, action, target, since, until, before)
        async with sessions() as session:
            rows = await search_audit(session, search, limit)
        return [AuditRecordOut(id=r.id, seq=r.seq, at=r.at, actor=r.actor, action=r.action, target=r.target,
                               details=r.details(), hash=r.hash) for r in rows]

    @router.get("/verify")
    async def verify_audit_chain() -> ChainOut:
        """Recompute every hash and check every column and the anchor: intact, or the first bad record."""
        async with sessions() as session:
            result = await verify_chain(session, anchors.of(await chain_name(session)))
        return ChainOut(intact=result.intact, records=result.records, first_broken_id=result.first_broken_id,
                        problem=result.problem, anchored_id=result.anchored_id)

    return router

"""Read side of the audit log for ops: list records of a target, and verify the hash chain."""


from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.audit.anchors import Anchors
from platform_shared.audit.chain import AuditRecord, chain_name, verify_chain
from platform_shared.contracts.admin.platform import AuditRecordOut, ChainOut


def audit_router(sessions: async_sessionmaker[AsyncSession], anchors: Anchors) -> APIRouter:
    router = APIRouter(prefix="/audit", tags=["audit"])

    @router.get("")
    async def list_audit_records(target: str | None = None, action: str | None = None,
                                 limit: int = Query(default=100, ge=1, le=1000)) -> list[AuditRecordOut]:
        """Newest first, optionally of one target or action."""
        query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
        if target:
            query = query.where(AuditRecord.target == target)
        if action:
            query = query.where(AuditRecord.action == action)
        async with sessions() as session:
            rows = (await session.scalars(query)).all()
        return [AuditRecordOut(id=r.id, at=r.at, actor=r.actor, action=r.action, target=r.target,
                               details=r.details(), hash=r.hash) for r in rows]

    @router.get("/verify")
    async def verify_audit_chain() -> ChainOut:
        """Recompute every hash and check every column and the anchor: intact, or the first bad record."""
        async with sessions() as session:
            result = await verify_chain(session, anchors.of(await chain_name(session)))
        return ChainOut(intact=result.intact, records=result.records, first_broken_id=result.first_broken_id,
                        problem=result.problem, anchored_id=result.anchored_id)

    return router

"""Searching the audit log (runbook §0: every action leaves a trace that ops can find): by actor, action, target
and time, newest first, a page at a time. A page is keyed by the chain's record number (`before`: the last `seq`
the previous page showed), never by an offset, so the millionth record costs what the first does: each filter
has an index ending in `seq` (platform_0006), and the database walks it backwards from `before`."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.audit.chain import AuditRecord
from platform_shared.messaging.redrive_rules import refuse_bad_range


@dataclass(frozen=True)
class AuditSearch:
    """Which records: every filter optional, all of them together narrow (since ≤ at < until)."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before: int | None = None
    """Only records numbered below this: the next page after one whose last record had this `seq`."""

    def __post_init__(self) -> None:
        refuse_bad_range(self.since, self.until)

    def query(self, limit: int) -> Select[AuditRecord]:
        conditions = [
            AuditRecord.actor == self.actor if self.actor is not None else None,
            AuditRecord.action == self.action if self.action is not None else None,
            AuditRecord.target == self.target if self.target is not None else None,
            AuditRecord.at >= self.since if self.since is not None else None,
            AuditRecord.at < self.until if self.until is not None else None,
            AuditRecord.seq < self.before if self.before is not None else None,
        ]
        return (select(AuditRecord).where(*(condition for condition in conditions if condition is not None))
                .order_by(AuditRecord.seq.desc()).limit(limit))


async def search_audit(session: AsyncSession, search: AuditSearch, limit: int) -> list[AuditRecord]:
    """At most `limit` records, newest first."""
    return list((await session.scalars(search.query(limit))).all())

"""Append-only, hash-chained audit log (SPEC §7): who did what to which target, why, before/after.

Each record's `record` column holds the exact canonical JSON that was hashed, and
`hash = SHA256(prev_hash + record)`. Editing, deleting or reordering any row breaks every later hash,
and a database trigger refuses UPDATE, DELETE and TRUNCATE outright. `verify_chain` walks the chain.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, String, Text, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from platform_shared.db.engine import MessagingBase

GENESIS = "0" * 64


class AuditRecord(MessagingBase):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(200))
    record: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_target", "target"),)

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = json.loads(self.record)
        return details


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, record: str) -> str:
    return hashlib.sha256((prev_hash + record).encode()).hexdigest()


async def record_action(
    session: AsyncSession, *, at: datetime, actor: str, action: str, target: str, reason: str = "",
    before: object = None, after: object = None, params: object = None,
) -> AuditRecord:
    """Append one record in the caller's transaction: it exists only if the action commits."""
    # One writer at a time per database, so the chain has no forks.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('audit_log'))"))
    prev_hash = await session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)) or GENESIS
    record = canonical_json({"at": at.isoformat(), "actor": actor, "action": action, "target": target,
                             "reason": reason, "before": before, "after": after, "params": params})
    entry = AuditRecord(at=at, actor=actor, action=action, target=target, record=record, prev_hash=prev_hash,
                        hash=chain_hash(prev_hash, record))
    session.add(entry)
    await session.flush()
    return entry


@dataclass(frozen=True)
class ChainVerification:
    intact: bool
    records: int
    first_broken_id: int | None = None


async def verify_chain(session: AsyncSession) -> ChainVerification:
    prev_hash, checked = GENESIS, 0
    rows = await session.stream_scalars(select(AuditRecord).order_by(AuditRecord.id))
    async for row in rows:
        if row.prev_hash != prev_hash or row.hash != chain_hash(prev_hash, row.record):
            return ChainVerification(False, checked, row.id)
        prev_hash, checked = row.hash, checked + 1
    return ChainVerification(True, checked)

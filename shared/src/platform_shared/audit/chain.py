"""Append-only, hash-chained audit log (SPEC §7): who did what to which target, why, before/after.

Each record's `record` column holds the exact canonical JSON that was hashed, and
`hash = SHA256(prev_hash + record)`. Editing, deleting or reordering any row breaks every later hash,
and a database trigger refuses UPDATE, DELETE and TRUNCATE outright. Deleting the *newest* rows leaves
an intact shorter chain, so every record's hash also leaves the database as it is written: an
`audit_anchored` event through the outbox, on a compacted topic (`anchors.py`). `verify_chain` walks the
chain, checks every column against the hashed record, and checks the chain still reaches its anchor.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, String, Text, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from platform_shared.audit.context import current_request
from platform_shared.contracts import topics
from platform_shared.contracts.events import AuditAnchored
from platform_shared.db.engine import MessagingBase
from platform_shared.messaging import outbox

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
    request = current_request()
    record = canonical_json({"at": at.isoformat(), "actor": actor, "action": action, "target": target,
                             "reason": reason, "before": before, "after": after, "params": params,
                             "role": request.role if request else None,
                             "request_id": request.request_id if request else None})
    entry = AuditRecord(at=at, actor=actor, action=action, target=target, record=record, prev_hash=prev_hash,
                        hash=chain_hash(prev_hash, record))
    session.add(entry)
    await session.flush()
    await outbox.enqueue(session, topics.AUDIT_ANCHORS, [AuditAnchored(
        occurred_at=at, chain=await chain_name(session), record_id=entry.id, hash=entry.hash)])
    return entry


async def chain_name(session: AsyncSession) -> str:
    """One chain per database: its name keys the chain's anchor."""
    return str(await session.scalar(text("SELECT current_database()")))


@dataclass(frozen=True)
class ChainVerification:
    intact: bool
    records: int
    first_broken_id: int | None = None
    problem: str | None = None
    anchored_id: int | None = None


async def verify_chain(session: AsyncSession, anchor: AuditAnchored | None = None) -> ChainVerification:
    """Every record: linked to the one before, hashed right, its columns as hashed. Then the anchor: the
    chain must still hold the newest record that ever left the database, with the same hash."""
    prev_hash, checked, last_id = GENESIS, 0, 0
    anchored = anchor.record_id if anchor else None
    rows = await session.stream_scalars(select(AuditRecord).order_by(AuditRecord.id))
    async for row in rows:
        problem = _problem(row, prev_hash)
        if problem is None and anchor is not None and row.id == anchor.record_id and row.hash != anchor.hash:
            problem = "its hash differs from the anchored one (the chain was rewritten)"
        if problem is not None:
            return ChainVerification(False, checked, row.id, f"record {row.id}: {problem}", anchored)
        prev_hash, checked, last_id = row.hash, checked + 1, row.id
    if anchor is not None and last_id < anchor.record_id:
        return ChainVerification(False, checked, last_id + 1, f"records after {last_id} were deleted: record "
                                 f"{anchor.record_id} was anchored", anchored)
    return ChainVerification(True, checked, anchored_id=anchored)


def _problem(row: AuditRecord, prev_hash: str) -> str | None:
    if row.prev_hash != prev_hash:
        return "not linked to the record before it"
    if row.hash != chain_hash(prev_hash, row.record):
        return "its hash does not match its content"
    hashed = row.details()
    columns = {"at": row.at.isoformat(), "actor": row.actor, "action": row.action, "target": row.target}
    changed = sorted(name for name, value in columns.items()
                     if hashed.get(name) != value and not _same_time(name, hashed.get(name), row.at))
    return f"column {', '.join(changed)} differs from the hashed record" if changed else None


def _same_time(name: str, hashed: object, stored: datetime) -> bool:
    return name == "at" and isinstance(hashed, str) and datetime.fromisoformat(hashed) == stored

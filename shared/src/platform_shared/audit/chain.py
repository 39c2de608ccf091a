"""Append-only, hash-chained, sealed audit log (SPEC §7, runbook §0): who did what to which target, why,
before/after.

Each record's `record` column holds the exact canonical JSON that was hashed, and
`hash = SHA256(prev_hash + record)`. Editing, deleting or reordering any row breaks every later hash,
and a database trigger refuses UPDATE, DELETE and TRUNCATE outright. Two things a database role could still
do are closed too:
- **Forge**: a role that may INSERT could append a correctly chained record. So each record is also sealed,
  `mac = HMAC-SHA256(audit key, hash)`, with a key only the service process holds (`<SERVICE>_AUDIT_KEY`, put
  on the service's sessions: `db/engine.py`), and no database role. Records older than sealing keep no seal;
  `audit_sealed_from` (owner-only) says where sealing starts.
- **Trim**: deleting the *newest* rows leaves an intact shorter chain, and a later record would link to the
  new tail. So records are numbered without gaps (`seq`, taken under the chain's lock, part of the hashed
  record), and every record's number and hash leave the database as it is written: an `audit_anchored` event
  through the outbox, keyed by chain and number, so compaction keeps every anchor (`anchors.py`).
`verify_chain` walks the chain in order and checks links, hashes, columns, numbering and seals, and that
every anchored record is still there with its hash.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, String, Text, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from platform_shared.audit.anchors import ChainAnchors
from platform_shared.audit.context import current_request
from platform_shared.contracts import topics
from platform_shared.contracts.events import AuditAnchored
from platform_shared.db.engine import AUDIT_KEY, MessagingBase
from platform_shared.messaging import outbox

GENESIS = "0" * 64


class AuditRecord(MessagingBase):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    """1, 2, 3… without gaps: a missing number is a deleted record (`id` skips what rolled back)."""
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(200))
    record: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))
    """HMAC-SHA256 of `hash` under the service's audit key; None only before sealing began."""

    # The search's indexes (platform_0006): each filter with the number a page is keyed by (web/audit_api.py).
    __table_args__ = (Index("ix_audit_log_seq", "seq", unique=True), Index("ix_audit_log_at", "at"),
                      *(Index(f"ix_audit_log_{column}_seq", column, "seq") for column in ("actor", "action", "target")))

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = json.loads(self.record)
        return details


class AuditSealedFrom(MessagingBase):
    """The first record number that must carry a seal (the records before it were written unsealed)."""

    __tablename__ = "audit_sealed_from"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, record: str) -> str:
    return hashlib.sha256((prev_hash + record).encode()).hexdigest()


def seal(key: bytes, record_hash: str) -> str:
    return hmac.new(key, record_hash.encode(), hashlib.sha256).hexdigest()


def _audit_key(session: AsyncSession) -> bytes | None:
    key: bytes | None = session.info.get(AUDIT_KEY)
    return key


async def record_action(
    session: AsyncSession, *, at: datetime, actor: str, action: str, target: str, reason: str = "",
    before: object = None, after: object = None, params: object = None,
) -> AuditRecord:
    """Append one record in the caller's transaction: it exists only if the action commits."""
    # One writer at a time per database, so the chain has no forks.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('audit_log'))"))
    last = (await session.execute(select(AuditRecord.hash, AuditRecord.seq).order_by(AuditRecord.seq.desc())
                                  .limit(1))).first()
    prev_hash, seq = (last.hash, last.seq + 1) if last else (GENESIS, 1)
    request = current_request()
    record = canonical_json({"seq": seq, "at": at.isoformat(), "actor": actor, "action": action, "target": target,
                             "reason": reason, "before": before, "after": after, "params": params,
                             "role": request.role if request else None,
                             "request_id": request.request_id if request else None})
    record_hash = chain_hash(prev_hash, record)
    key = _audit_key(session)
    entry = AuditRecord(seq=seq, at=at, actor=actor, action=action, target=target, record=record,
                        prev_hash=prev_hash, hash=record_hash, mac=seal(key, record_hash) if key else None)
    session.add(entry)
    await session.flush()
    await outbox.enqueue(session, topics.AUDIT_ANCHORS, [AuditAnchored(
        occurred_at=at, chain=await chain_name(session), record_id=entry.id, seq=seq, hash=entry.hash)])
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


async def verify_chain(session: AsyncSession, anchors: ChainAnchors | None = None) -> ChainVerification:
    """Every record in number order: numbered after the one before, linked to it, hashed right, its columns
    as hashed, sealed with the session's audit key (from `audit_sealed_from` on). Then the anchors: every
    record that ever left the database must still be in the chain, with the same hash."""
    anchors = anchors or ChainAnchors()
    key, sealed_from = _audit_key(session), await session.scalar(select(AuditSealedFrom.seq))
    prev_hash, checked, last = GENESIS, 0, None
    rows = await session.stream_scalars(select(AuditRecord).order_by(AuditRecord.seq))
    async for row in rows:
        problem = (_problem(row, prev_hash, last.seq if last else 0) or _seal_problem(row, key, sealed_from)
                   or anchors.mismatch(row.seq, row.id, row.hash))
        if problem is not None:
            return ChainVerification(False, checked, row.id, f"record {row.id}: {problem}", anchors.newest_id)
        prev_hash, checked, last = row.hash, checked + 1, row
    missing = anchors.beyond(last.seq if last else 0, last.id if last else 0)
    if missing is not None:
        after = last.id if last else 0
        return ChainVerification(False, checked, after + 1, f"records after {after} were deleted: {missing}",
                                 anchors.newest_id)
    return ChainVerification(True, checked, anchored_id=anchors.newest_id)


def _problem(row: AuditRecord, prev_hash: str, prev_seq: int) -> str | None:
    if row.seq != prev_seq + 1:
        return f"numbered {row.seq} after {prev_seq}: the records between were deleted"
    if row.prev_hash != prev_hash:
        return "not linked to the record before it"
    if row.hash != chain_hash(prev_hash, row.record):
        return "its hash does not match its content"
    hashed = row.details()
    columns = {"seq": row.seq, "at": row.at.isoformat(), "actor": row.actor, "action": row.action,
               "target": row.target}
    changed = sorted(name for name, value in columns.items() if (name in hashed or name != "seq")
                     and hashed.get(name) != value and not _same_time(name, hashed.get(name), row.at))
    return f"column {', '.join(changed)} differs from the hashed record" if changed else None


def _seal_problem(row: AuditRecord, key: bytes | None, sealed_from: int | None) -> str | None:
    """Records from before sealing began ("seq" absent from their hashed record) carry none."""
    if sealed_from is None or row.seq < sealed_from:
        return None
    if key is None:
        return "it is sealed, and no audit key was given to check it (set <SERVICE>_AUDIT_KEY)"
    if row.mac is None or not hmac.compare_digest(row.mac, seal(key, row.hash)):
        return "its seal does not match: written without the service's audit key (a forged record)"
    return None


def _same_time(name: str, hashed: object, stored: datetime) -> bool:
    return name == "at" and isinstance(hashed, str) and datetime.fromisoformat(hashed) == stored

"""The lottery's storage for the public commitment log (docs/draw-algorithm.md §8.5): appends under one lock,
so the chain has no fork and no gap, and reads as published. SQL only, in the caller's transaction."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.commitment_log_models import CommitmentLogEntry
from lottery_service.domain.commitments import Kind, Link, canonical, log_entry
from lottery_service.domain.kst import kst_iso

_APPEND_LOCK = "commitment_log"


class CommitmentLogStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, campaign_id: str, at: datetime, kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
        """The next entry, chained to the head and to the campaign's last entry. One appender at a time across
        the replicas (a transaction-scoped advisory lock): two appends naming the same head would fork it."""
        await self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": _APPEND_LOCK})
        head = await self._last(select(CommitmentLogEntry.seq, CommitmentLogEntry.hash)
                                .order_by(CommitmentLogEntry.seq.desc()))
        campaign_last = await self._last(select(CommitmentLogEntry.number, CommitmentLogEntry.hash)
                                         .where(CommitmentLogEntry.campaign_id == campaign_id)
                                         .order_by(CommitmentLogEntry.number.desc()))
        entry = log_entry(head=head, campaign_last=campaign_last, campaign_id=campaign_id, at_kst=kst_iso(at),
                          kind=kind, record=record)
        self._session.add(CommitmentLogEntry(seq=entry["seq"], campaign_id=campaign_id, number=entry["number"],
                                             kind=str(kind), at=at, hash=entry["hash"],
                                             entry=canonical(entry).decode()))
        await self._session.flush()
        return entry

    async def _last(self, query: Any) -> Link | None:
        row = (await self._session.execute(query.limit(1))).one_or_none()
        return None if row is None else Link(int(row[0]), str(row[1]))

    async def head(self) -> Link | None:
        return await self._last(select(CommitmentLogEntry.seq, CommitmentLogEntry.hash)
                                .order_by(CommitmentLogEntry.seq.desc()))

    async def page(self, after_seq: int, limit: int) -> list[dict[str, Any]]:
        """Entries after `after_seq`, oldest first, as published."""
        return await self._entries(select(CommitmentLogEntry.entry).where(CommitmentLogEntry.seq > after_seq)
                                   .order_by(CommitmentLogEntry.seq).limit(limit))

    async def of_campaign(self, campaign_id: str) -> list[dict[str, Any]]:
        """The campaign's history: its entries in number order."""
        return await self._entries(select(CommitmentLogEntry.entry).where(CommitmentLogEntry.campaign_id == campaign_id)
                                   .order_by(CommitmentLogEntry.number))

    async def since_campaign_start(self, campaign_id: str) -> list[dict[str, Any]]:
        """Every entry from the campaign's first to the head, all campaigns': the stretch of chain a bundle
        carries so that its campaign's entries are checked against the head offline."""
        first = select(func.min(CommitmentLogEntry.seq)).where(CommitmentLogEntry.campaign_id == campaign_id)
        return await self._entries(select(CommitmentLogEntry.entry)
                                   .where(CommitmentLogEntry.seq >= first.scalar_subquery())
                                   .order_by(CommitmentLogEntry.seq))

    async def _entries(self, query: Any) -> list[dict[str, Any]]:
        return [json.loads(row) for row in (await self._session.scalars(query)).all()]

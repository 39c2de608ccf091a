"""The public side of the draw's commitments (docs/draw-algorithm.md §8.3, §8.5), for anyone without a login:
a draw's commitment in force from its close on — before any key can be known — with its beacon round and its
history, and the commitment log itself, a page at a time."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.commitment_log_store import CommitmentLogStore
from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.commitments import round_due
from lottery_service.domain.kst import kst_iso
from platform_shared.contracts.admin.lottery import CommitmentOut, LogHeadOut
from platform_shared.time.clock import Clock


class PublicCommitments:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def of_draw(self, campaign_id: str) -> CommitmentOut:
        async with self._sessions() as session:
            draw = await DrawStore(session).get(campaign_id)
            history = await CommitmentLogStore(session).of_campaign(campaign_id)
        due = None if draw.committed is None else round_due(draw.committed)
        return CommitmentOut(
            campaign_id=campaign_id, status=draw.status, algorithm=draw.algorithm, commitment=draw.commitment,
            committed=draw.committed, frozen_set_hash=draw.frozen_set_hash, beacon_round=draw.beacon_round,
            beacon_due_at_kst=None if due is None else kst_iso(due),
            beacon_round_published=None if due is None else due <= self._clock.now(),
            beacon_waiting_since=draw.beacon_waiting_since, beacon_problem=draw.beacon_problem, history=history)

    async def page(self, after_seq: int, limit: int) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            return await CommitmentLogStore(session).page(after_seq, limit)

    async def head(self) -> LogHeadOut:
        async with self._sessions() as session:
            head = await CommitmentLogStore(session).head()
        return LogHeadOut(seq=0 if head is None else head.position, hash=None if head is None else head.hash)

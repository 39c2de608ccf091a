"""Lottery use cases: each opens one transaction, calls the domain, and commits with its events."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.domain import draw_engine
from lottery_service.domain.draw_engine import Entrants
from lottery_service.models import Draw, DrawResult, DrawRun, DrawStatus, Entry
from platform_shared import outbox, topics
from platform_shared.contracts import RESULTS_PER_PART, DrawCompleted, RankedEntrant
from platform_shared.errors import ConflictError, InvalidStateError, NotFoundError
from platform_shared.policy_cache import current_policy


class DrawService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], server_secret: str,
                 results_per_part: int = RESULTS_PER_PART) -> None:
        self._sessions = sessions
        self._server_secret = server_secret
        self._results_per_part = results_per_part

    async def create_draw(self, campaign_id: str, seats: int, waitlist_size: int, draw_at: datetime) -> Draw:
        async with self._sessions.begin() as session:
            if await session.get(Draw, campaign_id) is not None:
                raise ConflictError(f"draw {campaign_id!r} already exists", field="campaign_id")
            draw = Draw(campaign_id=campaign_id, seats=seats, waitlist_size=waitlist_size,
                        draw_at=draw_at, status=DrawStatus.OPEN)
            session.add(draw)
        return draw

    async def add_entries(self, campaign_id: str, entries: list[tuple[int, float]]) -> int:
        """All or nothing: one duplicate user refuses the whole batch."""
        user_ids = [user_id for user_id, _ in entries]
        if len(set(user_ids)) != len(user_ids):
            raise ConflictError("the batch names a user twice", field="entries")
        async with self._sessions.begin() as session:
            draw = await self._draw_for_update(session, campaign_id)
            if draw.status != DrawStatus.OPEN:
                raise InvalidStateError(f"draw {campaign_id!r} is {draw.status}, not open")
            policy_version, policy = await current_policy(session)
            inserted = (await session.scalars(
                insert(Entry)
                .values([{"campaign_id": campaign_id, "kakao_user_id": user_id,
                          "weight": min(weight, policy.weight_cap), "policy_version": policy_version}
                         for user_id, weight in entries])
                .on_conflict_do_nothing(constraint="uq_entries_campaign_user")
                .returning(Entry.kakao_user_id)
            )).all()
            if len(inserted) != len(entries):
                duplicates = sorted(set(user_ids) - set(inserted))
                # Raising rolls the transaction back: nothing of this batch is written.
                raise ConflictError(f"already entered: kakao_user_id {duplicates[:10]}", field="entries")
        return len(inserted)

    async def close_entries(self, campaign_id: str) -> Draw:
        """Stop entries and fix the commitment SHA256(seed) that the revealed seed must match."""
        async with self._sessions.begin() as session:
            draw = await self._draw_for_update(session, campaign_id)
            if draw.status != DrawStatus.OPEN:
                raise InvalidStateError(f"draw {campaign_id!r} is {draw.status}, not open")
            draw.status = DrawStatus.CLOSED
            draw.commitment = draw_engine.commitment(self._seed(draw))
        return draw

    async def execute_draw(self, campaign_id: str) -> DrawRun:
        async with self._sessions.begin() as session:
            draw = await self._draw_for_update(session, campaign_id)
            if draw.status not in (DrawStatus.CLOSED, DrawStatus.DRAWING_READY):
                raise InvalidStateError(f"draw {campaign_id!r} is {draw.status}; it runs from closed or drawing_ready")
            policy_version, policy = await current_policy(session)
            entrants = await self._eligible_entrants(session, campaign_id)
            if len(entrants.user_ids) == 0:
                raise InvalidStateError(f"draw {campaign_id!r} has no eligible entries")
            seed = self._seed(draw)
            result = draw_engine.run_draw(entrants, seed, draw.seats, draw.waitlist_size, policy.weight_cap)
            run = DrawRun(id=uuid4(), campaign_id=campaign_id, seed_hex=seed.hex(),
                          entry_set_hash=draw_engine.entry_set_hash(entrants),
                          policy_version=policy_version, weight_cap=policy.weight_cap, status="completed")
            session.add(run)
            await session.flush()
            session.add_all(
                DrawResult(run_id=run.id, rank=rank, kakao_user_id=int(user_id),
                           outcome="winner" if rank <= result.seats else "waitlist",
                           weight=float(weight), key=float(key))
                for rank, (user_id, weight, key) in enumerate(
                    zip(result.user_ids, result.weights, result.keys, strict=True), start=1)
            )
            draw.status = DrawStatus.DRAWING_DONE
            outbox.enqueue(session, topics.DRAW_COMPLETED, self._completion_events(run, draw, result))
        return run

    async def results(self, run_id: UUID) -> tuple[DrawRun, list[DrawResult]]:
        async with self._sessions() as session:
            run = await session.get(DrawRun, run_id)
            if run is None:
                raise NotFoundError(f"no draw run {run_id}")
            rows = (await session.scalars(
                select(DrawResult).where(DrawResult.run_id == run_id).order_by(DrawResult.rank))).all()
        return run, list(rows)

    async def entry_count(self, campaign_id: str) -> int:
        async with self._sessions() as session:
            return await session.scalar(
                select(func.count()).select_from(Entry).where(Entry.campaign_id == campaign_id)) or 0

    def _seed(self, draw: Draw) -> bytes:
        return draw_engine.derive_seed(draw.campaign_id, draw.draw_at, self._server_secret)

    @staticmethod
    async def _draw_for_update(session: AsyncSession, campaign_id: str) -> Draw:
        draw = await session.get(Draw, campaign_id, with_for_update=True)
        if draw is None:
            raise NotFoundError(f"no draw {campaign_id!r}", field="campaign_id")
        return draw

    @staticmethod
    async def _eligible_entrants(session: AsyncSession, campaign_id: str) -> Entrants:
        rows = (await session.execute(
            select(Entry.kakao_user_id, Entry.weight).where(Entry.campaign_id == campaign_id))).all()
        return Entrants(user_ids=np.array([row[0] for row in rows], dtype=np.uint64),
                        weights=np.array([row[1] for row in rows], dtype=np.float64))

    def _completion_events(self, run: DrawRun, draw: Draw, result: draw_engine.DrawResult) -> list[DrawCompleted]:
        ranked = [RankedEntrant(rank=rank, user_id=str(int(user_id)))
                  for rank, user_id in enumerate(result.user_ids, start=1)]
        size = self._results_per_part
        parts = [ranked[start:start + size] for start in range(0, len(ranked), size)]
        occurred_at = datetime.now(UTC)
        return [
            DrawCompleted(
                occurred_at=occurred_at, run_id=run.id, campaign_id=draw.campaign_id, seats=draw.seats,
                waitlist_size=draw.waitlist_size, policy_version=run.policy_version,
                part=number, part_count=len(parts),
                winners=tuple(r for r in part if r.rank <= result.seats),
                waitlist=tuple(r for r in part if r.rank > result.seats),
            )
            for number, part in enumerate(parts, start=1)
        ]

"""The lottery's storage for one aggregate: a draw run with the entry set it drew from (its inputs) and
its ranked results. SQL and PostgreSQL locking live here; the run use cases (execute, verify, reveal,
export, rollback) load through it, let the rules in domain/ decide, and store through it, all in the
caller's transaction.

A run is written once, by execute, under the draw's row lock (adapters/draw_store.py); afterwards only
its status changes, at rollback, under the run's own row lock (`lock`), taken before the draw's.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.frozen_set_store import FrozenSetStore
from lottery_service.adapters.models import DrawResult, DrawRun, DrawRunInput, DrawRunSnapshot
from lottery_service.domain import draw_engine
from lottery_service.domain.frozen_set import FrozenEntries
from lottery_service.domain.result_places import RankWindow, place_of
from platform_shared.db.engine import copy_records
from platform_shared.errors import NotFoundError


class RunStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, run_id: UUID) -> DrawRun:
        return await self._load(run_id, for_update=False)

    async def lock(self, run_id: UUID) -> DrawRun:
        """The run under its row lock: two rollbacks of one run, prepared apart, queue up here, and the second
        finds the run already rolled back."""
        return await self._load(run_id, for_update=True)

    async def _load(self, run_id: UUID, *, for_update: bool) -> DrawRun:
        run = await self._session.get(DrawRun, run_id, with_for_update=for_update)
        if run is None:
            raise NotFoundError(f"no draw run {run_id}", field="run_id")
        return run

    async def latest(self, campaign_id: str) -> DrawRun | None:
        """The draw's most recent run, live or rolled back: prepare binds it, so execute refuses when
        another run happened in between."""
        return await self._session.scalar(
            select(DrawRun).where(DrawRun.campaign_id == campaign_id).order_by(DrawRun.created_at.desc()).limit(1))

    async def frozen_set(self, run: DrawRun) -> FrozenEntries | None:
        """The frozen set the run was drawn from, or None (a run of a draw closed before sets were frozen)."""
        if run.frozen_set_id is not None:
            return await FrozenSetStore(self._session).load(run.frozen_set_id)
        snapshot = await self._session.get(DrawRunSnapshot, run.id)  # runs drawn before sets were kept whole
        if snapshot is None or snapshot.frozen_set_hash is None or snapshot.frozen_user_ids is None \
                or snapshot.frozen_decisions is None or snapshot.frozen_weights is None:
            return None
        return FrozenEntries(np.frombuffer(snapshot.frozen_user_ids, dtype="<u8").astype(np.uint64),
                             np.frombuffer(snapshot.frozen_decisions, dtype=np.int8).copy(),
                             np.frombuffer(snapshot.frozen_weights, dtype="<f8").astype(np.float64),
                             snapshot.frozen_set_hash)

    async def of_campaign(self, campaign_id: str) -> list[DrawRun]:
        """Every run of the campaign, oldest first: live, rolled back, and the ones they replaced."""
        return list((await self._session.scalars(
            select(DrawRun).where(DrawRun.campaign_id == campaign_id).order_by(DrawRun.created_at))).all())

    async def results(self, run_id: UUID) -> list[DrawResult]:
        """Winners, then the waitlist, in rank order."""
        return list((await self._session.scalars(
            select(DrawResult).where(DrawResult.run_id == run_id).order_by(DrawResult.rank))).all())

    async def results_within(self, run_id: UUID, window: RankWindow) -> list[DrawResult]:
        """The results of ranks `window.first`…`window.last`, in rank order: a range of the primary key."""
        if window.empty:
            return []
        return list((await self._session.scalars(
            select(DrawResult).where(DrawResult.run_id == run_id, DrawResult.rank.between(window.first, window.last))
            .order_by(DrawResult.rank))).all())

    async def place_counts(self, run_id: UUID, seats: int) -> tuple[int, int]:
        """(winners, waitlist) stored for the run, counted on the primary key's ranks alone."""
        row = (await self._session.execute(
            select(func.count().filter(DrawResult.rank <= seats), func.count().filter(DrawResult.rank > seats))
            .where(DrawResult.run_id == run_id))).one()
        return int(row[0]), int(row[1])

    async def copied_inputs(self, run: DrawRun) -> draw_engine.Entrants:
        """The eligible set a run drawn before frozen sets existed kept as its own copy (a run since refers to
        its frozen set: `frozen_set`), exactly as drawn, whatever happened to the entries since (seed §3.4)."""
        snapshot = await self._session.get(DrawRunSnapshot, run.id)
        if snapshot is not None:
            return draw_engine.Entrants(user_ids=np.frombuffer(snapshot.user_ids, dtype="<u8").astype(np.uint64),
                                        weights=np.frombuffer(snapshot.weights, dtype="<f8").astype(np.float64))
        rows = (await self._session.execute(
            select(DrawRunInput.kakao_user_id, DrawRunInput.weight).where(DrawRunInput.run_id == run.id))).all()
        return draw_engine.Entrants(user_ids=_column(rows, 0, "uint64"), weights=_column(rows, 1, "float64"))

    async def add(self, run: DrawRun, eligible: draw_engine.Entrants, result: draw_engine.DrawResult,
                  frozen: FrozenEntries | None) -> None:
        """The run, referring to the frozen set it drew from (or, for a draw closed before sets were frozen,
        with a packed copy of its eligible set), and its ranked results (COPY)."""
        run.frozen_set_id = None if frozen is None else frozen.set_id
        self._session.add(run)
        await self._session.flush()  # the run row first: its inputs and results refer to it
        if run.frozen_set_id is None:
            self._session.add(DrawRunSnapshot(run_id=run.id, user_ids=eligible.user_ids.astype("<u8").tobytes(),
                                              weights=eligible.weights.astype("<f8").tobytes()))
        await copy_records(self._session, "draw_results",
                           ["run_id", "rank", "kakao_user_id", "outcome", "weight", "key"], (
            (run.id, rank, user, place_of(rank, result.seats).value, weight, key)
            for rank, (user, weight, key) in enumerate(
                zip(result.user_ids.tolist(), result.weights.tolist(), result.keys.tolist(), strict=True), start=1)))


def _column(rows: Sequence[Sequence[Any]], index: int, dtype: str) -> np.ndarray:
    return np.array([row[index] for row in rows], dtype=dtype)

"""The lottery's storage for frozen entry sets: one immutable row per close, every array packed
little-endian. The draw path reads one row here instead of a million entries. SQL only, in the caller's
transaction."""

from uuid import UUID, uuid4

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.models import FrozenEntrySet
from lottery_service.domain.frozen_set import FrozenEntries
from platform_shared.errors import NotFoundError


class FrozenSetStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, campaign_id: str, algorithm: str, entry_ids: np.ndarray, frozen: FrozenEntries) -> UUID:
        """A new set (`entry_ids` aligned with its entries); returns its id. Stored in user id order, so the
        entry-set hash of every prepare and execute finds its input sorted (a million-id sort is 0.16 s)."""
        assert frozen.draw_ids is not None, "a set is frozen with its draw ids"
        order = np.lexsort((entry_ids, frozen.user_ids))
        set_id = uuid4()
        self._session.add(FrozenEntrySet(
            id=set_id, campaign_id=campaign_id, set_hash=frozen.set_hash, algorithm=algorithm,
            entry_ids=entry_ids[order].astype("<i8").tobytes(),
            user_ids=frozen.user_ids[order].astype("<u8").tobytes(),
            draw_ids=frozen.draw_ids[order].astype("<u8").tobytes(),
            decisions=frozen.decisions[order].astype(np.int8).tobytes(),
            weights=frozen.weights[order].astype("<f8").tobytes()))
        await self._session.flush()
        return set_id

    async def load(self, set_id: UUID) -> FrozenEntries:
        """The set without its entry ids (what a draw, a replay or a bundle needs)."""
        row = (await self._session.execute(
            select(FrozenEntrySet.set_hash, FrozenEntrySet.user_ids, FrozenEntrySet.draw_ids,
                   FrozenEntrySet.decisions, FrozenEntrySet.weights).where(FrozenEntrySet.id == set_id))).one_or_none()
        if row is None:
            raise NotFoundError(f"no frozen entry set {set_id}", field="frozen_set_id")
        set_hash, user_ids, draw_ids, decisions, weights = row
        return FrozenEntries(
            user_ids=np.frombuffer(user_ids, dtype="<u8").astype(np.uint64),
            decisions=np.frombuffer(decisions, dtype=np.int8).copy(),
            weights=np.frombuffer(weights, dtype="<f8").astype(np.float64), set_hash=set_hash,
            draw_ids=None if draw_ids is None else np.frombuffer(draw_ids, dtype="<u8").astype(np.uint64),
            set_id=set_id)

    async def decisions_by_entry(self, set_id: UUID) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(entry ids ascending, their decision codes, their weights): what a later close compares with."""
        row = (await self._session.execute(select(FrozenEntrySet.entry_ids, FrozenEntrySet.decisions,
                                                  FrozenEntrySet.weights).where(FrozenEntrySet.id == set_id))).one()
        entry_ids, decisions = np.frombuffer(row[0], dtype="<i8").astype(np.int64), np.frombuffer(row[1], dtype=np.int8)
        weights = np.frombuffer(row[2], dtype="<f8").astype(np.float64)
        order = np.argsort(entry_ids)
        return entry_ids[order], decisions[order], weights[order]

"""Queries the lottery use cases share."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.domain.draw_engine import Entrants
from lottery_service.domain.eligibility import EntryColumns
from lottery_service.models import BlacklistedUser, Draw, DrawResult, DrawRun, DrawRunInput, Entry
from platform_shared.errors import NotFoundError


async def load_draw(session: AsyncSession, campaign_id: str, *, for_update: bool = False) -> Draw:
    draw = await session.get(Draw, campaign_id, with_for_update=for_update)
    if draw is None:
        raise NotFoundError(f"no draw {campaign_id!r}", field="campaign_id")
    return draw


async def load_run(session: AsyncSession, run_id: UUID, *, for_update: bool = False) -> DrawRun:
    run = await session.get(DrawRun, run_id, with_for_update=for_update)
    if run is None:
        raise NotFoundError(f"no draw run {run_id}", field="run_id")
    return run


async def load_entry_columns(session: AsyncSession, campaign_id: str) -> EntryColumns:
    rows = (await session.execute(
        select(Entry.kakao_user_id, Entry.weight, Entry.intro_seen, Entry.adgate_verified,
               Entry.adgate_exempt_reason.is_not(None), Entry.suspicious, Entry.invalid_reason.is_not(None),
               BlacklistedUser.kakao_user_id.is_not(None))
        .outerjoin(BlacklistedUser, BlacklistedUser.kakao_user_id == Entry.kakao_user_id)
        .where(Entry.campaign_id == campaign_id)
    )).tuples().all()
    return EntryColumns.from_rows(list(rows))


async def load_run_inputs(session: AsyncSession, run_id: UUID) -> Entrants:
    rows = (await session.execute(
        select(DrawRunInput.kakao_user_id, DrawRunInput.weight).where(DrawRunInput.run_id == run_id))).all()
    return Entrants(user_ids=_column(rows, 0, "uint64"), weights=_column(rows, 1, "float64"))


async def load_results(session: AsyncSession, run_id: UUID) -> list[DrawResult]:
    return list((await session.scalars(
        select(DrawResult).where(DrawResult.run_id == run_id).order_by(DrawResult.rank))).all())


async def latest_run(session: AsyncSession, campaign_id: str) -> DrawRun | None:
    return await session.scalar(
        select(DrawRun).where(DrawRun.campaign_id == campaign_id).order_by(DrawRun.created_at.desc()).limit(1))


def _column(rows: Sequence[Sequence[Any]], index: int, dtype: str) -> np.ndarray:
    return np.array([row[index] for row in rows], dtype=dtype)

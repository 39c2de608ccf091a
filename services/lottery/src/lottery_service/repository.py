"""Queries the lottery use cases share."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.domain.draw_engine import Entrants
from lottery_service.models import DrawResult, DrawRun, DrawRunInput
from platform_shared.errors import NotFoundError


async def load_run(session: AsyncSession, run_id: UUID, *, for_update: bool = False) -> DrawRun:
    run = await session.get(DrawRun, run_id, with_for_update=for_update)
    if run is None:
        raise NotFoundError(f"no draw run {run_id}", field="run_id")
    return run


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

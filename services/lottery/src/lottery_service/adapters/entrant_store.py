"""The lottery's storage for what one entrant did in one campaign before entering (SPEC §9): the Intro view,
the verified sponsor visit, the sponsor returns already used and the refused ones, and whether they won a
draw lately (the weight rule's cooldown). SQL only, in the caller's transaction."""

from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.models import (
    AdGateFailure,
    DrawResult,
    DrawRun,
    EntrantProgress,
    Entry,
    UsedSponsorProof,
)
from lottery_service.domain.entrant_entry import Progress
from lottery_service.domain.run_lifecycle import RunStatus


class EntrantStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def progress(self, campaign_id: str, kakao_user_id: int) -> Progress:
        row = await self._session.get(EntrantProgress, (campaign_id, kakao_user_id))
        return Progress(intro_seen=row is not None and row.intro_seen_at is not None,
                        adgate_verified=row is not None and row.adgate_verified_at is not None)

    async def record_intro_view(self, campaign_id: str, kakao_user_id: int, at: datetime) -> None:
        """The first view counts; later ones change nothing."""
        statement = insert(EntrantProgress).values(campaign_id=campaign_id, kakao_user_id=kakao_user_id,
                                                   intro_seen_at=at)
        await self._session.execute(statement.on_conflict_do_update(
            index_elements=[EntrantProgress.campaign_id, EntrantProgress.kakao_user_id],
            set_={"intro_seen_at": statement.excluded.intro_seen_at},
            where=EntrantProgress.intro_seen_at.is_(None)))

    async def record_sponsor_visit(self, campaign_id: str, kakao_user_id: int, at: datetime, utm: str) -> None:
        statement = insert(EntrantProgress).values(campaign_id=campaign_id, kakao_user_id=kakao_user_id,
                                                   adgate_verified_at=at, adgate_utm=utm)
        await self._session.execute(statement.on_conflict_do_update(
            index_elements=[EntrantProgress.campaign_id, EntrantProgress.kakao_user_id],
            set_={"adgate_verified_at": statement.excluded.adgate_verified_at,
                  "adgate_utm": statement.excluded.adgate_utm}))

    async def use_proof(self, proof_id: str, campaign_id: str, kakao_user_id: int, at: datetime) -> bool:
        """False when this proof was used before (the primary key decides, whoever comes second)."""
        used = await self._session.scalar(
            insert(UsedSponsorProof).values(proof_id=proof_id, campaign_id=campaign_id, kakao_user_id=kakao_user_id,
                                            used_at=at)
            .on_conflict_do_nothing(index_elements=[UsedSponsorProof.proof_id]).returning(UsedSponsorProof.proof_id))
        return used is not None

    def record_failure(self, campaign_id: str, kakao_user_id: int, reason: str, at: datetime) -> None:
        self._session.add(AdGateFailure(campaign_id=campaign_id, kakao_user_id=kakao_user_id, reason=reason, at=at))

    async def won_since(self, kakao_user_id: int, since: datetime) -> bool:
        """Did this user win a live (not rolled back) run whose draw time is at or after `since`?"""
        return bool(await self._session.scalar(select(exists().where(
            DrawResult.kakao_user_id == kakao_user_id, DrawResult.outcome == "winner",
            DrawResult.run_id == DrawRun.id,
            and_(DrawRun.status == RunStatus.COMPLETED, DrawRun.draw_at >= since)))))

    async def entry_of(self, campaign_id: str, kakao_user_id: int) -> Entry | None:
        return await self._session.scalar(select(Entry).where(
            Entry.campaign_id == campaign_id, Entry.kakao_user_id == kakao_user_id, Entry.invalid_reason.is_(None))
            .order_by(Entry.id).limit(1))

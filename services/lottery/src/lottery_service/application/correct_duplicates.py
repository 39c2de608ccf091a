"""Correcting duplicate entries (seed §11.1): keep each user's earliest valid entry, mark the others invalid,
and answer the re-counted totals; refused once entries are closed (reopen the draw to correct it)."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.draw_lifecycle import refuse_after_close
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.contracts.admin.lottery import DuplicatesCorrectedOut
from platform_shared.time.clock import Clock


class CorrectDuplicates:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def correct_duplicates(self, campaign_id: str, actor: str, reason: str) -> DuplicatesCorrectedOut:
        """Keep each user's earliest valid entry; mark the others invalid; return the re-counted totals."""
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.lock(campaign_id)
            refuse_after_close(campaign_id, draw.status, "a duplicate correction")
            before = await store.valid_entry_counts(campaign_id)
            invalidated = await store.invalidate_duplicates(campaign_id, reason)
            after = await store.valid_entry_counts(campaign_id)
            report = DuplicatesCorrectedOut(invalidated=invalidated, valid_entries_before=before[0],
                                            valid_entries_after=after[0], distinct_users=after[1])
            await uow.audit(actor=actor, action="entries.correct_duplicates",
                            target=f"draw:{campaign_id}", reason=reason, before={"valid": before[0]},
                            after=report.model_dump())
        return report

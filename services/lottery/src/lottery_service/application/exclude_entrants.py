"""Keeping entrants out of draws (SPEC §3, seed §3.1 filters): a suspicious flag on one entry (until entries
close), and the blacklist, which excludes a user from every draw. Each audited with its reason."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.draw_lifecycle import refuse_after_close
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock


class ExcludeEntrants:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def flag_suspicious(self, campaign_id: str, kakao_user_id: int, suspicious: bool, actor: str,
                              reason: str) -> None:
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.share_lock(campaign_id)  # a close waits for this flag, or the flag sees it
            refuse_after_close(campaign_id, draw.status, "a suspicious flag")
            await store.set_suspicious(campaign_id, kakao_user_id, suspicious)
            await uow.audit(actor=actor, action="entries.flag_suspicious", target=f"draw:{campaign_id}", reason=reason,
                            after={"kakao_user_id": kakao_user_id, "suspicious": suspicious})

    async def blacklist(self, kakao_user_id: int, reason: str, actor: str) -> None:
        async with self._units.begin() as uow:
            await DrawStore(uow.session).blacklist(kakao_user_id, reason, actor)
            await uow.audit(actor=actor, action="blacklist.add", target=f"user:{kakao_user_id}", reason=reason)

    async def unblacklist(self, kakao_user_id: int, reason: str, actor: str) -> None:
        async with self._units.begin() as uow:
            listed = await DrawStore(uow.session).unblacklist(kakao_user_id)
            await uow.audit(actor=actor, action="blacklist.remove", target=f"user:{kakao_user_id}", reason=reason,
                            before={"reason": listed.reason, "added_by": listed.added_by})

"""The lottery's storage for one aggregate: a draw with its entries, and the blacklist its entries are
screened against. SQL and PostgreSQL locking live here; the use cases (draws, entries, dry run, runs)
load through it, let the rules in domain/ decide, and store through it, all in the caller's transaction.

Whatever changes a draw's status or its entry set as a whole (close, intake, duplicate correction, weight
recalculation, prepare, execute, rollback) takes the draw's row lock first (`lock`), so they queue up
instead of interleaving: no entry slips in after the close, and a run is computed on an entry set that
nothing is rewriting at that moment. A suspicious flag takes a key-share lock (a close waits for it); a
blacklisting is global and takes none: after close the draw screens on the decisions frozen then.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.models import BlacklistedUser, Draw, Entry
from lottery_service.domain.draw_lifecycle import DrawStatus
from platform_shared.db.engine import any_of, rowcount
from platform_shared.errors import ConflictError, NotFoundError


class DrawStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, campaign_id: str) -> Draw:
        return await self._load(campaign_id, for_update=False)

    async def lock(self, campaign_id: str) -> Draw:
        """The draw under its row lock, held until the caller's transaction ends."""
        return await self._load(campaign_id, for_update=True)

    async def _load(self, campaign_id: str, *, for_update: bool) -> Draw:
        draw = await self._session.get(Draw, campaign_id, with_for_update=for_update)
        if draw is None:
            raise NotFoundError(f"no draw {campaign_id!r}", field="campaign_id")
        return draw

    async def all(self) -> Sequence[Draw]:
        return (await self._session.scalars(select(Draw).order_by(Draw.campaign_id))).all()

    async def not_drawn(self) -> Sequence[Draw]:
        """Draws whose entries or run are still ahead (a drawn one keeps the settings it ran with)."""
        return (await self._session.scalars(select(Draw).where(Draw.status != DrawStatus.DRAWING_DONE)
                                            .order_by(Draw.campaign_id))).all()

    async def entries_page(self, campaign_id: str, offset: int, limit: int) -> tuple[int, Sequence[Entry]]:
        """(every entry of the draw, the page's): by user id, then entry id. The page's ids come from the
        (campaign, user, id) index alone, however deep the offset; only their own rows are read."""
        total = await self._session.scalar(select(func.count()).select_from(Entry)
                                           .where(Entry.campaign_id == campaign_id)) or 0
        page = (select(Entry.id).where(Entry.campaign_id == campaign_id)
                .order_by(Entry.kakao_user_id, Entry.id).offset(offset).limit(limit).subquery())
        rows = (await self._session.scalars(select(Entry).join(page, Entry.id == page.c.id)
                                            .order_by(Entry.kakao_user_id, Entry.id))).all()
        return total, rows

    async def share_lock(self, campaign_id: str) -> Draw:
        """The draw under a key-share lock (the one the entry's foreign key takes anyway): entries in flight
        go on side by side, a close (FOR UPDATE) waits for them, and no entry comes in after it."""
        draw = await self._session.get(Draw, campaign_id, with_for_update={"key_share": True})
        if draw is None:
            raise NotFoundError(f"no draw {campaign_id!r}", field="campaign_id")
        return draw

    async def add_entry_once(self, row: Mapping[str, Any]) -> bool:
        """False when the user already holds an entry in the draw (the unique index decides a race)."""
        return await self._session.scalar(insert(Entry).values(**row).on_conflict_do_nothing()
                                          .returning(Entry.id)) is not None

    async def add(self, draw: Draw) -> None:
        """One draw per campaign: a second one for the same campaign is refused."""
        if await self._session.get(Draw, draw.campaign_id) is not None:
            raise ConflictError(f"draw {draw.campaign_id!r} already exists", field="campaign_id")
        self._session.add(draw)

    async def entered(self, campaign_id: str, user_ids: Sequence[int]) -> Sequence[int]:
        """Which of these users already hold a valid entry in the draw, legacy imports included: the
        intake path refuses them with a readable 409, where the unique index covers API entries only."""
        return (await self._session.scalars(select(Entry.kakao_user_id).where(
            Entry.campaign_id == campaign_id, Entry.invalid_reason.is_(None),
            any_of(Entry.kakao_user_id, user_ids)))).all()

    async def add_entries(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Entries as domain/intake.py shaped them."""
        # executemany: SQLAlchemy batches the rows under PostgreSQL's bind-parameter limit.
        await self._session.execute(insert(Entry), list(rows))

    async def valid_entry_counts(self, campaign_id: str) -> tuple[int, int]:
        """(valid entries, distinct users among them): what a duplicate correction reports before and after."""
        row = (await self._session.execute(
            select(func.count(), func.count(Entry.kakao_user_id.distinct()))
            .where(Entry.campaign_id == campaign_id, Entry.invalid_reason.is_(None)))).one()
        return int(row[0]), int(row[1])

    async def invalidate_duplicates(self, campaign_id: str, reason: str) -> int:
        """Seed §11.1: keep each user's earliest valid entry (by creation, then id, which is the order of a
        batch), mark the others invalid with the reason; they stay for the audit. Returns how many."""
        ranked = (select(Entry.id, func.row_number().over(
            partition_by=Entry.kakao_user_id, order_by=(Entry.created_at, Entry.id)).label("n"))
            .where(Entry.campaign_id == campaign_id, Entry.invalid_reason.is_(None)).subquery())
        result = await self._session.execute(
            update(Entry).where(Entry.id.in_(select(ranked.c.id).where(ranked.c.n > 1)))
            .values(invalid_reason=f"duplicate: {reason}"))
        return rowcount(result)

    async def set_suspicious(self, campaign_id: str, kakao_user_id: int, suspicious: bool) -> None:
        """Set or clear the flag on every entry the user holds in the draw."""
        result = await self._session.execute(
            update(Entry).where(Entry.campaign_id == campaign_id, Entry.kakao_user_id == kakao_user_id)
            .values(suspicious=suspicious))
        if rowcount(result) == 0:
            raise NotFoundError(f"user {kakao_user_id} has no entry in {campaign_id!r}", field="kakao_user_id")

    async def count_weights_off_cap(self, campaign_id: str, weight_cap: float) -> int:
        """Seed §11.2 step one: how many entries a recalculation under this cap would change."""
        return await self._session.scalar(select(func.count()).select_from(Entry).where(
            Entry.campaign_id == campaign_id, Entry.weight != func.least(Entry.raw_weight, weight_cap))) or 0

    async def cap_weights(self, campaign_id: str, weight_cap: float, policy_version: int) -> int:
        """Seed §11.2 step two: every entry's weight becomes its raw weight under this cap (the cap intake
        applies, set-based), stamped with the policy version. Returns how many changed."""
        capped = func.least(Entry.raw_weight, weight_cap)
        result = await self._session.execute(
            update(Entry).where(and_(Entry.campaign_id == campaign_id, Entry.weight != capped))
            .values(weight=capped, policy_version=policy_version))
        return rowcount(result)

    async def blacklist(self, kakao_user_id: int, reason: str, actor: str) -> None:
        """Exclude the user from every draw; blacklisting someone already listed keeps the first reason."""
        await self._session.execute(insert(BlacklistedUser).values(
            kakao_user_id=kakao_user_id, reason=reason, added_by=actor).on_conflict_do_nothing())

    async def unblacklist(self, kakao_user_id: int) -> BlacklistedUser:
        """Lift the blacklisting; returns what it was, for the audit record."""
        listed = await self._session.get(BlacklistedUser, kakao_user_id)
        if listed is None:
            raise NotFoundError(f"user {kakao_user_id} is not blacklisted", field="kakao_user_id")
        await self._session.delete(listed)
        return listed

    async def exemptions(self, campaign_id: str | None) -> Sequence[Any]:
        """Entries admitted without a sponsor visit, per campaign and exemption (seed §5.4 impact report)."""
        query = (select(Entry.campaign_id, Entry.adgate_exempt_reason, func.count(), func.min(Entry.created_at),
                        func.max(Entry.created_at))
                 .where(Entry.adgate_exempt_reason.is_not(None))
                 .group_by(Entry.campaign_id, Entry.adgate_exempt_reason)
                 .order_by(Entry.campaign_id, Entry.adgate_exempt_reason))
        if campaign_id is not None:
            query = query.where(Entry.campaign_id == campaign_id)
        return (await self._session.execute(query)).all()

"""Promotion (SPEC §4): expire overdue offers and fill each freed seat with the next person on the
waitlist, in rank order. Every pass of a run holds that run's row lock, so two replicas' schedulers
and a manual trigger at the same moment queue up instead of promoting the same seat twice; the
unique (run, user) and (run, rank) constraints on offers are the last line behind the lock."""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.audit.chain import record_action
from platform_shared.contracts import topics
from platform_shared.contracts.events import WaitlistExhausted, WaitlistPromoted
from platform_shared.db.engine import any_of, copy_records
from platform_shared.errors import NotFoundError
from platform_shared.messaging import outbox
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.service.rounds import run_rounds
from platform_shared.time.clock import Clock
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.seats import (
    HELD,
    Answer,
    OfferStatus,
    OfferView,
    WaitingView,
    check_answer,
    plan_pass,
    respond_by,
)
from waitlist_service.models import Offer, RunStatus, WaitlistEntry, WaitlistRun

Trigger = Literal["declined", "scheduled", "manual"]
PROMOTABLE = (RunStatus.ACTIVE, RunStatus.EXHAUSTED)


@dataclass(frozen=True)
class PassOutcome:
    run_id: UUID
    expired: int
    promoted: list[str]
    seats_left: int
    waitlist_exhausted: bool


class PromotionService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def promote(self, run_id: UUID, trigger: Trigger, actor: str | None = None) -> PassOutcome:
        async with self._sessions.begin() as session:
            run = await _lock_run(session, run_id)
            outcome = await self._pass(session, run, trigger)
            if actor is not None:
                await record_action(session, at=self._clock.now(), actor=actor, action="waitlist.promote",
                                    target=f"run:{run_id}", after=outcome.__dict__ | {"run_id": str(run_id)})
        return outcome

    async def answer(self, offer_id: UUID, user_id: str, answer: Answer) -> Offer:
        """Accept or decline; a decline fills the freed seat at once, in the same transaction."""
        async with self._sessions.begin() as session:
            offer = await session.get(Offer, offer_id)
            if offer is None or offer.user_id != user_id:
                raise NotFoundError("no such offer for this user", field="offer_id")
            run = await _lock_run(session, offer.run_id)  # the run lock first, as every pass takes it
            await session.refresh(offer, with_for_update=True)
            now = self._clock.now()
            offer.status = check_answer(_view(offer), answer, now)
            offer.answered_at = now
            if answer == Answer.DECLINE:
                await session.flush()
                await self._pass(session, run, "declined")
        return offer

    async def promote_due_runs(self) -> int:
        """The scheduler's job: a pass for every run with an overdue offer or a free seat and someone
        waiting. Runs another replica is working on right now are skipped, not waited for."""
        now = self._clock.now()
        async with self._sessions() as session:
            due = (await session.scalars(select(WaitlistRun.run_id).where(
                WaitlistRun.status.in_(PROMOTABLE),
                exists().where(Offer.run_id == WaitlistRun.run_id, Offer.status == OfferStatus.OFFERED,
                               Offer.respond_by <= now)
                | (WaitlistRun.seats > select(func.count()).where(
                    Offer.run_id == WaitlistRun.run_id, Offer.status.in_(HELD)).scalar_subquery())
                & exists().where(WaitlistEntry.run_id == WaitlistRun.run_id, WaitlistEntry.status == "waiting"),
            ))).all()
        passes = 0
        for run_id in due:
            async with self._sessions.begin() as session:
                run = await session.get(WaitlistRun, run_id, with_for_update={"skip_locked": True})
                if run is not None:
                    await self._pass(session, run, "scheduled")
                    passes += 1
        return passes

    async def run_scheduler(self, interval_seconds: float | None) -> None:
        """Every promotion interval (policy, or the settings override), promote what is due."""
        async def promote_due() -> bool:
            await self.promote_due_runs()
            return False  # one pass per tick, however much it did

        async def until_next_tick() -> None:
            await asyncio.sleep(interval_seconds or await self._policy_interval())

        await run_rounds(promote_due, until_next_tick, what="scheduled promotion")

    async def _policy_interval(self) -> float:
        async with self._sessions() as session:
            _, policy = await current_policy(session)
        return policy.promotion_interval_minutes * 60.0

    async def _pass(self, session: AsyncSession, run: WaitlistRun, trigger: Trigger) -> PassOutcome:
        if run.status not in PROMOTABLE:
            return PassOutcome(run.run_id, 0, [], 0, False)
        now = self._clock.now()
        _, policy = await current_policy(session)
        offers = (await session.scalars(select(Offer).where(Offer.run_id == run.run_id))).all()
        waiting = (await session.scalars(select(WaitlistEntry).where(
            WaitlistEntry.run_id == run.run_id, WaitlistEntry.status == "waiting").order_by(WaitlistEntry.rank))).all()
        plan = plan_pass(run.seats, [_view(o) for o in offers], [WaitingView(w.rank, w.user_id) for w in waiting],
                         now, void=False)
        if plan.expire:
            await session.execute(update(Offer).where(any_of(Offer.id, [o.offer_id for o in plan.expire]))
                                  .values(status=OfferStatus.EXPIRED))
        await self._mark_entries(session, run.run_id, [p.rank for p in plan.skip], "skipped")
        if plan.promote:
            await self._offer_to(session, run, plan.promote, trigger, now, respond_by(now, policy))
        run.last_promotion_at = now
        if plan.waitlist_exhausted and run.status != RunStatus.EXHAUSTED:
            run.status = RunStatus.EXHAUSTED
            await outbox.enqueue(session, topics.WAITLIST_EXHAUSTED, [WaitlistExhausted(
                occurred_at=now, run_id=run.run_id, campaign_id=run.campaign_id, seats_left=plan.seats_left)])
        return PassOutcome(run.run_id, len(plan.expire), [p.user_id for p in plan.promote], plan.seats_left,
                           plan.waitlist_exhausted)

    async def _offer_to(self, session: AsyncSession, run: WaitlistRun, people: tuple[WaitingView, ...],
                        trigger: Trigger, now: datetime, deadline: datetime) -> None:
        offers = new_offers(run.run_id, run.campaign_id, ((p.rank, p.user_id) for p in people), trigger, now,
                            deadline)
        rows = [offer.as_row() for offer in offers]
        await copy_records(session, "offers", list(rows[0]), [list(row.values()) for row in rows])
        await self._mark_entries(session, run.run_id, [p.rank for p in people], "promoted")
        await outbox.enqueue(session, topics.WAITLIST_PROMOTED, [WaitlistPromoted(
            occurred_at=now, run_id=run.run_id, campaign_id=run.campaign_id, offer_id=o.id, user_id=o.user_id,
            rank=o.rank, trigger=trigger, respond_by=deadline) for o in offers])
        await outbox.enqueue(session, topics.NOTIFICATION_REQUESTED, [offer.notification() for offer in offers])

    @staticmethod
    async def _mark_entries(session: AsyncSession, run_id: UUID, ranks: list[int], status: str) -> None:
        if ranks:
            await session.execute(update(WaitlistEntry).where(
                WaitlistEntry.run_id == run_id, any_of(WaitlistEntry.rank, ranks)).values(status=status))


async def _lock_run(session: AsyncSession, run_id: UUID) -> WaitlistRun:
    run = await session.get(WaitlistRun, run_id, with_for_update=True)
    if run is None:
        raise NotFoundError(f"no draw run {run_id} on the waitlist", field="run_id")
    return run


def _view(offer: Offer) -> OfferView:
    return OfferView(offer.id, offer.user_id, offer.rank, offer.status, offer.respond_by)

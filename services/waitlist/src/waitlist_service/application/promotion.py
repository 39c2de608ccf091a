"""Promotion (SPEC §4): expire overdue offers and fill each freed seat with the next person on the
waitlist, in rank order. Every pass of a run holds that run's row lock, so two replicas' schedulers
and a manual trigger at the same moment queue up instead of promoting the same seat twice; the
unique (run, user) and (run, rank) constraints on offers are the last line behind the lock."""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.contracts import topics
from platform_shared.contracts.events import WaitlistExhausted, WaitlistPromoted
from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock
from waitlist_service.adapters.models import PROMOTABLE, Offer, RunStatus, WaitlistRun
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.ports import SeatStore, Sessions, Stores
from waitlist_service.domain.answers import Answerer, LinkSecret, refuse_unless_owner
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.seats import (
    Answer,
    EntryStatus,
    WaitingView,
    check_answer,
    plan_pass,
    respond_by,
)
from waitlist_service.metrics import PROMOTION_PASS_SECONDS

Trigger = Literal["declined", "scheduled", "manual"]


@dataclass(frozen=True)
class PassOutcome:
    run_id: UUID
    expired: int
    promoted: list[str]
    seats_left: int
    waitlist_exhausted: bool


class PromotionService:
    def __init__(self, sessions: Sessions, clock: Clock, stores: Stores = RunStore,
                 link_secret: LinkSecret | None = None) -> None:
        """Without `link_secret` no answer link is valid; owners logged in with Kakao can still answer."""
        self._sessions = sessions
        self._clock = clock
        self._units = UnitsOfWork(sessions, clock)
        self._stores = stores
        self._link_secret = link_secret

    async def promote(self, run_id: UUID, trigger: Trigger, actor: str | None = None) -> PassOutcome:
        with PROMOTION_PASS_SECONDS.time():
            async with self._units.begin() as uow:
                store = self._stores(uow.session)
                outcome = await self._pass(store, await store.lock(run_id), trigger)
                if actor is not None:
                    await uow.audit(actor=actor, action="waitlist.promote",
                                    target=f"run:{run_id}", after=outcome.__dict__ | {"run_id": str(run_id)})
        return outcome

    async def answer(self, offer_id: UUID, answerer: Answerer, answer: Answer) -> Offer:
        """Accept or decline, by the offer's owner only (anyone else: 403, and nothing changes); a decline
        fills the freed seat at once, in the same transaction."""
        async with self._sessions.begin() as session:
            store = self._stores(session)
            offer = await store.offer(offer_id)
            refuse_unless_owner(offer.view(), answerer, self._link_secret)
            run = await store.lock(offer.run_id)  # the run lock first, as every pass takes it
            await store.lock_offer(offer)
            now = self._clock.now()
            offer.status = check_answer(offer.view(), answer, now)
            offer.answered_at = now
            if answer == Answer.DECLINE:
                await store.flush()
                await self._pass(store, run, "declined")
        return offer

    async def promote_due_runs(self) -> int:
        """The scheduler's job: a pass for every run with an overdue offer or a free seat and someone
        waiting. Runs another replica is working on right now are skipped, not waited for."""
        async with self._sessions() as session:
            due = await self._stores(session).due_run_ids(self._clock.now())
        passes = 0
        for run_id in due:
            async with self._sessions.begin() as session:
                store = self._stores(session)
                run = await store.lock_unless_busy(run_id)
                if run is not None:
                    await self._pass(store, run, "scheduled")
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
            policy = await self._stores(session).policy()
        return policy.promotion_interval_minutes * 60.0

    async def _pass(self, store: SeatStore, run: WaitlistRun, trigger: Trigger) -> PassOutcome:
        if run.status not in PROMOTABLE:
            return PassOutcome(run.run_id, 0, [], 0, False)
        now = self._clock.now()
        policy = await store.policy()
        offers, waiting = await store.offers(run.run_id), await store.waiting(run.run_id)
        plan = plan_pass(run.seats, [o.view() for o in offers], [WaitingView(w.rank, w.user_id) for w in waiting],
                         now, void=False)
        await store.expire([o.offer_id for o in plan.expire], now)
        await store.mark_entries(run.run_id, [p.rank for p in plan.skip], EntryStatus.SKIPPED)
        if plan.promote:
            await self._offer_to(store, run, plan.promote, trigger, now, respond_by(now, policy))
        run.last_promotion_at = now
        if plan.waitlist_exhausted and run.status != RunStatus.EXHAUSTED:
            run.status = RunStatus.EXHAUSTED
            await store.announce(topics.WAITLIST_EXHAUSTED, [WaitlistExhausted(
                occurred_at=now, run_id=run.run_id, campaign_id=run.campaign_id, seats_left=plan.seats_left)])
        return PassOutcome(run.run_id, len(plan.expire), [p.user_id for p in plan.promote], plan.seats_left,
                           plan.waitlist_exhausted)

    async def _offer_to(self, store: SeatStore, run: WaitlistRun, people: tuple[WaitingView, ...],
                        trigger: Trigger, now: datetime, deadline: datetime) -> None:
        offers = new_offers(run.run_id, run.campaign_id, ((p.rank, p.user_id) for p in people), trigger, now,
                            deadline)
        await store.add_offers(offers)
        await store.mark_entries(run.run_id, [p.rank for p in people], EntryStatus.PROMOTED)
        await store.announce(topics.WAITLIST_PROMOTED, [WaitlistPromoted(
            occurred_at=now, run_id=run.run_id, campaign_id=run.campaign_id, offer_id=o.id, user_id=o.user_id,
            rank=o.rank, trigger=trigger, respond_by=deadline) for o in offers])
        await store.announce(topics.NOTIFICATION_REQUESTED, [offer.notification() for offer in offers])

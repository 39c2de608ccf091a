"""One promotion pass over a run (SPEC §4, seed §4): expire overdue offers and fill each freed seat with the
next person on the waitlist, in rank order. Shared by every action that promotes (promote.py, a decline in
answer_offer.py, the scheduler's promote_due_runs.py); its caller holds the run's row lock, so two replicas'
schedulers and a manual trigger at the same moment queue up instead of promoting the same seat twice; the
unique (run, user) and (run, rank) constraints on offers are the last line behind the lock."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from platform_shared.contracts import topics
from platform_shared.contracts.events import WaitlistExhausted, WaitlistPromoted
from platform_shared.time.clock import Clock
from waitlist_service.adapters.models import WaitlistRun
from waitlist_service.application.ports import SeatStore
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.runs import PROMOTABLE, RunStatus, move_run
from waitlist_service.domain.seats import EntryStatus, WaitingView, plan_pass, respond_by

Trigger = Literal["declined", "scheduled", "manual"]


@dataclass(frozen=True)
class PassOutcome:
    run_id: UUID
    expired: int
    promoted: list[str]
    seats_left: int
    waitlist_exhausted: bool


async def promotion_pass(store: SeatStore, run: WaitlistRun, trigger: Trigger, clock: Clock) -> PassOutcome:
    """One pass over `run`, locked by the caller, in the caller's transaction."""
    if run.status not in PROMOTABLE:
        return PassOutcome(run.run_id, 0, [], 0, False)
    now = clock.now()
    policy = await store.policy()
    offers, waiting = await store.offers(run.run_id), await store.waiting(run.run_id)
    plan = plan_pass(run.seats, [o.view() for o in offers], [WaitingView(w.rank, w.user_id) for w in waiting],
                     now, void=False)
    await store.expire([o.offer_id for o in plan.expire], now)
    await store.mark_entries(run.run_id, [p.rank for p in plan.skip], EntryStatus.SKIPPED)
    if plan.promote:
        await _offer_to(store, run, plan.promote, trigger, now, respond_by(now, policy))
    run.last_promotion_at = now
    if plan.waitlist_exhausted and run.status != RunStatus.EXHAUSTED:
        run.status = move_run(run.status, RunStatus.EXHAUSTED)
        await store.announce(topics.WAITLIST_EXHAUSTED, [WaitlistExhausted(
            occurred_at=now, run_id=run.run_id, campaign_id=run.campaign_id, seats_left=plan.seats_left)])
    return PassOutcome(run.run_id, len(plan.expire), [p.user_id for p in plan.promote], plan.seats_left,
                       plan.waitlist_exhausted)


async def _offer_to(store: SeatStore, run: WaitlistRun, people: tuple[WaitingView, ...], trigger: Trigger,
                    now: datetime, deadline: datetime) -> None:
    offers = new_offers(run.run_id, run.campaign_id, ((p.rank, p.user_id) for p in people), trigger, now, deadline)
    await store.add_offers(offers)
    await store.mark_entries(run.run_id, [p.rank for p in people], EntryStatus.PROMOTED)
    await store.announce(topics.WAITLIST_PROMOTED, [WaitlistPromoted(
        occurred_at=now, run_id=run.run_id, campaign_id=run.campaign_id, offer_id=o.id, user_id=o.user_id,
        rank=o.rank, trigger=trigger, respond_by=deadline) for o in offers])
    await store.announce(topics.NOTIFICATION_REQUESTED, [offer.notification(run.campaign_name) for offer in offers])

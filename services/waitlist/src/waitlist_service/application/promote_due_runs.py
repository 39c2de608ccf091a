"""The promotion scheduler (SPEC §4, seed §4): every promotion interval, a pass for every run with an overdue
offer or a free seat and someone waiting."""

import asyncio

from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock
from waitlist_service.application.ports import Sessions, Stores
from waitlist_service.application.promotion_pass import promotion_pass


async def promote_due_runs(sessions: Sessions, stores: Stores, clock: Clock) -> int:
    """How many passes ran. Runs another replica is working on right now are skipped, not waited for."""
    async with sessions() as session:
        due = await stores(session).due_run_ids(clock.now())
    passes = 0
    for run_id in due:
        async with sessions.begin() as session:
            store = stores(session)
            run = await store.lock_unless_busy(run_id)
            if run is not None:
                await promotion_pass(store, run, "scheduled", clock)
                passes += 1
    return passes


async def run_scheduler(sessions: Sessions, stores: Stores, clock: Clock, interval_seconds: float | None) -> None:
    """Every promotion interval (policy, or the settings override), promote what is due."""
    async def promote_due() -> bool:
        await promote_due_runs(sessions, stores, clock)
        return False  # one pass per tick, however much it did

    async def until_next_tick() -> None:
        await asyncio.sleep(interval_seconds or await _policy_interval(sessions, stores))

    await run_rounds(promote_due, until_next_tick, what="scheduled promotion")


async def _policy_interval(sessions: Sessions, stores: Stores) -> float:
    async with sessions() as session:
        policy = await stores(session).policy()
    return policy.promotion_interval_minutes * 60.0

"""Property test of the waitlist against the real database: random sequences of accept, decline,
expiry (moving the clock), manual passes, concurrent passes and rollback never break the invariants."""

import asyncio
import contextlib
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from platform_shared.contracts.events import DrawCompleted, DrawRolledBack, RankedEntrant
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.errors import DomainError
from platform_shared.time.clock import KST, FixedClock
from waitlist_service.domain.seats import HELD, Answer
from waitlist_service.intake import DrawIntake
from waitlist_service.models import Offer, WaitlistEntry
from waitlist_service.promotion import PromotionService

pytestmark = pytest.mark.integration

SEATS, WAITLIST = 4, 8
# Far from the real clock, so the running waitlist service's own scheduler never finds these
# offers overdue: only this test's clock expires them.
START = datetime(2031, 3, 3, 10, 0, tzinfo=KST)

operation = st.one_of(
    st.tuples(st.just("accept"), st.integers(1, SEATS + WAITLIST)),
    st.tuples(st.just("decline"), st.integers(1, SEATS + WAITLIST)),
    st.tuples(st.just("advance"), st.integers(1, 40)),
    st.tuples(st.just("promote"), st.just(0)),
    st.tuples(st.just("concurrent"), st.integers(2, 4)),
    st.tuples(st.just("rollback"), st.just(0)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=18))
def test_random_operations_never_break_the_seat_invariants(
    fleet: Fleet, infrastructure: Infrastructure, operations: list[tuple[str, int]]
) -> None:
    asyncio.run(play(infrastructure.database_urls["waitlist"], operations))


async def play(database_url: str, operations: list[tuple[str, int]]) -> None:
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    clock = FixedClock(START)
    intake, promotion = DrawIntake(clock), PromotionService(sessions, clock)
    run_id = uuid4()
    users = {rank: f"u{rank}-{run_id.hex[:6]}" for rank in range(1, SEATS + WAITLIST + 1)}
    # One winner is also first on the waitlist (a legacy duplicate): promotion must pass over them.
    users[SEATS + 1] = users[1]
    try:
        async with sessions.begin() as session:
            await intake.record_draw(DrawCompleted(
                occurred_at=START, run_id=run_id, campaign_id="prop", seats=SEATS, waitlist_size=WAITLIST,
                policy_version=0, part=1, part_count=1,
                winners=tuple(RankedEntrant(rank=r, user_id=users[r]) for r in range(1, SEATS + 1)),
                waitlist=tuple(RankedEntrant(rank=r, user_id=users[r]) for r in range(SEATS + 1, SEATS + WAITLIST + 1)),
            ), session)
        void = False
        for name, argument in operations:
            before = await offers_of(sessions, run_id)
            if name in ("accept", "decline"):
                offer = next((o for o in before if o.rank == argument), None)
                if offer is not None:
                    # Refusals (late, twice, void) are part of the game; the invariants must still hold.
                    with contextlib.suppress(DomainError):
                        await promotion.answer(offer.id, offer.user_id, Answer(name))
            elif name == "advance":
                clock.advance(timedelta(hours=argument))
            elif name == "promote":
                await promotion.promote(run_id, "manual")
            elif name == "concurrent":
                await asyncio.gather(*(promotion.promote(run_id, "scheduled") for _ in range(argument)))
            elif name == "rollback":
                async with sessions.begin() as session:
                    await intake.void_run(DrawRolledBack(occurred_at=clock.now(), run_id=run_id, campaign_id="prop",
                                                         reason="property test"), session)
                void = True
            await check_invariants(sessions, run_id, before, void)
    finally:
        await engine.dispose()


async def check_invariants(sessions: async_sessionmaker[AsyncSession], run_id: UUID, before: list[Offer],
                           void: bool) -> None:
    offers = await offers_of(sessions, run_id)
    async with sessions() as session:
        entries = (await session.scalars(select(WaitlistEntry).where(WaitlistEntry.run_id == run_id))).all()
    held = [o for o in offers if o.status in HELD]
    assert len(held) <= SEATS, "held seats never exceed seats"
    # (offers are unique per (run, user) in the database; what must hold is that promotion never tried.)
    winners = {o.user_id for o in offers if o.source == "draw"}
    assert not [e for e in entries if e.status == "promoted" and e.user_id in winners], "no one wins twice"
    assert {(o.rank, o.user_id) for o in offers if o.source != "draw"} == \
        {(e.rank, e.user_id) for e in entries if e.status == "promoted"}, "each promotion is one waiting person's"
    promoted = sorted(e.rank for e in entries if e.status in ("promoted", "skipped"))
    still_waiting = sorted(e.rank for e in entries if e.status == "waiting")
    assert not promoted or not still_waiting or max(promoted) < min(still_waiting), "promotion in rank order"
    if void:
        assert len(offers) == len(before), "nothing is promoted for a rolled-back run"
        assert not held, "a rolled-back run holds no seats"
    freed = sum(1 for o in offers if o.status in ("declined", "expired"))
    promotions = sum(1 for o in offers if o.source != "draw")
    assert promotions <= freed, "a promotion only fills a freed seat"


async def offers_of(sessions: async_sessionmaker[AsyncSession], run_id: UUID) -> list[Offer]:
    async with sessions() as session:
        return list((await session.scalars(select(Offer).where(Offer.run_id == run_id).order_by(Offer.rank))).all())

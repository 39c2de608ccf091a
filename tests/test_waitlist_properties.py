"""Property test of the waitlist: random sequences of accept, decline, deliveries of offer notifications,
expiry (moving the clock), manual passes, concurrent passes and rollback never break the invariants. The same
game runs twice: against the real database (integration), and on the in-memory stores (unit tier, many more
examples)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from platform_shared.contracts.events import DrawCompleted, DrawRolledBack, NotificationDelivered, RankedEntrant
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.errors import DomainError
from platform_shared.time.clock import KST, FixedClock
from tests.memory_waitlist import MemoryRunStore, MemorySessions, WaitlistState
from waitlist_service.adapters.models import Offer, WaitlistEntry
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.ports import Sessions, Stores
from waitlist_service.application.promotion import PromotionService
from waitlist_service.domain.answers import Owner
from waitlist_service.domain.seats import HELD, Answer
from waitlist_service.entrypoints.kafka.intake import DrawIntake

SEATS, WAITLIST = 4, 8
# Far from the real clock, so the running waitlist service's own scheduler never finds these
# offers overdue: only this test's clock expires them.
START = datetime(2031, 3, 3, 10, 0, tzinfo=KST)

operation = st.one_of(
    st.tuples(st.just("accept"), st.integers(1, SEATS + WAITLIST)),
    st.tuples(st.just("decline"), st.integers(1, SEATS + WAITLIST)),
    st.tuples(st.just("advance"), st.integers(1, 40)),
    st.tuples(st.just("deliver"), st.integers(1, SEATS + WAITLIST)),
    st.tuples(st.just("promote"), st.just(0)),
    st.tuples(st.just("concurrent"), st.integers(2, 4)),
    st.tuples(st.just("rollback"), st.just(0)),
)


class World(Protocol):
    """Where the game is played: the use cases' transactions and stores, and a way to look at the run."""

    @property
    def sessions(self) -> Sessions: ...

    @property
    def stores(self) -> Stores: ...

    async def offers(self, run_id: UUID) -> list[Offer]: ...

    async def entries(self, run_id: UUID) -> list[WaitlistEntry]: ...


@pytest.mark.integration
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=18))
def test_random_operations_never_break_the_seat_invariants(
    fleet: Fleet, infrastructure: Infrastructure, operations: list[tuple[str, int]]
) -> None:
    async def on_the_database() -> None:
        async with database_world(infrastructure.database_urls["waitlist"]) as world:
            await play(world, operations)

    asyncio.run(on_the_database())


@settings(max_examples=200, deadline=None)
@given(operations=st.lists(operation, min_size=1, max_size=18))
def test_random_operations_never_break_the_seat_invariants_in_memory(operations: list[tuple[str, int]]) -> None:
    asyncio.run(play(MemoryWorld(WaitlistState()), operations))


@dataclass
class DatabaseWorld:
    sessions: async_sessionmaker[AsyncSession]
    stores: Stores = RunStore

    async def offers(self, run_id: UUID) -> list[Offer]:
        async with self.sessions() as session:
            return list((await session.scalars(
                select(Offer).where(Offer.run_id == run_id).order_by(Offer.rank))).all())

    async def entries(self, run_id: UUID) -> list[WaitlistEntry]:
        async with self.sessions() as session:
            return list((await session.scalars(select(WaitlistEntry).where(WaitlistEntry.run_id == run_id))).all())


@asynccontextmanager
async def database_world(database_url: str) -> AsyncIterator[DatabaseWorld]:
    engine = create_engine(database_url)
    try:
        yield DatabaseWorld(session_factory(engine))
    finally:
        await engine.dispose()


class MemoryWorld:
    def __init__(self, state: WaitlistState) -> None:
        self.state = state
        self.sessions: Sessions = MemorySessions(state)
        self.stores: Stores = MemoryRunStore

    async def offers(self, run_id: UUID) -> list[Offer]:
        return sorted((o for o in self.state.offers if o.run_id == run_id), key=lambda o: o.rank)

    async def entries(self, run_id: UUID) -> list[WaitlistEntry]:
        return [e for e in self.state.entries if e.run_id == run_id]


async def play(world: World, operations: list[tuple[str, int]]) -> None:
    sessions, clock = world.sessions, FixedClock(START)
    intake, promotion = DrawIntake(clock, world.stores), PromotionService(sessions, clock, world.stores)
    run_id = uuid4()
    users = {rank: str(80_000_000 + rank) for rank in range(1, SEATS + WAITLIST + 1)}  # kakaoUserIds, as text
    # One winner is also first on the waitlist (a legacy duplicate): promotion must pass over them.
    users[SEATS + 1] = users[1]
    async with sessions.begin() as session:
        await intake.record_draw(DrawCompleted(
            occurred_at=START, run_id=run_id, campaign_id="prop", seats=SEATS, waitlist_size=WAITLIST,
            policy_version=0, part=1, part_count=1,
            winners=tuple(RankedEntrant(rank=r, user_id=users[r]) for r in range(1, SEATS + 1)),
            waitlist=tuple(RankedEntrant(rank=r, user_id=users[r]) for r in range(SEATS + 1, SEATS + WAITLIST + 1)),
        ), session)
    void = False
    for name, argument in operations:
        before = await world.offers(run_id)
        if name in ("accept", "decline"):
            offer = next((o for o in before if o.rank == argument), None)
            if offer is not None:
                # Refusals (late, twice, void) are part of the game; the invariants must still hold.
                with contextlib.suppress(DomainError):
                    await promotion.answer(offer.id, Owner(int(offer.user_id)), Answer(name))
        elif name == "advance":
            clock.advance(timedelta(hours=argument))
        elif name == "deliver":
            offer = next((o for o in before if o.rank == argument), None)
            if offer is not None:
                async with sessions.begin() as session:
                    await intake.extend_deadline(NotificationDelivered(
                        occurred_at=clock.now(), run_id=run_id, dedupe_key=f"offer:{run_id}:{offer.user_id}",
                        user_id=offer.user_id, template="WINNER_OFFER", delivered_at=clock.now()), session)
        elif name == "promote":
            await promotion.promote(run_id, "manual")
        elif name == "concurrent":
            await asyncio.gather(*(promotion.promote(run_id, "scheduled") for _ in range(argument)))
        elif name == "rollback":
            async with sessions.begin() as session:
                await intake.void_run(DrawRolledBack(occurred_at=clock.now(), run_id=run_id, campaign_id="prop",
                                                     reason="property test"), session)
            void = True
        await check_invariants(world, run_id, before, void)


async def check_invariants(world: World, run_id: UUID, before: list[Offer], void: bool) -> None:
    offers, entries = await world.offers(run_id), await world.entries(run_id)
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
    assert not [o for o in offers if o.status == "expired" and o.delivered_at is None], \
        "an offer nobody was told of never expires"
    freed = sum(1 for o in offers if o.status in ("declined", "expired"))
    promotions = sum(1 for o in offers if o.source != "draw")
    assert promotions <= freed, "a promotion only fills a freed seat"


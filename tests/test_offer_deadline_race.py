"""An offer's deadline against its notification's delivery (issue 15). An offer nobody was told of (the
notifier paused or backlogged past the deadline) never expires, and the delivery gives it the whole window.
A delivery while a promotion pass is deciding: the deadline it moves and the expiry the pass planned must not
cross. The extension takes the run's lock first, as every pass does, so it waits for the pass; and the expiry
re-checks each deadline as stored when it writes."""

import asyncio
from datetime import datetime, timedelta
from uuid import uuid4

import pytest

from platform_deploy.infra import Infrastructure
from platform_shared.contracts.events import (
    DrawCompleted,
    NotificationDelivered,
    NotificationUndeliverable,
    RankedEntrant,
)
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.time.clock import KST, FixedClock
from tests.support import fresh_database
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.promotion import PromotionService
from waitlist_service.domain.seats import OfferStatus
from waitlist_service.entrypoints.kafka.intake import DrawIntake
from waitlist_service.main import MIGRATIONS

pytestmark = pytest.mark.integration

START = datetime(2031, 3, 3, 10, 0, tzinfo=KST)


async def test_a_delivery_during_a_pass_waits_for_it_and_an_expiry_never_overwrites_a_moved_deadline(
        infrastructure: Infrastructure) -> None:
    async with fresh_database(infrastructure, MIGRATIONS, like="waitlist") as url:
        engine = create_engine(url)
        sessions, clock = session_factory(engine), FixedClock(START)
        intake, run_id = DrawIntake(clock), uuid4()
        try:
            async with sessions.begin() as session:
                await intake.record_draw(DrawCompleted(
                    occurred_at=START, run_id=run_id, campaign_id="race", seats=2, waitlist_size=0, policy_version=0,
                    part=1, part_count=1, winners=(RankedEntrant(rank=1, user_id="7001"),
                                                   RankedEntrant(rank=2, user_id="7002")), waitlist=()), session)
            async with sessions.begin() as session:  # both told at once...
                for user in ("7001", "7002"):
                    await RunStore(session).mark_delivered(run_id, user, START, START)
            clock.advance(timedelta(days=3))  # ...and both overdue
            delivered = NotificationDelivered(occurred_at=clock.now(), run_id=run_id,
                                              dedupe_key=f"offer:{run_id}:7001", user_id="7001",
                                              template="WINNER_OFFER", delivered_at=clock.now())

            async def deliver() -> None:
                async with sessions.begin() as session:
                    await intake.extend_deadline(delivered, session)

            async with sessions.begin() as session:  # a pass: the run locked, its offers read as overdue
                store = RunStore(session)
                await store.lock(run_id)
                overdue = [o.id for o in await store.offers(run_id) if o.user_id == "7001"]
                extension = asyncio.create_task(deliver())
                await asyncio.sleep(1.0)
                assert not extension.done(), "the delivery waits for the pass holding the run"
                await store.expire(overdue, clock.now())
            await extension

            async with sessions() as session:
                offers = {o.user_id: o for o in await RunStore(session).offers(run_id)}
            assert offers["7001"].status == OfferStatus.EXPIRED and offers["7001"].respond_by <= clock.now(), \
                "expired by the pass that came first, and its deadline left as the pass saw it"

            # The other way round: a deadline moved after the pass read it is re-checked when the pass writes.
            async with sessions.begin() as session:
                await RunStore(session).mark_delivered(run_id, "7002", clock.now(),
                                                       clock.now() + timedelta(hours=24))
            async with sessions.begin() as session:  # a pass that read the old deadline writes its expiry
                await RunStore(session).expire([offers["7002"].id], clock.now())
            async with sessions() as session:
                after = {o.user_id: o for o in await RunStore(session).offers(run_id)}
            assert after["7002"].status == OfferStatus.OFFERED, "its new deadline is ahead: not expired"
        finally:
            await engine.dispose()


@pytest.mark.parametrize("news", ["delivered", "undeliverable"])
async def test_an_offer_nobody_was_told_of_never_expires_and_its_window_runs_from_the_delivery(
        infrastructure: Infrastructure, news: str) -> None:
    """Delivered late, or given up on by the notifier (the vendor refused the recipient): either way the whole
    window runs from then, and only then; given up on, the seat moves on after it rather than wait forever."""
    async with fresh_database(infrastructure, MIGRATIONS, like="waitlist") as url:
        engine = create_engine(url)
        sessions, clock = session_factory(engine), FixedClock(START)
        intake, run_id = DrawIntake(clock), uuid4()
        promotion = PromotionService(sessions, clock)

        async def status() -> str:
            """The winner's offer's."""
            async with sessions() as session:
                [offer] = [o for o in await RunStore(session).offers(run_id) if o.user_id == "7101"]
            return offer.status

        try:
            async with sessions.begin() as session:
                await intake.record_draw(DrawCompleted(
                    occurred_at=START, run_id=run_id, campaign_id="late-news", seats=1, waitlist_size=1,
                    policy_version=0, part=1, part_count=1, winners=(RankedEntrant(rank=1, user_id="7101"),),
                    waitlist=(RankedEntrant(rank=2, user_id="7102"),)), session)
            clock.advance(timedelta(days=3))  # the notifier was paused all along: the deadline passed unseen
            await promotion.promote(run_id, "scheduled")
            assert await status() == OfferStatus.OFFERED, "not expired: the winner was never told"

            async with sessions.begin() as session:
                key, now = f"offer:{run_id}:7101", clock.now()
                if news == "delivered":
                    await intake.extend_deadline(NotificationDelivered(
                        occurred_at=now, run_id=run_id, dedupe_key=key, user_id="7101", template="WINNER_OFFER",
                        delivered_at=now), session)
                else:
                    await intake.start_window_undelivered(NotificationUndeliverable(
                        occurred_at=now, run_id=run_id, dedupe_key=key, user_id="7101", template="WINNER_OFFER",
                        failed_at=now), session)
            clock.advance(timedelta(hours=23))
            await promotion.promote(run_id, "scheduled")
            assert await status() == OfferStatus.OFFERED, "the whole window counts from the delivery"
            clock.advance(timedelta(hours=1))
            outcome = await promotion.promote(run_id, "scheduled")
            assert await status() == OfferStatus.EXPIRED and outcome.promoted == ["7102"]
        finally:
            await engine.dispose()

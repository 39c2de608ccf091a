"""Offers are answered by their owner only (issue 12), on the in-memory stores (unit tier): a stranger's
decline is refused and changes nothing — no answer, no promotion pass, no event — while the owner's, by
Kakao login or by the signed link of their notification, works once."""

import asyncio
from datetime import datetime
from uuid import UUID, uuid4

import pytest

from platform_shared.auth.offer_links import offer_link_signature
from platform_shared.contracts.events import DrawCompleted, RankedEntrant
from platform_shared.errors import ConflictError, ForbiddenError, NotFoundError
from platform_shared.time.clock import KST, FixedClock
from tests.memory_waitlist import MemoryRunStore, MemorySessions, WaitlistState
from waitlist_service.adapters.models import Offer
from waitlist_service.application.promotion import PromotionService
from waitlist_service.domain.answers import LinkHolder, LinkSecret, Owner
from waitlist_service.domain.seats import Answer
from waitlist_service.entrypoints.kafka.intake import DrawIntake

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=KST)
SECRET = LinkSecret("m" * 64)
WINNERS, WAITING = (1_000_001, 1_000_002), (1_000_003, 1_000_004)


def drawn() -> tuple[WaitlistState, PromotionService, UUID]:
    """Two winners, two on the waitlist."""
    state, clock, run_id = WaitlistState(), FixedClock(NOON), uuid4()
    sessions = MemorySessions(state)

    async def draw() -> None:
        async with sessions.begin() as session:
            await DrawIntake(clock, MemoryRunStore).record_draw(DrawCompleted(
                occurred_at=NOON, run_id=run_id, campaign_id="owners", seats=2, waitlist_size=2, policy_version=0,
                part=1, part_count=1,
                winners=tuple(RankedEntrant(rank=r, user_id=str(u)) for r, u in enumerate(WINNERS, start=1)),
                waitlist=tuple(RankedEntrant(rank=r, user_id=str(u)) for r, u in enumerate(WAITING, start=3)),
            ), session)

    asyncio.run(draw())
    return state, PromotionService(sessions, clock, MemoryRunStore, link_secret=SECRET), run_id


def offer_of(state: WaitlistState, user: int) -> Offer:
    return next(o for o in state.offers if o.user_id == str(user))


def seen(state: WaitlistState) -> tuple[object, ...]:
    """Everything an answer could change: offers, the waitlist, what the outbox would publish."""
    return ([(o.id, o.status, o.answered_at) for o in state.offers], [(e.rank, e.status) for e in state.entries],
            list(state.announced))


def test_a_strangers_decline_is_refused_and_promotes_nobody() -> None:
    state, promotion, _ = drawn()
    before = seen(state)
    victim = offer_of(state, WINNERS[0])

    with pytest.raises(ForbiddenError):
        asyncio.run(promotion.answer(victim.id, Owner(WAITING[0]), Answer.DECLINE))  # the accomplice tries

    assert seen(state) == before, "no answer, no promotion, no event"
    assert not [o for o in state.offers if o.user_id == str(WAITING[0])]


def test_the_owners_decline_promotes_the_next_in_line_at_once() -> None:
    state, promotion, _ = drawn()
    offer = offer_of(state, WINNERS[0])

    answered = asyncio.run(promotion.answer(offer.id, Owner(WINNERS[0]), Answer.DECLINE))

    assert answered.status == "declined"
    assert offer_of(state, WAITING[0]).source == "declined", "rank 3 was offered the freed seat"


def test_the_signed_link_answers_once_and_a_tampered_one_never() -> None:
    state, promotion, _ = drawn()
    offer = offer_of(state, WINNERS[1])
    signature = offer_link_signature(SECRET.value, offer.id, offer.user_id)
    before = seen(state)

    with pytest.raises(ForbiddenError):
        asyncio.run(promotion.answer(offer.id, LinkHolder(signature[:-2] + "xx"), Answer.DECLINE))
    with pytest.raises(ForbiddenError):  # the link of one's own offer does not answer another's
        other = offer_of(state, WINNERS[0])
        asyncio.run(promotion.answer(other.id, LinkHolder(signature), Answer.DECLINE))
    assert seen(state) == before

    assert asyncio.run(promotion.answer(offer.id, LinkHolder(signature), Answer.ACCEPT)).status == "accepted"
    with pytest.raises(ConflictError, match="already answered"):
        asyncio.run(promotion.answer(offer.id, LinkHolder(signature), Answer.DECLINE))
    assert offer_of(state, WINNERS[1]).status == "accepted", "the second use changed nothing"


def test_an_unknown_offer_is_not_found() -> None:
    _, promotion, _ = drawn()
    with pytest.raises(NotFoundError):
        asyncio.run(promotion.answer(uuid4(), Owner(WINNERS[0]), Answer.ACCEPT))

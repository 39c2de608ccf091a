"""Answer an offer (SPEC §4, §9; seed §4): accept or decline, by the offer's owner only (anyone else: 403, and
nothing changes); a decline fills the freed seat at once, in the same transaction."""

from dataclasses import dataclass
from uuid import UUID

from platform_shared.time.clock import Clock
from waitlist_service.adapters.models import Offer
from waitlist_service.application.ports import Sessions, Stores
from waitlist_service.application.promotion_pass import promotion_pass
from waitlist_service.domain.answers import Answerer, LinkSecret, refuse_unless_owner
from waitlist_service.domain.seats import Answer, check_answer


@dataclass(frozen=True)
class AnswerOffer:
    offer_id: UUID
    answerer: Answerer
    answer: Answer


async def answer_offer(command: AnswerOffer, sessions: Sessions, stores: Stores, clock: Clock,
                       link_secret: LinkSecret | None) -> Offer:
    """The offer as answered. Without `link_secret` no answer link is valid."""
    async with sessions.begin() as session:
        store = stores(session)
        offer = await store.offer(command.offer_id)
        refuse_unless_owner(offer.view(), command.answerer, link_secret)
        run = await store.lock(offer.run_id)  # the run lock first, as every pass takes it
        await store.lock_offer(offer)
        now = clock.now()
        offer.status = check_answer(offer.view(), command.answer, now)
        offer.answered_at = now
        if command.answer == Answer.DECLINE:
            await store.flush()
            await promotion_pass(store, run, "declined", clock)
    return offer

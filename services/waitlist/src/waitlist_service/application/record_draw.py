"""Offers from a draw (SPEC §4, seed §3.3): one part of a run's results becomes an offer and a notification
per winner and the ranked waitlist, in the consumer's transaction together with the inbox claim."""

from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawCompleted
from platform_shared.time.clock import Clock
from waitlist_service.application.ports import SeatStore
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.runs import RunStatus, move_run
from waitlist_service.domain.seats import respond_by


async def record_draw(event: DrawCompleted, store: SeatStore, clock: Clock) -> None:
    run = await store.receive(event)
    if run.status == RunStatus.VOID:
        return  # rolled back before (or while) its results arrived: nothing to offer
    now = clock.now()
    offers = new_offers(event.run_id, event.campaign_id, ((w.rank, w.user_id) for w in event.winners),
                        "draw", now, respond_by(now, await store.policy()))
    await store.add_offers(offers)
    await store.add_waitlist(event.run_id, event.campaign_id, event.waitlist)
    await store.announce(topics.NOTIFICATION_REQUESTED, [offer.notification() for offer in offers])
    run.parts_received += 1
    if run.parts_received == run.part_count:
        run.status = move_run(run.status, RunStatus.ACTIVE)

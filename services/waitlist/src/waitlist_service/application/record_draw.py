"""Offers from a draw (SPEC §4, seed §3.3): one part of a run's results becomes an offer and a notification
per winner and the ranked waitlist, in the consumer's transaction together with the inbox claim.

A re-run after a rollback (seed §3.5) tells people their net change once its outcome is known
(domain/corrections.py): a kept seat that it stands, a new winner the ordinary offer (with each part), and
those who lost their seat the correction notice — once the last part is in, when the whole outcome is."""

from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawCompleted
from platform_shared.time.clock import Clock
from waitlist_service.application.correct_run import correction_for
from waitlist_service.application.ports import SeatStore
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.runs import RunStatus, move_run
from waitlist_service.domain.seats import respond_by


async def record_draw(event: DrawCompleted, store: SeatStore, clock: Clock) -> None:
    run = await store.receive(event)
    if run.status == RunStatus.VOID:
        return  # rolled back before (or while) its results arrived: nothing to offer
    now = clock.now()
    correction = await correction_for(store, event)
    offers = new_offers(event.run_id, event.campaign_id, ((w.rank, w.user_id) for w in event.winners),
                        "draw", now, respond_by(now, await store.policy()))
    await store.add_offers(offers)
    await store.add_waitlist(event.run_id, event.campaign_id, event.waitlist)
    await store.announce(topics.NOTIFICATION_REQUESTED, [
        correction.offer_notice(offer, run.campaign_name) if correction else offer.notification(run.campaign_name)
        for offer in offers])
    run.parts_received += 1
    if run.parts_received == run.part_count:
        run.status = move_run(run.status, RunStatus.ACTIVE)
        if correction is not None:
            seated = [offer.user_id for offer in await store.offers(run.run_id)]
            await store.announce(topics.NOTIFICATION_REQUESTED, [
                correction.loss_notice(user_id, run.run_id, run.campaign_id, run.campaign_name, now)
                for user_id in correction.lost(seated)])
